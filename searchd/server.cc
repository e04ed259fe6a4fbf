#include "searchd/server.h"

#include <iostream>

#include "searchd/session.h"

namespace dyad {

namespace asio = boost::asio;
using asio::ip::tcp;

Server::Server(asio::io_context& io, WorkerPool& workers, ServerOptions options)
    : io_(io),
      workers_(workers),
      options_(std::move(options)),
      own_metrics_(options_.metrics == nullptr ? std::make_unique<Metrics>() : nullptr),
      own_log_(options_.log == nullptr ? std::make_unique<RequestLog>() : nullptr),
      metrics_(options_.metrics != nullptr ? options_.metrics : own_metrics_.get()),
      log_(options_.log != nullptr ? options_.log : own_log_.get()),
      acceptor_(io) {}

Server::~Server() = default;

Status Server::Start() {
  boost::system::error_code error;
  const asio::ip::address address = asio::ip::make_address(options_.host, error);
  if (error) return InvalidArgument("'" + options_.host + "' is not an IP address");
  const tcp::endpoint endpoint(address, options_.port);
  acceptor_.open(endpoint.protocol(), error);
  if (!error) acceptor_.set_option(tcp::acceptor::reuse_address(true), error);
  if (!error) acceptor_.bind(endpoint, error);
  if (!error) acceptor_.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return Unavailable("cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                       ": " + error.message());
  }
  port_ = acceptor_.local_endpoint().port();
  Accept();
  return Status::Ok();
}

void Server::Accept() {
  acceptor_.async_accept(
      asio::make_strand(io_), [this](const boost::system::error_code& error, tcp::socket socket) {
        if (error == asio::error::operation_aborted || stopped_) return;
        if (!error) {
          std::shared_ptr<Session> session;
          {
            std::lock_guard lock(mutex_);
            if (sessions_.size() < options_.max_connections) {
              session = std::make_shared<Session>(std::move(socket), *this);
              sessions_.insert(session);
            }
          }
          if (session) {
            metrics_->ConnectionOpened(Protocol::kBinary);
            session->Start();
          } else {
            const std::string frame = EncodeFrame(ErrorEnvelope(
                0, v1::ERROR_CODE_UNAVAILABLE,
                "server is at its limit of " + std::to_string(options_.max_connections) +
                    " connections; try again later"));
            boost::system::error_code ignored;
            asio::write(socket, asio::buffer(frame), ignored);
            socket.close(ignored);
          }
        } else {
          std::cerr << "dyad-searchd: accept failed: " << error.message() << "\n";
        }
        Accept();
      });
}

void Server::Forget(Session* session) {
  std::lock_guard lock(mutex_);
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
    if (it->get() == session) {
      sessions_.erase(it);
      metrics_->ConnectionClosed(Protocol::kBinary);
      return;
    }
  }
}

void Server::Stop() {
  stopped_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  std::set<std::shared_ptr<Session>> sessions;
  {
    std::lock_guard lock(mutex_);
    sessions = sessions_;
  }
  for (const auto& session : sessions) session->Close();
}

}  // namespace dyad
