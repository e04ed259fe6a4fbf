// dyad_client: a blocking client for dyad-searchd's binary protocol.
#ifndef DYAD_CLIENTS_CLIENT_H_
#define DYAD_CLIENTS_CLIENT_H_

#include <boost/asio.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"
#include "dyad/v1/envelope.pb.h"
#include "proto/frame.h"

namespace dyad {

// "host:port" -> {host, port}; "[::1]:7700" works too.
StatusOr<std::pair<std::string, std::uint16_t>> ParseHostPort(std::string_view text);

// One connection to a daemon. Not thread-safe; use one Client per thread.
class Client {
 public:
  // Connects to host:port. Every later read or write fails with Unavailable after `timeout`.
  static StatusOr<std::unique_ptr<Client>> Connect(
      const std::string& host, std::uint16_t port,
      std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // Sends `request` (a request_id is assigned when it is 0) and returns the response with the
  // same id. The response may be an Error envelope; transport failures are a Status.
  StatusOr<v1::Envelope> Call(v1::Envelope request);

  // Convenience calls: an Error envelope from the server becomes a Status with its message.
  StatusOr<v1::SearchResponse> Search(const v1::SearchRequest& request);
  StatusOr<v1::HealthResponse> Health();
  // The stored article with this id; NotFound when the index has none.
  StatusOr<v1::StoredArticle> Get(const std::string& id);

  // Bearer token sent with every later request (for a daemon started with --token-file).
  void set_token(std::string token) { token_ = std::move(token); }

  // Low-level access, for tools and tests of the protocol itself.
  Status SendBytes(std::string_view bytes);
  StatusOr<v1::Envelope> Receive();

 private:
  explicit Client(boost::asio::io_context* io) : socket_(*io) {}

  std::unique_ptr<boost::asio::io_context> io_;
  boost::asio::ip::tcp::socket socket_;
  std::uint64_t next_id_ = 1;
  std::string token_;
};

// The Status for an Error envelope: "server: MESSAGE" with a matching code.
Status StatusFromError(const v1::Error& error);

}  // namespace dyad

#endif  // DYAD_CLIENTS_CLIENT_H_
