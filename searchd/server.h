// The network layer of dyad-searchd: accepts TCP connections and runs one Session per
// connection. Sessions decode frames (proto/frame.h), hand requests to the WorkerPool, and write
// responses back in the order they complete; they never run a query themselves.
#ifndef DYAD_SEARCHD_SERVER_H_
#define DYAD_SEARCHD_SERVER_H_

#include <boost/asio.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "core/status.h"
#include "proto/frame.h"
#include "searchd/metrics.h"
#include "searchd/request_log.h"
#include "searchd/worker_pool.h"

namespace dyad {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the system picks a free port (see Server::port()).
  std::size_t max_frame_size = kDefaultMaxFrameSize;
  std::size_t max_connections = 256;
  std::size_t max_in_flight = 64;  // Requests per connection before reading pauses.
  // While no request of a connection is with a worker, the client has idle_timeout to start its
  // next frame, request_timeout to finish a frame once its first byte arrived (slowloris) and
  // request_timeout to take each answer written to it; past that the connection is closed.
  std::chrono::milliseconds idle_timeout{60000};
  std::chrono::milliseconds request_timeout{10000};
  // When set, every request but health must carry it in Envelope.token (see auth.h).
  std::string token;
  // Shared with the HTTP server; when null the server keeps its own (and logs nothing).
  Metrics* metrics = nullptr;
  RequestLog* log = nullptr;
};

class Session;

class Server {
 public:
  // `io` and `workers` must outlive the server.
  Server(boost::asio::io_context& io, WorkerPool& workers, ServerOptions options);
  ~Server();

  // Binds, listens and starts accepting. InvalidArgument for a bad address, Unavailable when the
  // port is taken.
  Status Start();

  // The port actually bound (useful with port 0).
  std::uint16_t port() const { return port_; }

  // Stops accepting and closes every connection. Call from the io_context's thread.
  void Stop();

  Metrics& metrics() { return *metrics_; }

 private:
  friend class Session;
  void Accept();
  void Forget(Session* session);  // Called by a session when it closes.

  boost::asio::io_context& io_;
  WorkerPool& workers_;
  ServerOptions options_;
  std::unique_ptr<Metrics> own_metrics_;
  std::unique_ptr<RequestLog> own_log_;
  Metrics* metrics_;
  RequestLog* log_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::mutex mutex_;
  std::set<std::shared_ptr<Session>> sessions_;
  bool stopped_ = false;
};

}  // namespace dyad

#endif  // DYAD_SEARCHD_SERVER_H_
