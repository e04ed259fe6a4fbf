// A blocking HTTP/1.1 client for tests, on Boost.Beast's synchronous API. Every read gives up
// after the client's timeout (a poll before each read), so a server that never answers fails
// the test instead of hanging it.
#ifndef DYAD_TESTS_TESTING_HTTP_CLIENT_H_
#define DYAD_TESTS_TESTING_HTTP_CLIENT_H_

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dyad::testutil {

struct HttpReply {
  int status = 0;     // 0 when no answer could be read (see error).
  std::string error;  // Transport failure, if any.
  std::string body;
  boost::beast::http::fields headers;
  bool keep_alive = false;

  std::string header(std::string_view name) const;
};

class HttpClient {
 public:
  using Headers = std::vector<std::pair<std::string, std::string>>;

  // Connects to 127.0.0.1:port; throws std::runtime_error if it cannot.
  explicit HttpClient(std::uint16_t port,
                      std::chrono::milliseconds timeout = std::chrono::seconds(20));

  // Sends one request on this connection (keep-alive) and reads its answer.
  HttpReply Send(boost::beast::http::verb method, const std::string& target,
                 const std::string& body = "", const Headers& headers = {});
  HttpReply Get(const std::string& target, const Headers& headers = {}) {
    return Send(boost::beast::http::verb::get, target, "", headers);
  }

  // Writes bytes as they are, for malformed and partial requests. False if the write failed.
  bool SendRaw(std::string_view bytes);
  // Reads one answer.
  HttpReply Read();
  // True when the server closes the connection (end of stream or reset) before the timeout;
  // anything it sends first is dropped.
  bool WaitForClose();

  // Read and write calls for Beast (a SyncReadStream and SyncWriteStream).
  using executor_type = boost::asio::ip::tcp::socket::executor_type;
  executor_type get_executor() { return socket_.get_executor(); }
  template <typename Buffers>
  std::size_t read_some(const Buffers& buffers, boost::system::error_code& error) {
    if (!Readable(error)) return 0;
    return socket_.read_some(buffers, error);
  }
  template <typename Buffers>
  std::size_t read_some(const Buffers& buffers) {
    boost::system::error_code error;
    const std::size_t n = read_some(buffers, error);
    if (error) throw boost::system::system_error(error);
    return n;
  }
  template <typename Buffers>
  std::size_t write_some(const Buffers& buffers, boost::system::error_code& error) {
    return socket_.write_some(buffers, error);
  }
  template <typename Buffers>
  std::size_t write_some(const Buffers& buffers) {
    return socket_.write_some(buffers);
  }

 private:
  bool Readable(boost::system::error_code& error);

  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  std::chrono::milliseconds timeout_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace dyad::testutil

#endif  // DYAD_TESTS_TESTING_HTTP_CLIENT_H_
