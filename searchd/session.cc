#include "searchd/session.h"

#include <iostream>

#include "searchd/server.h"

namespace dyad {

namespace asio = boost::asio;

Session::Session(asio::ip::tcp::socket socket, Server& server)
    : socket_(std::move(socket)), server_(server), decoder_(server.options_.max_frame_size) {}

void Session::Start() {
  asio::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->Read(); });
}

void Session::Close() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->Shutdown(); });
}

void Session::Read() {
  if (closed_ || reading_ || close_after_write_) return;
  if (in_flight_ >= server_.options_.max_in_flight) return;  // Resumed when answers go out.
  reading_ = true;
  socket_.async_read_some(asio::buffer(buffer_),
                          [self = shared_from_this()](const boost::system::error_code& error,
                                                      std::size_t bytes) {
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
  decoder_.Append(std::string_view(buffer_.data(), bytes));
  std::string payload;
  while (true) {
    const FrameDecoder::Result result = decoder_.Next(&payload);
    if (result == FrameDecoder::Result::kNeedMore) break;
    if (result == FrameDecoder::Result::kTooLarge) {
      Send(ErrorEnvelope(0, v1::ERROR_CODE_FRAME_TOO_LARGE,
                         "frame of " + std::to_string(decoder_.rejected_length()) +
                             " bytes is over the limit of " +
                             std::to_string(server_.options_.max_frame_size) +
                             "; closing the connection"));
      close_after_write_ = true;
      return;
    }
    Dispatch(payload);
  }
  Read();
}

void Session::Dispatch(const std::string& payload) {
  auto request = std::make_shared<v1::Envelope>();
  if (!request->ParseFromString(payload)) {
    Send(ErrorEnvelope(0, v1::ERROR_CODE_MALFORMED_FRAME,
                       "frame of " + std::to_string(payload.size()) +
                           " bytes is not a dyad.v1.Envelope"));
    return;
  }
  ++in_flight_;
  server_.workers_.Submit([self = shared_from_this(), request](QueryService& service) {
    auto response = std::make_shared<v1::Envelope>(service.Handle(*request));
    asio::post(self->socket_.get_executor(), [self, response] {
      --self->in_flight_;
      self->Send(*response);
      self->Read();
    });
  });
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
  asio::async_write(socket_, asio::buffer(outbox_.front()),
                    [self = shared_from_this()](const boost::system::error_code& error,
                                                std::size_t) {
                      self->writing_ = false;
                      if (error) {
                        self->Shutdown();
                        return;
                      }
                      self->outbox_.pop_front();
                      self->Write();
                    });
}

void Session::Shutdown() {
  if (closed_) return;
  closed_ = true;
  outbox_.clear();
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  server_.Forget(this);
}

}  // namespace dyad
