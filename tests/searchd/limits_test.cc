// dyad-searchd's limits, each shown at its value (accepted) and just past it (refused, or the
// connection closed): results per page, offset, query length, wildcard expansion, frame size,
// connections, token length, the binary protocol's idle timeout and request deadline, and the
// loopback default with its warning. Other limits have their tests beside the feature
// (docs/reliability.md lists them all): HTTP body and header sizes, HTTP deadlines and idle
// timeout in http_server_test.cc, tokens on both protocols in http_server_test.cc.
#include <gtest/gtest.h>
#include <xapian.h>

#include <array>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "clients/client.h"
#include "indexer/build.h"
#include "searchd/auth.h"
#include "searchd/config.h"
#include "searchd/http_server.h"
#include "searchd/server.h"
#include "tests/testing/http_client.h"
#include "tests/testing/process.h"
#include "tests/testing/shared_enricher.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

using Clock = std::chrono::steady_clock;
using testutil::HttpClient;

class LimitsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    enricher_ = &testutil::SharedEnricher();
    dir_ = new testutil::TempDir();
    for (int i = 0; i < 12; ++i) {
      dir_->Write("c/" + std::to_string(i) + ".txt",
                  "Talks " + std::to_string(i) +
                      "\nPakistan and Russia talk trade, tariffs, textiles and tea, round " +
                      std::to_string(i) + ".\n");
    }
    BuildReport report;
    ASSERT_TRUE(BuildIndex({{dir_->Sub("c")}, dir_->Sub("index")}, *enricher_, &report).ok());
  }
  static void TearDownTestSuite() { delete dir_; }

  static std::unique_ptr<QueryService> Open(const QueryLimits& limits) {
    auto service = QueryService::Open(dir_->Sub("index"), *enricher_, limits);
    EXPECT_TRUE(service.ok()) << service.status().ToString();
    return service.ok() ? std::move(*service) : nullptr;
  }

  static v1::SearchRequest Request(const std::string& query, std::uint32_t limit = 0,
                                   std::uint32_t offset = 0) {
    v1::SearchRequest request;
    request.set_query(query);
    request.set_limit(limit);
    request.set_offset(offset);
    return request;
  }

  // A binary Server with one worker thread on a loopback port.
  void StartServer(ServerOptions options) {
    auto workers =
        WorkerPool::Start(1, [&] { return QueryService::Open(dir_->Sub("index"), *enricher_); });
    ASSERT_TRUE(workers.ok()) << workers.status().ToString();
    workers_ = std::move(*workers);
    server_ = std::make_unique<Server>(io_, *workers_, options);
    ASSERT_TRUE(server_->Start().ok());
    io_thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    if (server_) {
      boost::asio::post(io_, [this] {
        server_->Stop();
        workers_->Stop();
        io_.stop();
      });
    }
    if (io_thread_.joinable()) io_thread_.join();
  }

  std::unique_ptr<Client> Connect() {
    auto client = Client::Connect("127.0.0.1", server_->port(), std::chrono::seconds(10));
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    return client.ok() ? std::move(*client) : nullptr;
  }

  static v1::Envelope Search(std::uint64_t id, const std::string& query) {
    v1::Envelope envelope;
    envelope.set_request_id(id);
    envelope.set_protocol_version(v1::PROTOCOL_VERSION_1);
    envelope.mutable_search()->set_query(query);
    return envelope;
  }

  static const Enricher* enricher_;
  static testutil::TempDir* dir_;
  boost::asio::io_context io_;
  std::unique_ptr<WorkerPool> workers_;
  std::unique_ptr<Server> server_;
  std::thread io_thread_;
};

const Enricher* LimitsTest::enricher_ = nullptr;
testutil::TempDir* LimitsTest::dir_ = nullptr;

// Each row: a limit set on QueryService, the request at it and the request one past it.
TEST_F(LimitsTest, QueryLimitsAcceptTheirValueAndRefuseOneMore) {
  struct Case {
    std::string limit;
    QueryLimits limits;
    v1::SearchRequest at;
    v1::SearchRequest past;
    std::string message;  // Part of the refusal.
  };
  QueryLimits results;
  results.max_limit = 5;
  QueryLimits offset;
  offset.max_offset = 7;
  QueryLimits length;
  length.max_query_bytes = 64;
  std::string query_at = "pakistan";
  while (query_at.size() < 64) query_at += " tea";
  query_at.resize(64, 'a');
  // Wildcard expansion: as many words as the index has starting with "t".
  Xapian::Database database(dir_->Sub("index"));
  std::uint32_t t_words = 0;
  for (auto term = database.allterms_begin("t"); term != database.allterms_end("t"); ++term) {
    ++t_words;
  }
  ASSERT_GE(t_words, 4u);  // talk(s), tariffs, tea, textiles, trade...
  QueryLimits wildcard_at;
  wildcard_at.max_wildcard_expansion = t_words;
  QueryLimits wildcard_past;
  wildcard_past.max_wildcard_expansion = t_words - 1;

  const Case cases[] = {
      {"results per page", results, Request("trade", 5), Request("trade", 6), "limit"},
      {"offset", offset, Request("trade", 1, 7), Request("trade", 1, 8), "offset"},
      {"query length", length, Request(query_at), Request(query_at + "a"), "bytes"},
  };
  for (const Case& c : cases) {
    auto service = Open(c.limits);
    ASSERT_NE(service, nullptr);
    const auto at = service->Search(c.at);
    EXPECT_TRUE(at.ok()) << c.limit << ": " << at.status().ToString();
    const auto past = service->Search(c.past);
    ASSERT_FALSE(past.ok()) << c.limit;
    EXPECT_EQ(past.status().code(), StatusCode::kInvalidArgument) << c.limit;
    EXPECT_NE(past.status().message().find(c.message), std::string::npos)
        << c.limit << ": " << past.status().message();
  }
  const auto at_limit = Open(results)->Search(Request("trade", 5));
  ASSERT_TRUE(at_limit.ok());
  EXPECT_EQ(at_limit->hits_size(), 5);

  auto wide = Open(wildcard_at);
  const auto expanded = wide->Search(Request("t*", 20));
  ASSERT_TRUE(expanded.ok()) << expanded.status().ToString();
  EXPECT_EQ(expanded->hits_size(), 12);
  const auto refused = Open(wildcard_past)->Search(Request("t*", 20));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("wildcard"), std::string::npos);
}

TEST_F(LimitsTest, FrameOfExactlyTheLimitIsServedAndOneByteMoreClosesTheConnection) {
  ServerOptions options;
  options.max_frame_size = 1024;
  StartServer(options);
  // A search padded with spaces (the query is trimmed by the parser) to a payload of exactly
  // 1024 bytes.
  v1::Envelope request = Search(1, "trade");
  while (request.ByteSizeLong() < 1024) request.mutable_search()->mutable_query()->push_back(' ');
  ASSERT_EQ(request.ByteSizeLong(), 1024u);
  auto client = Connect();
  auto answer = client->Call(request);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_TRUE(answer->has_search_result()) << answer->ShortDebugString();

  request.set_request_id(2);
  request.mutable_search()->mutable_query()->push_back(' ');
  ASSERT_EQ(request.ByteSizeLong(), 1025u);
  auto refusal = client->Call(request);
  ASSERT_TRUE(refusal.ok()) << refusal.status().ToString();
  EXPECT_EQ(refusal->error().code(), v1::ERROR_CODE_FRAME_TOO_LARGE);
  EXPECT_FALSE(client->Receive().ok());  // Closed.
}

TEST_F(LimitsTest, ConnectionsUpToTheLimitAreServedAndAFreedSlotIsReused) {
  ServerOptions options;
  options.max_connections = 2;
  StartServer(options);
  auto first = Connect();
  auto second = Connect();
  ASSERT_TRUE(first->Call(Search(1, "trade")).ok());
  ASSERT_TRUE(second->Call(Search(2, "trade")).ok());
  auto third = Connect();
  auto refusal = third->Receive();
  ASSERT_TRUE(refusal.ok()) << refusal.status().ToString();
  EXPECT_EQ(refusal->error().code(), v1::ERROR_CODE_UNAVAILABLE);
  // Once a client leaves, its slot serves a new one (the server notices the close first).
  first.reset();
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  bool served = false;
  while (!served && Clock::now() < deadline) {
    auto next = Connect();
    auto answer = next->Call(Search(3, "trade"));
    served = answer.ok() && answer->has_search_result();
  }
  EXPECT_TRUE(served);
  EXPECT_TRUE(second->Call(Search(4, "trade")).ok());
}

TEST_F(LimitsTest, BinaryConnectionIdleForTheTimeoutIsClosedButNotWhileAWorkerHasItsRequest) {
  ServerOptions options;
  options.idle_timeout = std::chrono::milliseconds(300);
  StartServer(options);
  // Requests sent within the timeout are answered...
  auto client = Connect();
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(client->Call(Search(i, "trade")).ok());
  // ...and an idle connection is closed, not before the timeout.
  HttpClient idle(server_->port(), std::chrono::seconds(10));
  const auto started = Clock::now();
  EXPECT_TRUE(idle.WaitForClose());
  EXPECT_GE(Clock::now() - started, options.idle_timeout);
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(5));

  // A request that a busy worker holds longer than the idle timeout keeps its connection.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> busy;
  workers_->Submit([released, &busy](QueryService&) {
    busy.set_value();
    released.wait();
  });
  busy.get_future().wait();
  HttpClient patient(server_->port(), 3 * options.idle_timeout);  // A raw socket with timeouts.
  ASSERT_TRUE(patient.SendRaw(EncodeFrame(Search(9, "trade"))));
  char byte = 0;
  boost::system::error_code error;
  patient.read_some(boost::asio::buffer(&byte, 1), error);
  EXPECT_EQ(error,
            boost::asio::error::timed_out);  // Three idle timeouts: not answered, not closed.
  release.set_value();
  error = {};
  std::string received;
  std::array<char, 4096> buffer;
  while (!error && (received.size() < kFrameHeaderSize ||
                    received.size() < kFrameHeaderSize + DecodeFrameLength(received))) {
    const std::size_t n = patient.read_some(boost::asio::buffer(buffer), error);
    received.append(buffer.data(), n);
  }
  ASSERT_FALSE(error) << error.message();
  v1::Envelope answer;
  ASSERT_TRUE(answer.ParseFromString(received.substr(kFrameHeaderSize)));
  EXPECT_EQ(answer.request_id(), 9u);
  EXPECT_TRUE(answer.has_search_result());
}

TEST_F(LimitsTest, BinaryFrameNotFinishedWithinTheRequestTimeoutClosesTheConnection) {
  ServerOptions options;
  options.request_timeout = std::chrono::milliseconds(300);
  options.idle_timeout = std::chrono::seconds(30);
  StartServer(options);
  const std::string frame = EncodeFrame(Search(1, "trade"));
  // Sent in pieces, but within the timeout: answered.
  auto client = Connect();
  for (std::size_t at = 0; at < frame.size(); at += 3) {
    ASSERT_TRUE(client->SendBytes(frame.substr(at, 3)).ok());
  }
  auto answer = client->Receive();
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_TRUE(answer->has_search_result());
  // The start of a frame, then nothing (slowloris): closed after the timeout, not the idle one.
  HttpClient slow(server_->port(), std::chrono::seconds(10));
  ASSERT_TRUE(slow.SendRaw(frame.substr(0, 6)));
  const auto started = Clock::now();
  EXPECT_TRUE(slow.WaitForClose());
  EXPECT_GE(Clock::now() - started, std::chrono::milliseconds(250));
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(10));
}

TEST(TokenLimitsTest, TokenFileTakes16To4096Characters) {
  testutil::TempDir dir;
  EXPECT_TRUE(ReadTokenFile(dir.Write("16", std::string(16, 'k'))).ok());
  EXPECT_FALSE(ReadTokenFile(dir.Write("15", std::string(15, 'k'))).ok());
  EXPECT_TRUE(ReadTokenFile(dir.Write("4096", std::string(4096, 'k'))).ok());
  EXPECT_FALSE(ReadTokenFile(dir.Write("4097", std::string(4097, 'k'))).ok());
}

TEST(BindLimitsTest, DefaultsAreLoopbackAndAnythingElseWithoutATokenIsWarnedAbout) {
  EXPECT_EQ(ServerOptions().host, "127.0.0.1");
  EXPECT_EQ(HttpOptions().host, "127.0.0.1");
  EXPECT_EQ(DefaultSearchdConfig().listen(), "127.0.0.1:7700");
  EXPECT_FALSE(DefaultSearchdConfig().has_http());

  testutil::TempDir dir;
  ASSERT_EQ(testutil::RunCommand({DYAD_INDEX_BIN, "build", DYAD_SOURCE_DIR "/corpus/articles",
                                  "--index", dir.Sub("index"), "--quiet"})
                .exit_code,
            0);
  const auto warned = [&](const std::vector<std::string>& args) {
    testutil::DaemonOptions options;
    options.stderr_path = dir.Sub("stderr");
    std::vector<std::string> all = {"--quiet"};
    all.insert(all.end(), args.begin(), args.end());
    testutil::Daemon daemon(dir.Sub("index"), all, options);
    daemon.Stop();  // Its warnings are written before it says it listens.
    std::ifstream in(dir.Sub("stderr"));
    std::stringstream text;
    text << in.rdbuf();
    return text.str().find("warning: listening beyond loopback") != std::string::npos;
  };
  EXPECT_FALSE(warned({"--http", "127.0.0.1:0"}));
  EXPECT_TRUE(warned({"--http", "0.0.0.0:0"}));
  dir.Write("token", std::string(32, 't'));
  EXPECT_FALSE(warned({"--http", "0.0.0.0:0", "--token-file", dir.Sub("token")}));
}

}  // namespace
}  // namespace dyad
