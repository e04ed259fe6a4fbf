// The HTTP/1.1 gateway of dyad-searchd (Boost.Beast), on its own port. Each connection reads one
// request at a time (keep-alive), lets HttpHandler route it, runs the resulting Envelope on the
// same WorkerPool and QueryService as the binary protocol, and writes the answer. The handler
// never touches a socket; the session never looks inside a request beyond its headers.
//
// Limits: the request line and headers (max_header_bytes) and the body (max_body_bytes) are
// checked while parsing, before they are buffered whole. A connection waiting for a request is
// closed after idle_timeout; once its first byte arrives, the request must be read, answered and
// written within request_timeout, so a client that trickles bytes (slowloris) is cut off, and a
// query still running at the deadline is answered 503 while the worker finishes it.
#ifndef DYAD_SEARCHD_HTTP_SERVER_H_
#define DYAD_SEARCHD_HTTP_SERVER_H_

#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "core/status.h"
#include "searchd/http_handler.h"
#include "searchd/metrics.h"
#include "searchd/request_log.h"
#include "searchd/worker_pool.h"

namespace dyad {

struct HttpOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the system picks a free port (see HttpServer::port()).
  std::size_t max_connections = 256;
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::chrono::milliseconds idle_timeout{60000};
  std::chrono::milliseconds request_timeout{10000};
  HttpHandlerOptions handler;  // CORS origin, web folder, token.
  // Shared with the binary server; when null the server keeps its own (and logs nothing).
  Metrics* metrics = nullptr;
  RequestLog* log = nullptr;
};

class HttpSession;

class HttpServer {
 public:
  // `io` and `workers` must outlive the server.
  HttpServer(boost::asio::io_context& io, WorkerPool& workers, HttpOptions options);
  ~HttpServer();

  // Binds, listens and starts accepting. InvalidArgument for a bad address, Unavailable when
  // the port is taken.
  Status Start();
  std::uint16_t port() const { return port_; }

  // Stops accepting and closes every connection. Call from the io_context's thread.
  void Stop();

  Metrics& metrics() { return *metrics_; }

 private:
  friend class HttpSession;
  void Accept();
  void Forget(HttpSession* session);

  boost::asio::io_context& io_;
  WorkerPool& workers_;
  HttpOptions options_;
  std::unique_ptr<Metrics> own_metrics_;
  std::unique_ptr<RequestLog> own_log_;
  Metrics* metrics_;
  RequestLog* log_;
  HttpHandler handler_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::atomic<std::uint64_t> next_request_id_{1};
  std::mutex mutex_;
  std::set<std::shared_ptr<HttpSession>> sessions_;
  std::atomic<bool> stopped_{false};
};

}  // namespace dyad

#endif  // DYAD_SEARCHD_HTTP_SERVER_H_
