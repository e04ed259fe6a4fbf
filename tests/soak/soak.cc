#include "tests/soak/soak.h"

#include <google/protobuf/util/json_util.h>
#include <poll.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/http.hpp>
#include <csignal>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "dyad/v1/envelope.pb.h"

namespace dyad::soak {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

enum Kind {
  kSearch,
  kFacets,
  kHttpSearch,
  kHttpFacets,
  kMalformed,
  kOversize,
  kInvalidUtf8,
  kHttpInvalidUtf8,
  kGarbageHttp,
  kSlowBinary,
  kSlowHttp,
  kKinds
};

struct KindInfo {
  const char* name;
  bool valid;
  bool http;
  int weight;  // Share of the request clients' traffic; 0 for the slow clients' kinds.
};
constexpr std::array<KindInfo, kKinds> kKindInfo = {{
    {"search", true, false, 30},
    {"facets", true, false, 12},
    {"http_search", true, true, 20},
    {"http_facets", true, true, 8},
    {"malformed", false, false, 5},
    {"oversize", false, false, 3},
    {"invalid_utf8", false, false, 4},
    {"http_invalid_utf8", false, true, 4},
    {"garbage_http", false, true, 4},
    {"slow_binary", false, false, 0},
    {"slow_http", false, true, 0},
}};

const std::vector<std::string>& DefaultQueries() {
  static const std::vector<std::string> queries = {
      "pakistan russia",
      "energy cooperation",
      "pair:PK-RU",
      "country:ussr",
      "\"cold war\"",
      "title:pak*",
      "1947..1991",
      "theme:energy",
      "trade OR tariffs",
      "congress AND budget",
      "era:cold-war soviet",
      "decade:1980s",
      "nuclear NEAR weapons",
      "war -peace",
      "freedom",
      "america economy jobs",
      "published:1990..2010",
      "united nations",
      "country:pk country:ru",
      "tax*",
  };
  return queries;
}

// What happened to one request.
enum class Outcome { kOk, kAnsweredError, kClosed, kFailed };

struct Result {
  Outcome outcome = Outcome::kFailed;
  std::string message;  // For failures.
};

Result Fail(std::string message) { return {Outcome::kFailed, std::move(message)}; }

// A 4-byte big-endian length (any value, for oversize frames), as proto/frame.h describes.
std::string FrameHeader(std::uint64_t length) {
  std::string header(kFrameHeaderSize, '\0');
  for (int i = 0; i < 4; ++i) header[i] = static_cast<char>((length >> (24 - 8 * i)) & 0xff);
  return header;
}

// A blocking loopback connection whose reads wait at most until a deadline.
class Connection {
 public:
  enum class Read { kData, kClosed, kTimeout };

  bool Open(std::uint16_t port, std::string* error) {
    Close();
    boost::system::error_code code;
    socket_.connect({asio::ip::make_address("127.0.0.1"), port}, code);
    if (code) {
      *error = "connect to port " + std::to_string(port) + ": " + code.message();
      Close();
      return false;
    }
    socket_.set_option(asio::ip::tcp::no_delay(true), code);
    return true;
  }
  bool is_open() const { return socket_.is_open(); }
  void Close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
    pending_.clear();
  }
  Clock::time_point last_used() const { return last_used_; }
  bool Send(std::string_view bytes) {
    last_used_ = Clock::now();
    boost::system::error_code error;
    asio::write(socket_, asio::buffer(bytes.data(), bytes.size()), error);
    return !error;
  }
  // Appends what arrives to pending().
  Read ReadSome(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd fd{socket_.native_handle(), POLLIN, 0};
    if (left <= 0 || ::poll(&fd, 1, static_cast<int>(left)) <= 0) return Read::kTimeout;
    std::array<char, 16 * 1024> buffer;
    boost::system::error_code error;
    const std::size_t n = socket_.read_some(asio::buffer(buffer), error);
    if (error) return Read::kClosed;  // End of stream or reset.
    last_used_ = Clock::now();
    pending_.append(buffer.data(), n);
    return Read::kData;
  }
  std::string& pending() { return pending_; }

 private:
  asio::io_context io_;
  asio::ip::tcp::socket socket_{io_};
  std::string pending_;
  Clock::time_point last_used_ = Clock::now();
};

// Reads one frame into *envelope.
Connection::Read ReadFrame(Connection& connection, Clock::time_point deadline,
                           v1::Envelope* envelope, std::string* error) {
  std::string& pending = connection.pending();
  while (true) {
    if (pending.size() >= kFrameHeaderSize) {
      const std::size_t length = DecodeFrameLength(pending);
      if (length > 64 * 1024 * 1024) {
        *error = "the daemon sent a frame of " + std::to_string(length) + " bytes";
        return Connection::Read::kClosed;
      }
      if (pending.size() >= kFrameHeaderSize + length) {
        const bool parsed =
            envelope->ParseFromArray(pending.data() + kFrameHeaderSize, static_cast<int>(length));
        pending.erase(0, kFrameHeaderSize + length);
        if (!parsed) *error = "the daemon sent a frame that is not an Envelope";
        return parsed ? Connection::Read::kData : Connection::Read::kClosed;
      }
    }
    const Connection::Read read = connection.ReadSome(deadline);
    if (read != Connection::Read::kData) return read;
  }
}

// Reads one HTTP response.
Connection::Read ReadResponse(Connection& connection, Clock::time_point deadline,
                              http::response<http::string_body>* response, std::string* error) {
  http::response_parser<http::string_body> parser;
  parser.eager(true);
  parser.body_limit(64 * 1024 * 1024);
  std::string& pending = connection.pending();
  while (true) {
    boost::system::error_code code;
    if (!pending.empty()) {
      const std::size_t used = parser.put(asio::buffer(pending), code);
      pending.erase(0, used);
      if (code && code != http::error::need_more) {
        *error = "unreadable HTTP answer: " + code.message();
        return Connection::Read::kClosed;
      }
      if (parser.is_done()) {
        *response = parser.release();
        return Connection::Read::kData;
      }
    }
    const Connection::Read read = connection.ReadSome(deadline);
    if (read == Connection::Read::kClosed && parser.got_some()) {
      *error = "the daemon closed the connection in the middle of an answer";
    }
    if (read != Connection::Read::kData) return read;
  }
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

template <typename Message>
bool FromJson(const std::string& json, Message* message) {
  return google::protobuf::util::JsonStringToMessage(json, message).ok();
}

// Per-thread tallies, merged at the end.
struct Tally {
  std::array<std::uint64_t, kKinds> sent{}, failed{}, answered_error{}, closed{};
  std::array<std::vector<std::uint32_t>, kKinds> latencies_us;
  std::vector<std::string> failures;

  void Add(Kind kind, const Result& result, Clock::duration latency) {
    ++sent[kind];
    switch (result.outcome) {
      case Outcome::kOk:
        latencies_us[kind].push_back(static_cast<std::uint32_t>(std::min<std::int64_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(latency).count(), UINT32_MAX)));
        break;
      case Outcome::kAnsweredError:
        ++answered_error[kind];
        break;
      case Outcome::kClosed:
        ++closed[kind];
        break;
      case Outcome::kFailed:
        ++failed[kind];
        if (failures.size() < 20) {
          failures.push_back(std::string(kKindInfo[kind].name) + ": " + result.message);
        }
        break;
    }
  }
};

// One client sending requests back to back on a binary and an HTTP connection (reopened when
// the daemon closes them), and fresh connections for the requests that end one.
class RequestClient {
 public:
  RequestClient(const Options& options, const std::vector<std::string>& queries, int index)
      : options_(options), queries_(queries), random_(options.seed * 7919 + index) {}

  void Run(const std::atomic<bool>& stop, Tally* tally) {
    std::vector<int> weights;
    for (const KindInfo& info : kKindInfo) {
      weights.push_back(info.http && options_.http_port == 0 ? 0 : info.weight);
    }
    std::discrete_distribution<int> pick(weights.begin(), weights.end());
    while (!stop) {
      const Kind kind = static_cast<Kind>(pick(random_));
      const auto started = Clock::now();
      const Result result = Do(kind);
      const Clock::duration latency = Clock::now() - started;
      Expect(kind, result, latency, tally);
    }
  }

 private:
  // A valid kind must be kOk; an invalid one must be refused or closed.
  static void Expect(Kind kind, Result result, Clock::duration latency, Tally* tally) {
    if (kKindInfo[kind].valid && result.outcome != Outcome::kOk) {
      if (result.message.empty()) result.message = "a valid request was refused";
      result.outcome = Outcome::kFailed;
    } else if (!kKindInfo[kind].valid && result.outcome == Outcome::kOk) {
      result.outcome = Outcome::kFailed;
      result.message = "an invalid request was answered as if valid";
    }
    tally->Add(kind, result, latency);
  }

  Clock::time_point Deadline() const {
    return Clock::now() + options_.request_timeout + options_.slack;
  }

  Result Do(Kind kind) {
    switch (kind) {
      case kSearch:
      case kFacets:
        return BinarySearch(kind == kFacets);
      case kHttpSearch:
      case kHttpFacets:
        return HttpSearch(kind == kHttpFacets);
      case kMalformed:
        return Malformed();
      case kOversize:
        return Oversize();
      case kInvalidUtf8:
        return InvalidUtf8();
      case kHttpInvalidUtf8:
        return HttpInvalidUtf8();
      case kGarbageHttp:
        return GarbageHttp();
      default:
        return Fail("not a request client's kind");
    }
  }

  const std::string& Query() {
    return queries_[std::uniform_int_distribution<std::size_t>(0, queries_.size() - 1)(random_)];
  }

  bool EnsureOpen(Connection& connection, std::uint16_t port, std::string* error) {
    if (connection.is_open() && Clock::now() - connection.last_used() < options_.idle_timeout / 2) {
      return true;
    }
    return connection.Open(port, error);
  }

  v1::Envelope NewEnvelope() {
    v1::Envelope envelope;
    envelope.set_request_id(next_id_++);
    envelope.set_protocol_version(v1::PROTOCOL_VERSION_1);
    if (!options_.token.empty()) envelope.set_token(options_.token);
    return envelope;
  }

  // Sends `frame` on the kept binary connection and reads one answer.
  Result BinaryExchange(const std::string& frame, v1::Envelope* answer) {
    std::string error;
    if (!EnsureOpen(binary_, options_.port, &error)) return Fail(error);
    if (!binary_.Send(frame)) {
      binary_.Close();
      return Fail("the daemon closed the binary connection before the request was sent");
    }
    const Connection::Read read = ReadFrame(binary_, Deadline(), answer, &error);
    if (read == Connection::Read::kData) return {Outcome::kOk, ""};
    binary_.Close();
    if (read == Connection::Read::kTimeout) return Fail("no answer within the deadline");
    return {Outcome::kClosed, error.empty() ? "the daemon closed the connection" : error};
  }

  Result BinarySearch(bool facets) {
    v1::Envelope request = NewEnvelope();
    v1::SearchRequest& search = *request.mutable_search();
    search.set_query(Query());
    search.set_limit(10);
    int wanted = 0;
    if (facets) {
      const v1::FacetField fields[] = {v1::FACET_FIELD_COUNTRY, v1::FACET_FIELD_DYAD,
                                       v1::FACET_FIELD_THEME, v1::FACET_FIELD_DECADE,
                                       v1::FACET_FIELD_ERA};
      wanted = 1 + static_cast<int>(random_() % 3);
      for (int i = 0; i < wanted; ++i) {
        v1::FacetRequest* facet = search.add_facets();
        facet->set_field(fields[random_() % 5]);
        facet->set_limit(5);
      }
      search.set_exact_facets(random_() % 4 == 0);
    }
    v1::Envelope answer;
    Result result = BinaryExchange(EncodeFrame(request), &answer);
    if (result.outcome != Outcome::kOk) return result;
    if (answer.request_id() != request.request_id()) {
      return Fail("answer for request " + std::to_string(answer.request_id()) + " instead of " +
                  std::to_string(request.request_id()));
    }
    if (answer.has_error()) return Fail("'" + search.query() + "': " + answer.error().message());
    if (!answer.has_search_result()) return Fail("no search result");
    if (answer.search_result().facets_size() != wanted) return Fail("wrong number of facets");
    return result;
  }

  // Sends a request on the kept HTTP connection and reads the answer.
  Result HttpExchange(const std::string& request, http::response<http::string_body>* answer) {
    std::string error;
    if (!EnsureOpen(http_, options_.http_port, &error)) return Fail(error);
    if (!http_.Send(request)) {
      http_.Close();
      return Fail("the daemon closed the HTTP connection before the request was sent");
    }
    const Connection::Read read = ReadResponse(http_, Deadline(), answer, &error);
    if (read == Connection::Read::kTimeout) {
      http_.Close();
      return Fail("no HTTP answer within the deadline");
    }
    if (read == Connection::Read::kClosed) {
      http_.Close();
      return {Outcome::kClosed, error.empty() ? "the daemon closed the connection" : error};
    }
    if (!answer->keep_alive()) http_.Close();
    return {Outcome::kOk, ""};
  }

  std::string HttpRequestText(const std::string& method, const std::string& target,
                              const std::string& body = "") const {
    std::string text = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!options_.token.empty()) text += "Authorization: Bearer " + options_.token + "\r\n";
    if (!body.empty() || method == "POST") {
      text += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
              "\r\n";
    }
    return text + "\r\n" + body;
  }

  Result HttpSearch(bool facets) {
    const std::string& query = Query();
    std::string target = "/v1/search?q=" + UrlEncode(query) + "&limit=10";
    int wanted = 0;
    if (facets) {
      target += "&facet=country:5&facet=theme";
      wanted = 2;
      if (random_() % 2) {
        target += "&facet=dyad:5";
        ++wanted;
      }
      if (random_() % 4 == 0) target += "&exact_facets=true";
    }
    http::response<http::string_body> answer;
    Result result = HttpExchange(HttpRequestText("GET", target), &answer);
    if (result.outcome != Outcome::kOk) return result;
    if (answer.result_int() != 200) {
      return Fail("'" + query + "': HTTP " + std::to_string(answer.result_int()) + " " +
                  answer.body().substr(0, 200));
    }
    v1::SearchResponse response;
    if (!FromJson(answer.body(), &response)) return Fail("the answer is not a SearchResponse");
    if (response.facets_size() != wanted) return Fail("wrong number of facets");
    return result;
  }

  // A frame whose payload starts with tag 0, which no protobuf message may hold.
  Result Malformed() {
    std::string payload(1, '\0');
    const std::size_t length = 1 + random_() % 200;
    for (std::size_t i = 0; i < length; ++i) payload += static_cast<char>(random_());
    v1::Envelope answer;
    Result result = BinaryExchange(FrameHeader(payload.size()) + payload, &answer);
    if (result.outcome != Outcome::kOk) return result;
    if (!answer.has_error() || answer.error().code() != v1::ERROR_CODE_MALFORMED_FRAME) {
      return Fail("a malformed frame got " + answer.ShortDebugString());
    }
    return {Outcome::kAnsweredError, ""};
  }

  // A search whose query is not UTF-8, which a proto3 string field may not hold.
  Result InvalidUtf8() {
    v1::Envelope request = NewEnvelope();
    request.mutable_search()->set_query("\x01\x02\x03\x04 pakistan");
    std::string payload = request.SerializeAsString();
    const std::size_t marker = payload.find("\x01\x02\x03\x04");
    if (marker == std::string::npos) return Fail("cannot build the request");
    payload.replace(marker, 4, "\xff\xfe\xc3\x28");
    v1::Envelope answer;
    Result result = BinaryExchange(FrameHeader(payload.size()) + payload, &answer);
    if (result.outcome != Outcome::kOk) return result;
    if (!answer.has_error()) return Fail("a query that is not UTF-8 got results");
    return {Outcome::kAnsweredError, ""};
  }

  // A frame announcing more than the limit, on its own connection (the daemon closes it).
  Result Oversize() {
    Connection connection;
    std::string error;
    if (!connection.Open(options_.port, &error)) return Fail(error);
    const std::uint64_t over = options_.max_frame_bytes + 1 +
                               random_() % (std::uint64_t{0xffffffff} - options_.max_frame_bytes);
    connection.Send(FrameHeader(over) + "some of the body");
    v1::Envelope answer;
    const Connection::Read read = ReadFrame(connection, Deadline(), &answer, &error);
    if (read == Connection::Read::kTimeout) return Fail("no answer to an oversize frame");
    if (read == Connection::Read::kClosed) return {Outcome::kClosed, ""};
    if (!answer.has_error() || answer.error().code() != v1::ERROR_CODE_FRAME_TOO_LARGE) {
      return Fail("an oversize frame got " + answer.ShortDebugString());
    }
    // Then the daemon must close the connection.
    while (true) {
      const Connection::Read more = connection.ReadSome(Deadline());
      if (more == Connection::Read::kClosed) break;
      if (more == Connection::Read::kTimeout) {
        return Fail("the connection stayed open after FRAME_TOO_LARGE");
      }
    }
    return {Outcome::kAnsweredError, ""};
  }

  Result HttpInvalidUtf8() {
    std::string request;
    if (random_() % 2) {
      request = HttpRequestText("GET", "/v1/search?q=%FF%FEpakistan%C3%28");
    } else {
      request = HttpRequestText("POST", "/v1/search", "{\"query\":\"\xff\xfe pakistan\"}");
    }
    http::response<http::string_body> answer;
    Result result = HttpExchange(request, &answer);
    if (result.outcome != Outcome::kOk) return result;
    const unsigned status = answer.result_int();
    v1::Error error;
    if (status < 400 || status >= 500 || !FromJson(answer.body(), &error)) {
      return Fail("a query that is not UTF-8 got HTTP " + std::to_string(status) + " " +
                  answer.body().substr(0, 200));
    }
    return {Outcome::kAnsweredError, ""};
  }

  // Bytes that are not HTTP (the first is not a token character, so no method can start
  // there), on their own connection.
  Result GarbageHttp() {
    Connection connection;
    std::string error;
    if (!connection.Open(options_.http_port, &error)) return Fail(error);
    std::string garbage(1, '\x01');
    const std::size_t length = 1 + random_() % 300;
    for (std::size_t i = 0; i < length; ++i) garbage += static_cast<char>(random_());
    if (random_() % 2) garbage += "\r\n\r\n";
    connection.Send(garbage);
    http::response<http::string_body> answer;
    const Connection::Read read = ReadResponse(connection, Deadline(), &answer, &error);
    if (read == Connection::Read::kTimeout) return Fail("no answer to garbage, and not closed");
    if (read == Connection::Read::kClosed) return {Outcome::kClosed, ""};
    if (answer.result_int() < 400 || answer.result_int() >= 500) {
      return Fail("garbage got HTTP " + std::to_string(answer.result_int()));
    }
    return {Outcome::kAnsweredError, ""};
  }

  const Options& options_;
  const std::vector<std::string>& queries_;
  std::mt19937_64 random_;
  Connection binary_;
  Connection http_;
  std::uint64_t next_id_ = 1;
};

// Slowloris: opens a connection, sends the start of a request, then one byte every
// kTrickle until the daemon closes the connection; it must do so within the request timeout.
void SlowClient(const Options& options, int index, const std::atomic<bool>& stop, Tally* tally) {
  constexpr auto kTrickle = std::chrono::milliseconds(200);
  for (int n = index; !stop; ++n) {
    const bool http = options.http_port != 0 && n % 2 == 1;
    const Kind kind = http ? kSlowHttp : kSlowBinary;
    Connection connection;
    std::string error;
    const auto started = Clock::now();
    if (!connection.Open(http ? options.http_port : options.port, &error)) {
      tally->Add(kind, Fail(error), {});
      continue;
    }
    // HTTP: headers without their end; binary: a frame of 1000 bytes, 10 of them sent.
    const std::string start = http ? "GET /v1/search?q=slow HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                                   : std::string("\x00\x00\x03\xe8", 4) + std::string(10, '\x0a');
    connection.Send(start);
    const auto limit = started + options.request_timeout + options.slack;
    Result result = Fail("not cut off within " +
                         std::to_string((options.request_timeout + options.slack).count()) + " ms");
    bool abandoned = false;
    while (true) {
      if (stop) {
        abandoned = true;  // The soak is over before the daemon had to act.
        break;
      }
      const auto now = Clock::now();
      if (now >= limit) break;
      const Connection::Read read = connection.ReadSome(std::min(now + kTrickle, limit));
      if (read == Connection::Read::kClosed) {
        result = {Outcome::kClosed, ""};
        break;
      }
      if (read == Connection::Read::kData) continue;  // An answer would do too; wait for close.
      if (!connection.Send("a")) {
        result = {Outcome::kClosed, ""};
        break;
      }
    }
    if (!abandoned) tally->Add(kind, result, Clock::now() - started);
  }
}

// True when the daemon answers a binary health request.
bool Healthy(const Options& options) {
  Connection connection;
  std::string error;
  if (!connection.Open(options.port, &error)) return false;
  v1::Envelope request;
  request.set_request_id(1);
  request.set_protocol_version(v1::PROTOCOL_VERSION_1);
  request.mutable_health();
  if (!connection.Send(EncodeFrame(request))) return false;
  v1::Envelope answer;
  return ReadFrame(connection, Clock::now() + options.request_timeout + options.slack, &answer,
                   &error) == Connection::Read::kData &&
         answer.has_health_result();
}

double Percentile(std::vector<std::uint32_t>& values, double p) {
  if (values.empty()) return 0;
  const std::size_t rank =
      std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(rank),
                   values.end());
  return values[rank] / 1000.0;
}

}  // namespace

long ResidentKb(pid_t pid) {
  if (pid <= 0) return 0;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

Report Run(const Options& options) {
  // A write to a connection the daemon has closed must be an error, not a signal.
  std::signal(SIGPIPE, SIG_IGN);
  const std::vector<std::string>& queries =
      options.queries.empty() ? DefaultQueries() : options.queries;
  const int slow_clients =
      options.slow_clients >= 0 ? options.slow_clients : std::max(1, options.connections / 8);
  Report report;
  report.rss_before_kb = ResidentKb(options.daemon_pid);

  std::atomic<bool> stop{false};
  std::vector<Tally> tallies(static_cast<std::size_t>(options.connections + slow_clients));
  std::vector<std::unique_ptr<RequestClient>> clients;
  std::vector<std::thread> threads;
  const auto started = Clock::now();
  for (int i = 0; i < options.connections; ++i) {
    clients.push_back(std::make_unique<RequestClient>(options, queries, i));
  }
  // Debian's libprotobuf is not built with TSan: the first JsonStringToMessage of a type sets up
  // its descriptors and the JSON type resolver once, inside the library, and TSan reported that
  // as a race when two client threads got there together (the TSan build's soak_test, once in
  // two runs). Done here, before any client thread starts.
  {
    v1::SearchResponse response;
    v1::Error error;
    (void)v1::SearchResponse::descriptor();
    (void)v1::Error::descriptor();
    (void)FromJson("{}", &response);
    (void)FromJson("{}", &error);
  }
  for (int i = 0; i < options.connections; ++i) {
    threads.emplace_back([&, i] { clients[i]->Run(stop, &tallies[i]); });
  }
  for (int i = 0; i < slow_clients; ++i) {
    threads.emplace_back([&, i] {
      SlowClient(options, i, stop, &tallies[static_cast<std::size_t>(options.connections + i)]);
    });
  }
  // The soak's own clock (this is a load generator: waiting is its job).
  const auto warm = started + std::min(options.warm_up, options.duration);
  std::this_thread::sleep_until(warm);
  report.rss_warm_kb = ResidentKb(options.daemon_pid);
  std::this_thread::sleep_until(started + options.duration);
  stop = true;
  for (std::thread& thread : threads) thread.join();
  report.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  report.rss_end_kb = ResidentKb(options.daemon_pid);
  report.daemon_alive = Healthy(options);

  std::vector<std::uint32_t> valid_latencies;
  for (int kind = 0; kind < kKinds; ++kind) {
    KindReport k;
    k.name = kKindInfo[kind].name;
    k.valid = kKindInfo[kind].valid;
    std::vector<std::uint32_t> latencies;
    for (Tally& t : tallies) {
      k.sent += t.sent[kind];
      k.failed += t.failed[kind];
      k.answered_error += t.answered_error[kind];
      k.closed += t.closed[kind];
      latencies.insert(latencies.end(), t.latencies_us[kind].begin(), t.latencies_us[kind].end());
    }
    if (k.valid) {
      valid_latencies.insert(valid_latencies.end(), latencies.begin(), latencies.end());
      k.p50_ms = Percentile(latencies, 0.50);
      k.p99_ms = Percentile(latencies, 0.99);
      k.max_ms =
          latencies.empty() ? 0 : *std::max_element(latencies.begin(), latencies.end()) / 1000.0;
      report.valid_requests += k.sent;
      report.valid_failures += k.failed;
    } else {
      report.invalid_requests += k.sent;
      report.invalid_failures += k.failed;
    }
    report.requests += k.sent;
    report.kinds.push_back(k);
  }
  report.valid_p99_ms = Percentile(valid_latencies, 0.99);
  for (const Tally& t : tallies) {
    for (const std::string& f : t.failures) {
      if (report.failures.size() < 20) report.failures.push_back(f);
    }
  }
  return report;
}

std::string Report::Text() const {
  std::ostringstream out;
  char line[200];
  std::snprintf(line, sizeof line, "%-18s %-5s %10s %8s %10s %8s %9s %9s %9s\n", "kind", "valid",
                "sent", "failed", "error", "closed", "p50_ms", "p99_ms", "max_ms");
  out << line;
  for (const KindReport& k : kinds) {
    std::snprintf(line, sizeof line, "%-18s %-5s %10llu %8llu %10llu %8llu %9.2f %9.2f %9.2f\n",
                  k.name.c_str(), k.valid ? "yes" : "no", static_cast<unsigned long long>(k.sent),
                  static_cast<unsigned long long>(k.failed),
                  static_cast<unsigned long long>(k.answered_error),
                  static_cast<unsigned long long>(k.closed), k.p50_ms, k.p99_ms, k.max_ms);
    out << line;
  }
  std::snprintf(line, sizeof line,
                "%.1f s: %llu requests (%.0f/s); valid %llu, failed %llu, p99 %.2f ms; invalid "
                "%llu, neither refused nor closed %llu\n",
                seconds, static_cast<unsigned long long>(requests),
                seconds > 0 ? static_cast<double>(requests) / seconds : 0.0,
                static_cast<unsigned long long>(valid_requests),
                static_cast<unsigned long long>(valid_failures), valid_p99_ms,
                static_cast<unsigned long long>(invalid_requests),
                static_cast<unsigned long long>(invalid_failures));
  out << line;
  if (rss_before_kb > 0) {
    std::snprintf(line, sizeof line,
                  "daemon RSS: %ld kB before, %ld kB after warm-up, %ld kB at the end (%+.1f%% "
                  "since warm-up)\n",
                  rss_before_kb, rss_warm_kb, rss_end_kb,
                  rss_warm_kb > 0 ? 100.0 * (rss_end_kb - rss_warm_kb) / rss_warm_kb : 0.0);
    out << line;
  }
  out << "daemon " << (daemon_alive ? "alive (answers health)" : "NOT ANSWERING") << "\n";
  for (const std::string& f : failures) out << "failure: " << f << "\n";
  return out.str();
}

std::string Report::Json() const {
  std::ostringstream out;
  out << "{\"seconds\":" << seconds << ",\"requests\":" << requests
      << ",\"valid_requests\":" << valid_requests << ",\"valid_failures\":" << valid_failures
      << ",\"invalid_requests\":" << invalid_requests
      << ",\"invalid_failures\":" << invalid_failures << ",\"valid_p99_ms\":" << valid_p99_ms
      << ",\"rss_before_kb\":" << rss_before_kb << ",\"rss_warm_kb\":" << rss_warm_kb
      << ",\"rss_end_kb\":" << rss_end_kb
      << ",\"daemon_alive\":" << (daemon_alive ? "true" : "false") << ",\"kinds\":[";
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    const KindReport& k = kinds[i];
    out << (i ? "," : "") << "{\"kind\":\"" << k.name
        << "\",\"valid\":" << (k.valid ? "true" : "false") << ",\"sent\":" << k.sent
        << ",\"failed\":" << k.failed << ",\"answered_error\":" << k.answered_error
        << ",\"closed\":" << k.closed << ",\"p50_ms\":" << k.p50_ms << ",\"p99_ms\":" << k.p99_ms
        << ",\"max_ms\":" << k.max_ms << "}";
  }
  out << "]}";
  return out.str();
}

}  // namespace dyad::soak
