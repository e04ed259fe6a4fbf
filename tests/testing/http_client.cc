#include "tests/testing/http_client.h"

#include <poll.h>

#include <stdexcept>

namespace dyad::testutil {

namespace asio = boost::asio;
namespace http = boost::beast::http;

std::string HttpReply::header(std::string_view name) const {
  const auto it = headers.find(boost::beast::string_view(name.data(), name.size()));
  return it == headers.end() ? std::string() : std::string(it->value());
}

HttpClient::HttpClient(std::uint16_t port, std::chrono::milliseconds timeout)
    : socket_(io_), timeout_(timeout) {
  boost::system::error_code error;
  socket_.connect({asio::ip::make_address("127.0.0.1"), port}, error);
  if (error) {
    throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port) + ": " +
                             error.message());
  }
}

bool HttpClient::Readable(boost::system::error_code& error) {
  pollfd fd{socket_.native_handle(), POLLIN, 0};
  const int ready = ::poll(&fd, 1, static_cast<int>(timeout_.count()));
  if (ready <= 0) {
    error = asio::error::timed_out;
    return false;
  }
  return true;
}

bool HttpClient::SendRaw(std::string_view bytes) {
  boost::system::error_code error;
  asio::write(socket_, asio::buffer(bytes.data(), bytes.size()), error);
  return !error;
}

HttpReply HttpClient::Send(http::verb method, const std::string& target, const std::string& body,
                           const Headers& headers) {
  http::request<http::string_body> request(method, target, 11);
  request.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  if (!body.empty() || method == http::verb::post) request.prepare_payload();
  boost::system::error_code error;
  http::write(*this, request, error);
  if (error) {
    HttpReply reply;
    reply.error = "write: " + error.message();
    return reply;
  }
  return Read();
}

HttpReply HttpClient::Read() {
  HttpReply reply;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  boost::system::error_code error;
  http::read(*this, buffer_, parser, error);
  if (error) {
    reply.error = "read: " + error.message();
    return reply;
  }
  http::response<http::string_body> response = parser.release();
  reply.status = response.result_int();
  reply.keep_alive = response.keep_alive();
  reply.body = std::move(response.body());
  reply.headers = std::move(response.base());
  return reply;
}

bool HttpClient::WaitForClose() {
  char scratch[4096];
  while (true) {
    boost::system::error_code error;
    read_some(asio::buffer(scratch), error);
    if (error == asio::error::timed_out) return false;
    if (error) return true;  // eof, connection_reset...
  }
}

}  // namespace dyad::testutil
