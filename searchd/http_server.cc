#include "searchd/http_server.h"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <iostream>
#include <optional>

namespace dyad {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

namespace {

std::string PeerOf(const tcp::socket& socket) {
  boost::system::error_code error;
  const tcp::endpoint peer = socket.remote_endpoint(error);
  if (error) return "unknown";
  const std::string address = peer.address().to_string();
  return (peer.address().is_v6() ? "[" + address + "]" : address) + ":" +
         std::to_string(peer.port());
}

// A client's X-Request-Id is kept when it is short and plain; otherwise the server numbers the
// request itself.
bool UsableRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.';
    if (!plain) return false;
  }
  return true;
}

// Bytes read and thrown away while closing after an error, so the client sees the answer
// instead of a reset caused by unread data.
constexpr std::size_t kMaxDrainBytes = 1024 * 1024;
constexpr std::chrono::milliseconds kMaxDrainTime{2000};

}  // namespace

// One HTTP connection. Every member runs on the socket's strand; no exception leaves a handler.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket socket, HttpServer& server)
      : peer_(PeerOf(socket)),
        stream_(std::move(socket)),
        server_(server),
        timer_(stream_.get_executor()) {}

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->WaitForRequest(); });
  }

  void Close() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] { self->Shutdown(); });
  }

 private:
  const HttpOptions& options() const { return server_.options_; }

  // Idle: wait up to idle_timeout for the first byte of the next request.
  void WaitForRequest() {
    if (closed_) return;
    if (buffer_.size() > 0) {  // A pipelined request is already here.
      ReadRequest();
      return;
    }
    stream_.expires_after(options().idle_timeout);
    stream_.async_read_some(
        buffer_.prepare(4096),
        [self = shared_from_this()](const boost::system::error_code& error, std::size_t bytes) {
          if (error) {
            self->Shutdown();  // Closed by the peer, or idle too long.
            return;
          }
          self->buffer_.commit(bytes);
          self->ReadRequest();
        });
  }

  // From the first byte on, the whole exchange has until the deadline.
  void ReadRequest() {
    if (closed_) return;
    started_ = std::chrono::steady_clock::now();
    deadline_ = started_ + options().request_timeout;
    kind_ = "invalid";
    request_ = {};
    parser_.emplace();
    parser_->header_limit(
        static_cast<std::uint32_t>(std::min<std::size_t>(options().max_header_bytes, UINT32_MAX)));
    parser_->body_limit(options().max_body_bytes);
    stream_.expires_at(deadline_);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](const boost::system::error_code& error,
                                                        std::size_t) { self->OnHeader(error); });
  }

  void OnHeader(const boost::system::error_code& error) {
    if (closed_) return;
    if (error) {
      OnReadError(error);
      return;
    }
    // curl and others wait for "100 Continue" before sending a large body.
    const auto expect = parser_->get().find(http::field::expect);
    if (expect != parser_->get().end() && beast::iequals(expect->value(), "100-continue") &&
        !parser_->is_done()) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      asio::async_write(
          stream_, asio::buffer(kContinue.data(), kContinue.size()),
          [self = shared_from_this()](const boost::system::error_code& error, std::size_t) {
            if (error) {
              self->Shutdown();
              return;
            }
            self->ReadBody();
          });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    if (closed_) return;
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](const boost::system::error_code& error, std::size_t) {
          if (self->closed_) return;
          if (error) {
            self->OnReadError(error);
            return;
          }
          self->request_ = self->parser_->release();
          self->Handle();
        });
  }

  void OnReadError(const boost::system::error_code& error) {
    const boost::system::error_category& http_errors =
        http::make_error_code(http::error::bad_method).category();
    if (error == http::error::end_of_stream || error == http::error::partial_message ||
        error.category() != http_errors) {
      // The peer went away, or was too slow (beast::error::timeout has closed the socket).
      if (error == beast::error::timeout) Record("timeout", "408", v1::ERROR_CODE_UNSPECIFIED);
      Shutdown();
      return;
    }
    closing_ = true;  // After a parse error the stream cannot be trusted.
    if (error == http::error::body_limit) {
      Answer(HttpHandler::Error(HttpStatus::payload_too_large, v1::ERROR_CODE_FRAME_TOO_LARGE,
                                "request body is over the limit of " +
                                    std::to_string(options().max_body_bytes) + " bytes"));
    } else if (error == http::error::header_limit) {
      Answer(HttpHandler::Error(HttpStatus::request_header_fields_too_large,
                                v1::ERROR_CODE_FRAME_TOO_LARGE,
                                "request line and headers are over the limit of " +
                                    std::to_string(options().max_header_bytes) + " bytes"));
    } else {
      Answer(HttpHandler::Error(HttpStatus::bad_request, v1::ERROR_CODE_MALFORMED_FRAME,
                                "malformed HTTP request: " + error.message()));
    }
  }

  void Handle() {
    const auto id_header = request_.find("X-Request-Id");
    const std::string_view client_id =
        id_header == request_.end()
            ? std::string_view()
            : std::string_view(id_header->value().data(), id_header->value().size());
    const std::uint64_t number = server_.next_request_id_++;
    request_id_ = UsableRequestId(client_id) ? std::string(client_id) : std::to_string(number);

    HttpPlan plan = server_.handler_.Route(request_);
    kind_ = plan.kind;
    if (plan.answer) {
      Answer(std::move(*plan.answer));
      return;
    }
    plan.query.set_request_id(number);
    plan.query.set_protocol_version(v1::PROTOCOL_VERSION_1);
    const std::uint64_t sequence = ++sequence_;
    awaiting_worker_ = true;
    server_.metrics_->RequestStarted(Protocol::kHttp);
    timer_.expires_at(deadline_);
    timer_.async_wait([self = shared_from_this(),
                       sequence](const boost::system::error_code& error) {
      if (error || !self->StopWaiting(sequence)) return;
      self->Answer(HttpHandler::Error(HttpStatus::service_unavailable, v1::ERROR_CODE_UNAVAILABLE,
                                      "no answer within the request deadline of " +
                                          std::to_string(self->options().request_timeout.count()) +
                                          " ms; try again later"));
    });
    auto query = std::make_shared<v1::Envelope>(std::move(plan.query));
    server_.workers_.Submit([self = shared_from_this(), query, render = std::move(plan.render),
                             sequence](QueryService& service) {
      // Rendering JSON happens here too, off the I/O thread.
      auto answer = std::make_shared<HttpAnswer>(render(service.Handle(*query)));
      asio::post(self->stream_.get_executor(), [self, answer, sequence] {
        if (!self->StopWaiting(sequence) || self->closed_) return;
        self->Answer(std::move(*answer));
      });
    });
  }

  // True (once) when request `sequence` is the one still waiting for a worker.
  bool StopWaiting(std::uint64_t sequence) {
    if (!awaiting_worker_ || sequence != sequence_) return false;
    awaiting_worker_ = false;
    timer_.cancel();
    server_.metrics_->RequestFinished(Protocol::kHttp);
    return true;
  }

  void Record(const std::string& kind, const std::string& status, v1::ErrorCode error) {
    RequestRecord record;
    record.protocol = Protocol::kHttp;
    record.kind = kind;
    record.status = status;
    record.error = error;
    record.latency = std::chrono::steady_clock::now() - started_;
    record.request_id = request_id_;
    record.peer = peer_;
    const std::string_view target(request_.target().data(), request_.target().size());
    record.path = std::string(target.substr(0, target.find('?')));
    server_.metrics_->Record(record);
    server_.log_->Write(record);
  }

  void Answer(HttpAnswer answer) {
    if (closed_) return;
    const bool keep_alive = request_.keep_alive() && !closing_ && !server_.stopped_;
    response_ = std::make_shared<HttpResponse>(std::move(answer.response));
    if (!request_id_.empty()) response_->set("X-Request-Id", request_id_);
    server_.handler_.Finish(request_, keep_alive, response_.get());
    Record(kind_, std::to_string(response_->result_int()), answer.error);
    request_id_.clear();
    stream_.expires_after(options().request_timeout);
    http::async_write(
        stream_, *response_,
        [self = shared_from_this()](const boost::system::error_code& error, std::size_t) {
          if (self->closed_) return;
          const bool keep_alive = self->response_->keep_alive();
          self->response_.reset();
          if (error) {
            self->Shutdown();
          } else if (!keep_alive) {
            self->Linger();
          } else {
            self->WaitForRequest();
          }
        });
  }

  // Closes after an answer: stop sending, then read and drop what the client still sends for a
  // short while, so that unread data does not turn the close into a reset that loses the answer.
  void Linger() {
    boost::system::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(
        std::min<std::chrono::milliseconds>(options().request_timeout, kMaxDrainTime));
    Drain();
  }

  void Drain() {
    if (closed_) return;
    if (drained_ > kMaxDrainBytes) {
      Shutdown();
      return;
    }
    buffer_.consume(buffer_.size());
    stream_.async_read_some(
        buffer_.prepare(16 * 1024),
        [self = shared_from_this()](const boost::system::error_code& error, std::size_t bytes) {
          if (error) {
            self->Shutdown();
            return;
          }
          self->drained_ += bytes;
          self->Drain();
        });
  }

  void Shutdown() {
    if (closed_) return;
    closed_ = true;
    if (awaiting_worker_) StopWaiting(sequence_);
    timer_.cancel();
    boost::system::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
    server_.Forget(this);
  }

  const std::string peer_;
  beast::tcp_stream stream_;
  HttpServer& server_;
  asio::steady_timer timer_;  // The request deadline while a worker has the query.
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpRequest request_;
  std::shared_ptr<HttpResponse> response_;  // Alive until its write completes.
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point deadline_;
  std::string kind_ = "invalid";
  std::string request_id_;
  std::uint64_t sequence_ = 0;  // Of the current request; late worker answers are dropped.
  std::size_t drained_ = 0;
  bool awaiting_worker_ = false;
  bool closing_ = false;  // Answer, then close.
  bool closed_ = false;
};

HttpServer::HttpServer(asio::io_context& io, WorkerPool& workers, HttpOptions options)
    : io_(io),
      workers_(workers),
      options_(std::move(options)),
      own_metrics_(options_.metrics == nullptr ? std::make_unique<Metrics>() : nullptr),
      own_log_(options_.log == nullptr ? std::make_unique<RequestLog>() : nullptr),
      metrics_(options_.metrics != nullptr ? options_.metrics : own_metrics_.get()),
      log_(options_.log != nullptr ? options_.log : own_log_.get()),
      handler_(options_.handler, *metrics_),
      acceptor_(io) {}

HttpServer::~HttpServer() = default;

Status HttpServer::Start() {
  boost::system::error_code error;
  const asio::ip::address address = asio::ip::make_address(options_.host, error);
  if (error) return InvalidArgument("'" + options_.host + "' is not an IP address");
  const tcp::endpoint endpoint(address, options_.port);
  acceptor_.open(endpoint.protocol(), error);
  if (!error) acceptor_.set_option(tcp::acceptor::reuse_address(true), error);
  if (!error) acceptor_.bind(endpoint, error);
  if (!error) acceptor_.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return Unavailable("cannot listen for HTTP on " + options_.host + ":" +
                       std::to_string(options_.port) + ": " + error.message());
  }
  port_ = acceptor_.local_endpoint().port();
  Accept();
  return Status::Ok();
}

void HttpServer::Accept() {
  acceptor_.async_accept(
      asio::make_strand(io_), [this](const boost::system::error_code& error, tcp::socket socket) {
        if (error == asio::error::operation_aborted || stopped_) return;
        if (!error) {
          std::shared_ptr<HttpSession> session;
          {
            std::lock_guard lock(mutex_);
            if (sessions_.size() < options_.max_connections) {
              session = std::make_shared<HttpSession>(std::move(socket), *this);
              sessions_.insert(session);
            }
          }
          if (session) {
            metrics_->ConnectionOpened(Protocol::kHttp);
            session->Start();
          } else {
            HttpAnswer refusal = HttpHandler::Error(
                HttpStatus::service_unavailable, v1::ERROR_CODE_UNAVAILABLE,
                "server is at its limit of " + std::to_string(options_.max_connections) +
                    " HTTP connections; try again later");
            handler_.Finish(HttpRequest(), false, &refusal.response);
            boost::system::error_code ignored;
            http::write(socket, refusal.response, ignored);
            socket.shutdown(tcp::socket::shutdown_both, ignored);
            socket.close(ignored);
          }
        } else {
          std::cerr << "dyad-searchd: HTTP accept failed: " << error.message() << "\n";
        }
        Accept();
      });
}

void HttpServer::Forget(HttpSession* session) {
  std::lock_guard lock(mutex_);
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
    if (it->get() == session) {
      sessions_.erase(it);
      metrics_->ConnectionClosed(Protocol::kHttp);
      return;
    }
  }
}

void HttpServer::Stop() {
  stopped_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  std::set<std::shared_ptr<HttpSession>> sessions;
  {
    std::lock_guard lock(mutex_);
    sessions = sessions_;
  }
  for (const auto& session : sessions) session->Close();
}

}  // namespace dyad
