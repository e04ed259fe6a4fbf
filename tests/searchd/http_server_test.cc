// The HTTP gateway in-process: a real HttpServer and Server sharing one WorkerPool and Metrics on
// loopback ports, driven by Beast's synchronous client and by raw bytes.
#include "searchd/http_server.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "clients/client.h"
#include "indexer/build.h"
#include "searchd/server.h"
#include "tests/testing/http_client.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

namespace http = boost::beast::http;
using testutil::HttpClient;
using testutil::HttpReply;

constexpr char kToken[] = "correct-horse-battery-staple";

template <typename Message>
Message FromJson(const std::string& json) {
  Message message;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(status.ok()) << status.message() << ": " << json;
  return message;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = Analyzer::Create();
    ASSERT_TRUE(created.ok());
    analyzer_.emplace(std::move(*created));
    auto enricher = Enricher::Load(*analyzer_);
    ASSERT_TRUE(enricher.ok()) << enricher.status().ToString();
    enricher_ = std::move(*enricher);
    dir_.Write("c/a.txt", "Pakistan and Russia\nPakistan and Russia discuss energy.\n");
    dir_.Write("c/b.txt", "China Trade\nChina and the United States discuss trade.\n");
    dir_.Write("c/c.txt", "---\nid: Report 2024/05\n---\nA Report\nA report on trade.\n");
    BuildReport report;
    ASSERT_TRUE(BuildIndex({{dir_.Sub("c")}, dir_.Sub("index")}, *enricher_, &report).ok());
  }

  // Starts both protocols; `threads` workers.
  void Start(HttpOptions http = {}, ServerOptions binary = {}, int threads = 2) {
    auto workers = WorkerPool::Start(
        threads, [&] { return QueryService::Open(dir_.Sub("index"), *enricher_); });
    ASSERT_TRUE(workers.ok()) << workers.status().ToString();
    workers_ = std::move(*workers);
    http.metrics = &metrics_;
    binary.metrics = &metrics_;
    http_ = std::make_unique<HttpServer>(io_, *workers_, http);
    ASSERT_TRUE(http_->Start().ok());
    binary_ = std::make_unique<Server>(io_, *workers_, binary);
    ASSERT_TRUE(binary_->Start().ok());
    io_thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    if (http_) {
      boost::asio::post(io_, [this] {
        http_->Stop();
        binary_->Stop();
        workers_->Stop();
        io_.stop();
      });
    }
    if (io_thread_.joinable()) io_thread_.join();
  }

  HttpClient Connect() { return HttpClient(http_->port(), std::chrono::seconds(10)); }

  testutil::TempDir dir_;
  std::optional<Analyzer> analyzer_;
  std::unique_ptr<Enricher> enricher_;
  Metrics metrics_;
  boost::asio::io_context io_;
  std::unique_ptr<WorkerPool> workers_;
  std::unique_ptr<HttpServer> http_;
  std::unique_ptr<Server> binary_;
  std::thread io_thread_;
};

TEST_F(HttpServerTest, SearchByGetAndPostGivesTheSameAnswerAsTheBinaryProtocol) {
  Start();
  HttpClient client = Connect();
  const HttpReply get = client.Get("/v1/search?q=energy");
  ASSERT_EQ(get.status, 200) << get.error << get.body;
  EXPECT_EQ(get.header("Content-Type"), "application/json");
  const auto by_get = FromJson<v1::SearchResponse>(get.body);
  ASSERT_EQ(by_get.hits_size(), 1);
  EXPECT_EQ(by_get.hits(0).id(), "a");

  const HttpReply post = client.Send(http::verb::post, "/v1/search", R"({"query":"energy"})",
                                     {{"Content-Type", "application/json"}});
  ASSERT_EQ(post.status, 200) << post.body;
  const auto by_post = FromJson<v1::SearchResponse>(post.body);

  auto binary = Client::Connect("127.0.0.1", binary_->port(), std::chrono::seconds(10));
  ASSERT_TRUE(binary.ok());
  v1::SearchRequest request;
  request.set_query("energy");
  auto by_binary = (*binary)->Search(request);
  ASSERT_TRUE(by_binary.ok());
  EXPECT_EQ(by_get.SerializeAsString(), by_binary->SerializeAsString());
  EXPECT_EQ(by_post.SerializeAsString(), by_binary->SerializeAsString());
}

TEST_F(HttpServerTest, GetsArticlesByIdOnBothProtocols) {
  Start();
  HttpClient client = Connect();
  const HttpReply found = client.Get("/v1/articles/Report%202024%2F05");
  ASSERT_EQ(found.status, 200) << found.body;
  const auto article = FromJson<v1::GetArticleResponse>(found.body).article();
  EXPECT_EQ(article.id(), "Report 2024/05");
  EXPECT_EQ(article.title(), "A Report");

  const HttpReply missing = client.Get("/v1/articles/no-such-article");
  EXPECT_EQ(missing.status, 404);
  const auto error = FromJson<v1::Error>(missing.body);
  EXPECT_EQ(error.code(), v1::ERROR_CODE_NOT_FOUND);
  EXPECT_NE(error.message().find("no-such-article"), std::string::npos);

  auto binary = Client::Connect("127.0.0.1", binary_->port(), std::chrono::seconds(10));
  ASSERT_TRUE(binary.ok());
  auto by_id = (*binary)->Get("a");
  ASSERT_TRUE(by_id.ok()) << by_id.status().ToString();
  EXPECT_EQ(by_id->title(), "Pakistan and Russia");
  EXPECT_EQ((*binary)->Get("A")->id(), "a");  // Ids match without regard to case.
  EXPECT_EQ((*binary)->Get("nothing").status().code(), StatusCode::kNotFound);
  EXPECT_EQ((*binary)->Get("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*binary)->Get(std::string(300, 'x')).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(HttpServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  Start();
  HttpClient client = Connect();
  for (int i = 0; i < 5; ++i) {
    const HttpReply reply = client.Get(i % 2 ? "/healthz" : "/v1/search?q=trade");
    ASSERT_EQ(reply.status, 200) << reply.error;
    EXPECT_TRUE(reply.keep_alive);
  }
  EXPECT_EQ(metrics_.connections(Protocol::kHttp), 1);
  // Two requests in one write (pipelined) are answered in order.
  ASSERT_TRUE(
      client.SendRaw("GET /v1/articles/a HTTP/1.1\r\nHost: x\r\n\r\n"
                     "GET /v1/articles/b HTTP/1.1\r\nHost: x\r\nX-Request-Id: second\r\n\r\n"));
  const HttpReply first = client.Read();
  const HttpReply second = client.Read();
  EXPECT_EQ(FromJson<v1::GetArticleResponse>(first.body).article().id(), "a");
  EXPECT_EQ(FromJson<v1::GetArticleResponse>(second.body).article().id(), "b");
  EXPECT_EQ(second.header("X-Request-Id"), "second");
}

TEST_F(HttpServerTest, HealthzAndCors) {
  Start();
  HttpClient client = Connect();
  const HttpReply health = client.Get("/healthz", {{"Origin", "https://portal.example"}});
  ASSERT_EQ(health.status, 200);
  EXPECT_EQ(FromJson<v1::HealthResponse>(health.body).article_count(), 3u);
  EXPECT_EQ(health.header("Access-Control-Allow-Origin"), "*");

  const HttpReply preflight =
      client.Send(http::verb::options, "/v1/search", "",
                  {{"Origin", "https://portal.example"},
                   {"Access-Control-Request-Method", "POST"},
                   {"Access-Control-Request-Headers", "authorization, content-type"}});
  EXPECT_EQ(preflight.status, 204);
  EXPECT_EQ(preflight.header("Access-Control-Allow-Origin"), "*");
  EXPECT_NE(preflight.header("Access-Control-Allow-Methods").find("POST"), std::string::npos);
  EXPECT_NE(preflight.header("Access-Control-Allow-Headers").find("Authorization"),
            std::string::npos);
}

TEST_F(HttpServerTest, ErrorsAreJsonAndTheConnectionStaysUsable) {
  Start();
  HttpClient client = Connect();
  const struct {
    http::verb method;
    const char* target;
    const char* body;
    int status;
    v1::ErrorCode code;
  } cases[] = {
      {http::verb::get, "/nowhere", "", 404, v1::ERROR_CODE_NOT_FOUND},
      {http::verb::put, "/v1/search", "", 405, v1::ERROR_CODE_INVALID_ARGUMENT},
      {http::verb::post, "/v1/search", "{not json", 400, v1::ERROR_CODE_INVALID_ARGUMENT},
      {http::verb::get, "/v1/search?q=energy&limit=99999", "", 400,
       v1::ERROR_CODE_INVALID_ARGUMENT},  // Refused by QueryService, same as binary.
      {http::verb::get, "/v1/search?theme=cooking", "", 400, v1::ERROR_CODE_INVALID_ARGUMENT},
      {http::verb::get, "/v1/search?theme=energy%20OR%20x:y", "", 400,
       v1::ERROR_CODE_INVALID_ARGUMENT},  // A filter value is a value, never query syntax.
      {http::verb::get, "/v1/search?q=%22unclosed", "", 200, v1::ERROR_CODE_UNSPECIFIED},
  };
  for (const auto& c : cases) {
    const HttpReply reply = client.Send(c.method, c.target, c.body);
    ASSERT_EQ(reply.status, c.status) << c.target << " " << reply.error << reply.body;
    if (c.code != v1::ERROR_CODE_UNSPECIFIED) {
      EXPECT_EQ(FromJson<v1::Error>(reply.body).code(), c.code) << c.target;
      EXPECT_TRUE(reply.keep_alive) << c.target;
    }
  }
  EXPECT_EQ(client.Get("/healthz").status, 200);
}

TEST_F(HttpServerTest, GarbageBytesGetA400AndTheServerKeepsServing) {
  Start();
  for (const std::string& garbage :
       {std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) + "\r\n\r\n",
        std::string("GET / HTTP/9.9\r\n\r\n"), std::string("GET /healthz HTTP/1.1\r\n:\r\n\r\n"),
        std::string("POST /v1/search HTTP/1.1\r\nContent-Length: x\r\n\r\n")}) {
    HttpClient client = Connect();
    ASSERT_TRUE(client.SendRaw(garbage));
    const HttpReply reply = client.Read();
    ASSERT_EQ(reply.status, 400) << reply.error;
    EXPECT_EQ(FromJson<v1::Error>(reply.body).code(), v1::ERROR_CODE_MALFORMED_FRAME);
    EXPECT_FALSE(reply.keep_alive);
    EXPECT_TRUE(client.WaitForClose());
  }
  HttpClient fresh = Connect();
  EXPECT_EQ(fresh.Get("/v1/search?q=trade").status, 200);
}

TEST_F(HttpServerTest, OversizedBodyAndHeadersAreRefused) {
  HttpOptions options;
  options.max_body_bytes = 1024;
  options.max_header_bytes = 1024;
  Start(options);
  HttpClient big_body = Connect();
  const std::string body = R"({"query":")" + std::string(4000, 'x') + R"("})";
  const HttpReply too_large = big_body.Send(http::verb::post, "/v1/search", body);
  ASSERT_EQ(too_large.status, 413) << too_large.error;
  EXPECT_EQ(FromJson<v1::Error>(too_large.body).code(), v1::ERROR_CODE_FRAME_TOO_LARGE);
  EXPECT_TRUE(big_body.WaitForClose());

  HttpClient big_headers = Connect();
  const HttpReply headers_too_large =
      big_headers.Get("/healthz", {{"Cookie", std::string(4000, 'c')}});
  ASSERT_EQ(headers_too_large.status, 431) << headers_too_large.error;
  EXPECT_EQ(FromJson<v1::Error>(headers_too_large.body).code(), v1::ERROR_CODE_FRAME_TOO_LARGE);

  // A body just under the limit is fine.
  HttpClient fits = Connect();
  EXPECT_EQ(fits.Send(http::verb::post, "/v1/search", R"({"query":"trade"})").status, 200);
}

TEST_F(HttpServerTest, SlowClientsAreCutOffAndIdleConnectionsClosed) {
  HttpOptions options;
  options.request_timeout = std::chrono::milliseconds(300);
  options.idle_timeout = std::chrono::milliseconds(300);
  Start(options);
  // Slowloris: the request line and a header, but never the blank line that ends the headers.
  HttpClient slow = Connect();
  ASSERT_TRUE(slow.SendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "));
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(slow.WaitForClose());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  // A connection that never sends anything.
  HttpClient idle = Connect();
  EXPECT_TRUE(idle.WaitForClose());
  // Others are still served.
  HttpClient prompt = Connect();
  EXPECT_EQ(prompt.Get("/healthz").status, 200);
}

TEST_F(HttpServerTest, AQueryPastTheDeadlineIsA503) {
  HttpOptions options;
  options.request_timeout = std::chrono::milliseconds(200);
  Start(options, {}, /*threads=*/1);
  // Occupy the only worker until the test lets it go.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  workers_->Submit([released](QueryService&) { released.wait(); });
  HttpClient client = Connect();
  const HttpReply late = client.Get("/v1/search?q=trade");
  release.set_value();
  ASSERT_EQ(late.status, 503) << late.error;
  const auto error = FromJson<v1::Error>(late.body);
  EXPECT_EQ(error.code(), v1::ERROR_CODE_UNAVAILABLE);
  EXPECT_NE(error.message().find("deadline"), std::string::npos);
  // The worker's answer, when it comes, is dropped; the connection serves the next request.
  EXPECT_EQ(client.Get("/v1/search?q=trade").status, 200);
}

TEST_F(HttpServerTest, ConnectionsOverTheLimitGetA503) {
  HttpOptions options;
  options.max_connections = 1;
  Start(options);
  HttpClient first = Connect();
  ASSERT_EQ(first.Get("/healthz").status, 200);  // Registered for sure.
  HttpClient second = Connect();
  const HttpReply refused = second.Read();
  EXPECT_EQ(refused.status, 503) << refused.error;
  EXPECT_EQ(FromJson<v1::Error>(refused.body).code(), v1::ERROR_CODE_UNAVAILABLE);
  EXPECT_EQ(first.Get("/healthz").status, 200);
}

TEST_F(HttpServerTest, TokenIsRequiredOnBothProtocolsButNotForHealth) {
  HttpOptions http;
  http.handler.token = kToken;
  ServerOptions binary;
  binary.token = kToken;
  Start(http, binary);

  HttpClient client = Connect();
  const HttpReply missing = client.Get("/v1/search?q=trade");
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(FromJson<v1::Error>(missing.body).code(), v1::ERROR_CODE_UNAUTHENTICATED);
  EXPECT_NE(missing.header("WWW-Authenticate").find("Bearer"), std::string::npos);
  EXPECT_EQ(client.Get("/v1/search?q=trade", {{"Authorization", "Bearer wrong"}}).status, 401);
  EXPECT_EQ(
      client.Get("/v1/search?q=trade", {{"Authorization", std::string("Bearer ") + kToken}}).status,
      200);
  EXPECT_EQ(client.Get("/metrics").status, 401);
  EXPECT_EQ(client.Get("/healthz").status, 200);

  auto connected = Client::Connect("127.0.0.1", binary_->port(), std::chrono::seconds(10));
  ASSERT_TRUE(connected.ok());
  Client& binary_client = **connected;
  v1::SearchRequest request;
  request.set_query("trade");
  auto refused = binary_client.Search(request);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(binary_client.Health().ok());  // Health stays open.
  binary_client.set_token("correct-horse-battery-stapler");
  EXPECT_EQ(binary_client.Search(request).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(binary_client.Get("a").status().code(), StatusCode::kUnauthenticated);
  binary_client.set_token(kToken);
  EXPECT_TRUE(binary_client.Search(request).ok());
  EXPECT_TRUE(binary_client.Get("a").ok());
  EXPECT_EQ(metrics_.errors(Protocol::kBinary, v1::ERROR_CODE_UNAUTHENTICATED), 3u);
  EXPECT_EQ(metrics_.errors(Protocol::kHttp, v1::ERROR_CODE_UNAUTHENTICATED), 3u);
}

// The value of the exposition line that starts with `series` ("name{labels}"), or -1.
double Sample(const std::string& text, const std::string& series) {
  const std::size_t at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

TEST_F(HttpServerTest, MetricsMoveWithRequests) {
  Start();
  HttpClient client = Connect();
  const std::string before = client.Get("/metrics").body;
  ASSERT_NE(before.find("# TYPE dyad_requests_total counter"), std::string::npos) << before;
  EXPECT_EQ(Sample(before, "dyad_index_articles"), 3);
  EXPECT_GE(Sample(before, "dyad_index_revision"), 1);
  EXPECT_EQ(Sample(before, R"(dyad_connections{protocol="http"})"), 1);

  for (int i = 0; i < 3; ++i) ASSERT_EQ(client.Get("/v1/search?q=trade").status, 200);
  ASSERT_EQ(client.Get("/v1/articles/none").status, 404);
  auto binary = Client::Connect("127.0.0.1", binary_->port(), std::chrono::seconds(10));
  ASSERT_TRUE(binary.ok());
  v1::SearchRequest request;
  request.set_query("energy");
  ASSERT_TRUE((*binary)->Search(request).ok());
  ASSERT_TRUE((*binary)->Search(request).ok());

  const HttpReply after = client.Get("/metrics");
  EXPECT_EQ(after.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = after.body;
  EXPECT_EQ(Sample(text, R"(dyad_requests_total{protocol="http",kind="search"})"), 3) << text;
  EXPECT_EQ(Sample(text, R"(dyad_requests_total{protocol="http",kind="get"})"), 1);
  EXPECT_EQ(Sample(text, R"(dyad_requests_total{protocol="http",kind="metrics"})"), 1);
  EXPECT_EQ(Sample(text, R"(dyad_requests_total{protocol="binary",kind="search"})"), 2);
  EXPECT_EQ(Sample(text, R"(dyad_errors_total{protocol="http",code="NOT_FOUND"})"), 1);
  EXPECT_EQ(Sample(text, R"(dyad_http_responses_total{status="404"})"), 1);
  EXPECT_EQ(Sample(text, R"(dyad_request_duration_seconds_count{protocol="http"})"), 5);
  EXPECT_EQ(Sample(text, R"(dyad_request_duration_seconds_bucket{protocol="http",le="+Inf"})"), 5);
  EXPECT_EQ(Sample(text, R"(dyad_request_duration_seconds_count{protocol="binary"})"), 2);
  EXPECT_EQ(Sample(text, R"(dyad_connections{protocol="binary"})"), 1);
  EXPECT_EQ(Sample(text, R"(dyad_requests_in_flight{protocol="http"})"), 1);  // This scrape.
  EXPECT_EQ(Sample(text, R"(dyad_requests_in_flight{protocol="binary"})"), 0);
}

TEST_F(HttpServerTest, ServesStaticFilesFromTheWebFolder) {
  dir_.Write("web/index.html", "<!doctype html><title>Dyad</title>");
  dir_.Write("secret.txt", "not for the web");
  HttpOptions options;
  options.handler.web_root = dir_.Sub("web");
  options.handler.token = kToken;  // Static files need no token; the API does.
  Start(options);
  HttpClient client = Connect();
  const HttpReply page = client.Get("/");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(page.body, "<!doctype html><title>Dyad</title>");
  // Raw bytes: Beast's client would not send an unnormalised target either way.
  ASSERT_TRUE(client.SendRaw("GET /../secret.txt HTTP/1.1\r\nHost: x\r\n\r\n"));
  const HttpReply escape = client.Read();
  EXPECT_EQ(escape.status, 404);
  EXPECT_EQ(escape.body.find("not for the web"), std::string::npos);
  EXPECT_EQ(client.Get("/v1/search?q=trade").status, 401);
}

}  // namespace
}  // namespace dyad
