#include "searchd/session.h"

#include <iostream>

#include "searchd/auth.h"
#include "searchd/server.h"

namespace dyad {

namespace asio = boost::asio;

Session::Session(asio::ip::tcp::socket socket, Server& server)
    : socket_(std::move(socket)),
      server_(server),
      decoder_(server.options_.max_frame_size),
      timer_(socket_.get_executor()) {
  boost::system::error_code error;
  // Answers are whole frames written at once: Nagle's algorithm would only hold a pipelined
  // answer back until the peer's delayed ACK (up to 40 ms).
  socket_.set_option(asio::ip::tcp::no_delay(true), error);
  const asio::ip::tcp::endpoint peer = socket_.remote_endpoint(error);
  peer_ = error ? "unknown" : peer.address().to_string() + ":" + std::to_string(peer.port());
}

void Session::Start() {
  asio::dispatch(socket_.get_executor(), [self = shared_from_this()] {
    self->Read();
    self->Watch();
  });
}

void Session::Close() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->Shutdown(); });
}

void Session::Read() {
  if (closed_ || reading_ || close_after_write_) return;
  if (in_flight_ >= server_.options_.max_in_flight) return;  // Resumed when answers go out.
  reading_ = true;
  socket_.async_read_some(
      asio::buffer(buffer_),
      [self = shared_from_this()](const boost::system::error_code& error, std::size_t bytes) {
        self->OnRead(error, bytes);
      });
}

void Session::OnRead(const boost::system::error_code& error, std::size_t bytes) {
  reading_ = false;
  if (closed_) return;
  if (error) {
    // The peer closed or reset. Answers still in flight are dropped when they arrive.
    Shutdown();
    return;
  }
  const bool frame_open = decoder_.buffered() > 0;
  bool frame_done = false;
  decoder_.Append(std::string_view(buffer_.data(), bytes));
  std::string payload;
  while (true) {
    const FrameDecoder::Result result = decoder_.Next(&payload);
    if (result == FrameDecoder::Result::kNeedMore) {
      // A frame begun by this read: its deadline counts from now.
      if (decoder_.buffered() > 0 && (!frame_open || frame_done)) {
        frame_started_ = std::chrono::steady_clock::now();
      }
      break;
    }
    if (result == FrameDecoder::Result::kTooLarge) {
      const v1::Envelope error = ErrorEnvelope(
          0, v1::ERROR_CODE_FRAME_TOO_LARGE,
          "frame of " + std::to_string(decoder_.rejected_length()) +
              " bytes is over the limit of " + std::to_string(server_.options_.max_frame_size) +
              "; closing the connection");
      Record("oversize", error, std::chrono::steady_clock::now());
      Send(error);
      close_after_write_ = true;
      Watch();
      return;
    }
    frame_done = true;
    Dispatch(payload);
  }
  Read();
  Watch();
}

void Session::Dispatch(const std::string& payload) {
  const auto started = std::chrono::steady_clock::now();
  auto request = std::make_shared<v1::Envelope>();
  if (!request->ParseFromString(payload)) {
    const v1::Envelope error = ErrorEnvelope(
        0, v1::ERROR_CODE_MALFORMED_FRAME,
        "frame of " + std::to_string(payload.size()) + " bytes is not a dyad.v1.Envelope");
    Record("malformed", error, started);
    Send(error);
    return;
  }
  // Health stays open so that monitoring needs no secret.
  const std::string& token = server_.options_.token;
  if (!token.empty() && request->body_case() != v1::Envelope::kHealth &&
      !TokenMatches(request->token(), token)) {
    const v1::Envelope refusal =
        ErrorEnvelope(request->request_id(), v1::ERROR_CODE_UNAUTHENTICATED,
                      request->token().empty() ? "this server needs a token: set Envelope.token"
                                               : "the token is not valid");
    Record(RequestKind(*request), refusal, started);
    Send(refusal);
    return;
  }
  ++in_flight_;
  server_.metrics_->RequestStarted(Protocol::kBinary);
  server_.workers_.Submit([self = shared_from_this(), request, started](QueryService& service) {
    auto response = std::make_shared<v1::Envelope>(service.Handle(*request));
    asio::post(self->socket_.get_executor(), [self, request, response, started] {
      --self->in_flight_;
      self->server_.metrics_->RequestFinished(Protocol::kBinary);
      self->Record(RequestKind(*request), *response, started);
      self->Send(*response);
      self->Read();
      self->Watch();
    });
  });
}

void Session::Record(const std::string& kind, const v1::Envelope& response,
                     std::chrono::steady_clock::time_point started) {
  RequestRecord record;
  record.protocol = Protocol::kBinary;
  record.kind = kind;
  record.error = response.has_error() ? response.error().code() : v1::ERROR_CODE_UNSPECIFIED;
  record.status = ErrorCodeName(record.error);
  record.latency = std::chrono::steady_clock::now() - started;
  record.request_id = std::to_string(response.request_id());
  record.peer = peer_;
  server_.metrics_->Record(record);
  server_.log_->Write(record);
}

void Session::Send(const v1::Envelope& envelope) {
  if (closed_) return;
  outbox_.push_back(EncodeFrame(envelope));
  Write();
}

void Session::Write() {
  if (writing_ || closed_) return;
  if (outbox_.empty()) {
    if (close_after_write_) Shutdown();
    return;
  }
  writing_ = true;
  write_started_ = std::chrono::steady_clock::now();
  asio::async_write(
      socket_, asio::buffer(outbox_.front()),
      [self = shared_from_this()](const boost::system::error_code& error, std::size_t) {
        self->writing_ = false;
        if (error) {
          self->Shutdown();
          return;
        }
        self->outbox_.pop_front();
        self->Write();
        self->Watch();
      });
}

void Session::Watch() {
  if (closed_) return;
  const std::uint64_t watch = ++watch_;
  if (in_flight_ > 0 && outbox_.empty()) {
    timer_.cancel();  // A worker owes the next move, not the client.
    return;
  }
  const ServerOptions& options = server_.options_;
  bool idle = false;
  std::chrono::steady_clock::time_point since;
  if (!outbox_.empty()) {
    since = write_started_;  // The client does not read its answers.
  } else if (decoder_.buffered() > 0) {
    since = frame_started_;  // The client trickles a frame (slowloris).
  } else {
    idle = true;
    since = std::chrono::steady_clock::now();
  }
  timer_.expires_at(since + (idle ? options.idle_timeout : options.request_timeout));
  timer_.async_wait(
      [self = shared_from_this(), watch, idle, since](const boost::system::error_code& error) {
        if (error || self->closed_ || watch != self->watch_) return;
        if (!idle) {
          // Logged like an HTTP request that did not arrive in time; the client gets no answer.
          self->Record("timeout", ErrorEnvelope(0, v1::ERROR_CODE_UNAVAILABLE, "request timeout"),
                       since);
        }
        self->Shutdown();
      });
}

void Session::Shutdown() {
  if (closed_) return;
  closed_ = true;
  outbox_.clear();
  timer_.cancel();
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  server_.Forget(this);
}

}  // namespace dyad
