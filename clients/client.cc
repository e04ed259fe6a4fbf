#include "clients/client.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <charconv>

namespace dyad {

namespace asio = boost::asio;
using asio::ip::tcp;

StatusOr<std::pair<std::string, std::uint16_t>> ParseHostPort(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  std::uint16_t port = 0;
  if (colon == std::string_view::npos || colon == 0) {
    return InvalidArgument("'" + std::string(text) + "' is not HOST:PORT (e.g. 127.0.0.1:7700)");
  }
  const std::string_view port_text = text.substr(colon + 1);
  const auto [end, error] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc() || end != port_text.data() + port_text.size() || port == 0) {
    return InvalidArgument("'" + std::string(port_text) + "' is not a port number");
  }
  std::string host(text.substr(0, colon));
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return std::make_pair(host, port);
}

Status StatusFromError(const v1::Error& error) {
  StatusCode code = StatusCode::kInternal;
  switch (error.code()) {
    case v1::ERROR_CODE_INVALID_ARGUMENT:
    case v1::ERROR_CODE_MALFORMED_FRAME:
    case v1::ERROR_CODE_FRAME_TOO_LARGE:
    case v1::ERROR_CODE_UNSUPPORTED_VERSION:
      code = StatusCode::kInvalidArgument;
      break;
    case v1::ERROR_CODE_NOT_FOUND:
      code = StatusCode::kNotFound;
      break;
    case v1::ERROR_CODE_UNAVAILABLE:
      code = StatusCode::kUnavailable;
      break;
    case v1::ERROR_CODE_UNAUTHENTICATED:
      code = StatusCode::kUnauthenticated;
      break;
    default:
      break;
  }
  return Status(code, "server: " + error.message());
}

StatusOr<std::unique_ptr<Client>> Client::Connect(const std::string& host, std::uint16_t port,
                                                  std::chrono::milliseconds timeout) {
  auto io = std::make_unique<asio::io_context>();
  std::unique_ptr<Client> client(new Client(io.get()));
  client->io_ = std::move(io);
  boost::system::error_code error;
  tcp::resolver resolver(*client->io_);
  const auto endpoints = resolver.resolve(host, std::to_string(port), error);
  if (error) return Unavailable("cannot resolve " + host + ": " + error.message());
  asio::connect(client->socket_, endpoints, error);
  if (error) {
    return Unavailable("cannot connect to " + host + ":" + std::to_string(port) + ": " +
                       error.message() + " (is dyad-searchd running there?)");
  }
  // Blocking reads and writes give up after `timeout` instead of hanging on a stuck server.
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  const int fd = client->socket_.native_handle();
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  client->socket_.set_option(tcp::no_delay(true), error);
  return client;
}

Status Client::SendBytes(std::string_view bytes) {
  boost::system::error_code error;
  asio::write(socket_, asio::buffer(bytes.data(), bytes.size()), error);
  if (error) return Unavailable("cannot send to server: " + error.message());
  return Status::Ok();
}

StatusOr<v1::Envelope> Client::Receive() {
  boost::system::error_code error;
  std::string header(kFrameHeaderSize, '\0');
  asio::read(socket_, asio::buffer(header), error);
  if (error == asio::error::eof) return Unavailable("server closed the connection");
  if (error) return Unavailable("cannot read from server: " + error.message());
  const std::uint32_t length = DecodeFrameLength(header);
  if (length > kDefaultMaxFrameSize * 16) {
    return DataLoss("server sent a frame of " + std::to_string(length) + " bytes; not Dyad?");
  }
  std::string payload(length, '\0');
  asio::read(socket_, asio::buffer(payload), error);
  if (error) return Unavailable("cannot read from server: " + error.message());
  v1::Envelope envelope;
  if (!envelope.ParseFromString(payload)) return DataLoss("server sent an unreadable frame");
  return envelope;
}

StatusOr<v1::Envelope> Client::Call(v1::Envelope request) {
  if (request.request_id() == 0) request.set_request_id(next_id_++);
  if (request.protocol_version() == 0) request.set_protocol_version(v1::PROTOCOL_VERSION_1);
  if (request.token().empty() && !token_.empty()) request.set_token(token_);
  if (Status s = SendBytes(EncodeFrame(request)); !s.ok()) return s;
  while (true) {
    StatusOr<v1::Envelope> response = Receive();
    if (!response.ok()) return response;
    if (response->request_id() == request.request_id()) return response;
    // An answer for another request (id 0: an error about a frame) cannot be ours unless it
    // is an error the server could not attach to a request.
    if (response->request_id() == 0 && response->has_error()) return response;
  }
}

StatusOr<v1::SearchResponse> Client::Search(const v1::SearchRequest& request) {
  v1::Envelope envelope;
  *envelope.mutable_search() = request;
  StatusOr<v1::Envelope> response = Call(std::move(envelope));
  if (!response.ok()) return response.status();
  if (response->has_error()) return StatusFromError(response->error());
  if (!response->has_search_result()) return DataLoss("server answered a search with no result");
  return std::move(*response->mutable_search_result());
}

StatusOr<v1::HealthResponse> Client::Health() {
  v1::Envelope envelope;
  envelope.mutable_health();
  StatusOr<v1::Envelope> response = Call(std::move(envelope));
  if (!response.ok()) return response.status();
  if (response->has_error()) return StatusFromError(response->error());
  if (!response->has_health_result()) return DataLoss("server answered health with no result");
  return std::move(*response->mutable_health_result());
}

StatusOr<v1::StoredArticle> Client::Get(const std::string& id) {
  v1::Envelope envelope;
  envelope.mutable_get()->set_id(id);
  StatusOr<v1::Envelope> response = Call(std::move(envelope));
  if (!response.ok()) return response.status();
  if (response->has_error()) return StatusFromError(response->error());
  if (!response->has_get_result()) return DataLoss("server answered a get with no result");
  return std::move(*response->mutable_get_result()->mutable_article());
}

}  // namespace dyad
