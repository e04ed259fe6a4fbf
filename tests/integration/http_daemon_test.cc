// The HTTP gateway end to end: dyad-index builds an index of corpus/, dyad-searchd serves it with
// --http on free loopback ports, and Beast's synchronous client and the client library query it.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "clients/client.h"
#include "tests/testing/http_client.h"
#include "tests/testing/process.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

namespace http = boost::beast::http;
using testutil::Daemon;
using testutil::DaemonOptions;
using testutil::HttpClient;
using testutil::HttpReply;
using testutil::RunCommand;
using testutil::RunResult;

constexpr char kToken[] = "integration-test-token-0123456789";

template <typename Message>
Message FromJson(const std::string& json) {
  Message message;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(status.ok()) << status.message() << ": " << json.substr(0, 300);
  return message;
}

bool HasDyad(const v1::Hit& hit, const std::string& pair) {
  for (const v1::DyadScore& dyad : hit.enrichment().dyads()) {
    if (dyad.pair() == pair) return true;
  }
  return false;
}

class HttpDaemonTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testutil::TempDir();
    const RunResult build =
        RunCommand({DYAD_INDEX_BIN, "build", DYAD_SOURCE_DIR "/corpus/articles",
                    DYAD_SOURCE_DIR "/corpus/sotu", "--index", dir_->Sub("index"), "--quiet"});
    ASSERT_EQ(build.exit_code, 0) << build.err;
  }
  static void TearDownTestSuite() { delete dir_; }

  static DaemonOptions WithHttp(std::string stderr_path = "") {
    DaemonOptions options;
    options.http = true;
    options.stderr_path = std::move(stderr_path);
    return options;
  }

  static testutil::TempDir* dir_;
};

testutil::TempDir* HttpDaemonTest::dir_ = nullptr;

TEST_F(HttpDaemonTest, PairFilterReturnsTheSeedArticleAndOnlyArticlesOfThatDyad) {
  Daemon daemon(dir_->Sub("index"), {"--quiet"}, WithHttp());
  HttpClient client(daemon.http_port());
  const HttpReply reply = client.Get("/v1/search?pair=PK-RU&limit=100");
  ASSERT_EQ(reply.status, 200) << reply.error << reply.body;
  const auto response = FromJson<v1::SearchResponse>(reply.body);
  ASSERT_GT(response.hits_size(), 0);
  bool seed = false;
  for (const v1::Hit& hit : response.hits()) {
    seed |= hit.id() == "pak-russia-relations";
    EXPECT_TRUE(HasDyad(hit, "PK-RU")) << hit.id();
  }
  EXPECT_TRUE(seed);

  // With free text and the other filters mapped onto the query syntax.
  const HttpReply filtered =
      client.Get("/v1/search?q=energy&pair=pakistan-russia&theme=energy&country=soviet%20union");
  ASSERT_EQ(filtered.status, 200) << filtered.body;
  const auto narrowed = FromJson<v1::SearchResponse>(filtered.body);
  ASSERT_EQ(narrowed.hits_size(), 1);
  EXPECT_EQ(narrowed.hits(0).id(), "pak-russia-relations");

  // A period filter keeps articles whose discussed period overlaps it.
  const HttpReply cold_war = client.Get("/v1/search?q=nuclear&from=1947&to=1991&limit=20");
  ASSERT_EQ(cold_war.status, 200) << cold_war.body;
  const auto overlapping = FromJson<v1::SearchResponse>(cold_war.body);
  EXPECT_GT(overlapping.hits_size(), 0);
  for (const v1::Hit& hit : overlapping.hits()) {
    const v1::YearSpan& period = hit.enrichment().period();
    EXPECT_LE(period.from(), 1991) << hit.id();
    EXPECT_GE(period.to(), 1947) << hit.id();
  }
  EXPECT_TRUE(daemon.running());
}

TEST_F(HttpDaemonTest, EveryEndpointAnswers) {
  Daemon daemon(dir_->Sub("index"), {"--quiet"}, WithHttp());
  HttpClient client(daemon.http_port());

  const HttpReply health = client.Get("/healthz");
  ASSERT_EQ(health.status, 200) << health.error;
  EXPECT_EQ(FromJson<v1::HealthResponse>(health.body).article_count(), 234u);

  const HttpReply search = client.Send(http::verb::post, "/v1/search",
                                       R"({"query": "Pakistan Russia relations", "limit": 3})");
  ASSERT_EQ(search.status, 200) << search.body;
  const auto hits = FromJson<v1::SearchResponse>(search.body);
  ASSERT_EQ(hits.hits_size(), 3);
  EXPECT_EQ(hits.hits(0).id(), "pak-russia-relations");

  const HttpReply article = client.Get("/v1/articles/pak-russia-relations");
  ASSERT_EQ(article.status, 200);
  EXPECT_EQ(FromJson<v1::GetArticleResponse>(article.body).article().title(),
            "From Mistrust to Mutual Interests: The Saga of Pak-Russia Relations");
  EXPECT_EQ(client.Get("/v1/articles/pak-china-relations").status, 404);

  const HttpReply metrics = client.Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("\ndyad_index_articles 234\n"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("dyad_requests_total{protocol=\"http\",kind=\"search\"} 1\n"),
            std::string::npos)
      << metrics.body;

  const HttpReply preflight =
      client.Send(http::verb::options, "/v1/articles/x", "",
                  {{"Origin", "https://portal.example"}, {"Access-Control-Request-Method", "GET"}});
  EXPECT_EQ(preflight.status, 204);
  EXPECT_EQ(preflight.header("Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(client.Get("/v2").status, 404);
  EXPECT_EQ(client.Send(http::verb::delete_, "/v1/articles/x").status, 405);
  EXPECT_EQ(client.Send(http::verb::post, "/v1/search", "{\"query\": 3").status, 400);

  // The binary protocol gets articles too.
  auto binary = Client::Connect("127.0.0.1", daemon.port(), std::chrono::seconds(20));
  ASSERT_TRUE(binary.ok());
  auto seed = (*binary)->Get("pak-russia-relations");
  ASSERT_TRUE(seed.ok()) << seed.status().ToString();
  EXPECT_FALSE(seed->key_points().empty());
  EXPECT_EQ((*binary)->Get("no-such-id").status().code(), StatusCode::kNotFound);
}

TEST_F(HttpDaemonTest, MalformedHttpIsAnsweredOrClosedAndTheDaemonKeepsServing) {
  Daemon daemon(dir_->Sub("index"), {"--quiet", "--max-body-bytes", "2048"}, WithHttp());
  for (int i = 0; i < 8; ++i) {
    HttpClient client(daemon.http_port());
    std::string garbage(200, '\0');
    for (std::size_t j = 0; j < garbage.size(); ++j) garbage[j] = static_cast<char>(j * 37 + i);
    client.SendRaw(garbage + "\r\n\r\n");
    const HttpReply reply = client.Read();
    if (reply.status != 0) {
      EXPECT_EQ(reply.status, 400) << reply.body;
    }
    EXPECT_TRUE(client.WaitForClose());
  }
  HttpClient big(daemon.http_port());
  EXPECT_EQ(big.Send(http::verb::post, "/v1/search", std::string(10000, ' ')).status, 413);
  HttpClient good(daemon.http_port());
  EXPECT_EQ(good.Get("/v1/search?q=energy").status, 200);
  EXPECT_TRUE(daemon.running());
}

TEST_F(HttpDaemonTest, TokenFromAConfigFileGuardsBothProtocolsAndRequestsAreLogged) {
  testutil::TempDir local;
  const std::string token_file = local.Write("token", std::string(kToken) + "\n");
  const std::string config = local.Write(
      "searchd.textproto",
      "token_file: \"" + token_file + "\"\nlog_format: \"json\"\nquiet: true\nmax_results: 5\n");
  const std::string log = local.Sub("stderr");
  {
    Daemon daemon(dir_->Sub("index"), {"--config", config, "--quiet=false"}, WithHttp(log));
    HttpClient client(daemon.http_port());
    EXPECT_EQ(client.Get("/v1/search?q=energy").status, 401);
    EXPECT_EQ(client.Get("/v1/search?q=energy", {{"Authorization", "Bearer nope"}}).status, 401);
    const testutil::HttpClient::Headers auth = {{"Authorization", std::string("Bearer ") + kToken}};
    EXPECT_EQ(client.Get("/v1/search?q=energy", auth).status, 200);
    EXPECT_EQ(client.Get("/v1/search?q=energy&limit=6", auth).status, 400);  // max_results: 5
    EXPECT_EQ(client.Get("/healthz").status, 200);

    auto binary = Client::Connect("127.0.0.1", daemon.port(), std::chrono::seconds(20));
    ASSERT_TRUE(binary.ok());
    v1::SearchRequest request;
    request.set_query("energy");
    EXPECT_EQ((*binary)->Search(request).status().code(), StatusCode::kUnauthenticated);
    (*binary)->set_token(kToken);
    EXPECT_TRUE((*binary)->Search(request).ok());
    EXPECT_EQ(daemon.Stop(), 0);
  }
  // One JSON line per request (7 here), with the documented keys.
  std::ifstream in(log);
  std::string line;
  int requests = 0;
  while (std::getline(in, line)) {
    if (!line.starts_with("{")) continue;  // The daemon's own messages.
    ++requests;
    for (const char* key : {"\"time\":", "\"protocol\":", "\"kind\":", "\"status\":",
                            "\"latency_ms\":", "\"request_id\":", "\"peer\":\"127.0.0.1:"}) {
      EXPECT_NE(line.find(key), std::string::npos) << key << " in " << line;
    }
  }
  EXPECT_EQ(requests, 7);
}

TEST_F(HttpDaemonTest, ServesAWebFolderWithoutPathTraversal) {
  testutil::TempDir local;
  local.Write("web/index.html", "<!doctype html><p>search page</p>");
  local.Write("web/search.js", "export {};");
  local.Write("private.txt", "not public");
  Daemon daemon(dir_->Sub("index"), {"--quiet", "--web", local.Sub("web")}, WithHttp());
  HttpClient client(daemon.http_port());
  const HttpReply page = client.Get("/");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(client.Get("/search.js").header("Content-Type"), "text/javascript; charset=utf-8");
  for (const char* target : {"/../private.txt", "/%2E%2E/private.txt", "/..%2Fprivate.txt"}) {
    ASSERT_TRUE(client.SendRaw(std::string("GET ") + target + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    const HttpReply reply = client.Read();
    EXPECT_EQ(reply.status, 404) << target;
    EXPECT_EQ(reply.body.find("not public"), std::string::npos) << target;
  }
}

TEST_F(HttpDaemonTest, HelpDocumentsTheFlagsAndBadFlagsExitWithUsage) {
  const RunResult help = RunCommand({DYAD_SEARCHD_BIN, "--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* flag : {"--http", "--token-file", "--config", "--log-format", "--quiet",
                           "--cors-origin", "--web", "--request-timeout-ms"}) {
    EXPECT_NE(help.out.find(flag), std::string::npos) << flag;
  }
  const RunResult bad =
      RunCommand({DYAD_SEARCHD_BIN, "--index", dir_->Sub("index"), "--http", "nowhere"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--http"), std::string::npos) << bad.err;
  const RunResult short_token = RunCommand({DYAD_SEARCHD_BIN, "--index", dir_->Sub("index"),
                                            "--token-file", DYAD_SOURCE_DIR "/README.md"});
  EXPECT_EQ(short_token.exit_code, 2);
}

}  // namespace
}  // namespace dyad
