// The network layer in-process: a real Server and WorkerPool on a loopback port, driven by the
// client library and by raw bytes.
#include "searchd/server.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "clients/client.h"
#include "indexer/build.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

class ServerTest : public ::testing::Test {
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
    BuildReport report;
    ASSERT_TRUE(BuildIndex({{dir_.Sub("c")}, dir_.Sub("index")}, *enricher_, &report).ok());
  }

  void StartServer(ServerOptions options = {}) {
    auto workers =
        WorkerPool::Start(2, [&] { return QueryService::Open(dir_.Sub("index"), *enricher_); });
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

  static v1::Envelope SearchEnvelope(std::uint64_t id, const std::string& query) {
    v1::Envelope e;
    e.set_request_id(id);
    e.set_protocol_version(1);
    e.mutable_search()->set_query(query);
    return e;
  }

  testutil::TempDir dir_;
  std::optional<Analyzer> analyzer_;
  std::unique_ptr<Enricher> enricher_;
  boost::asio::io_context io_;
  std::unique_ptr<WorkerPool> workers_;
  std::unique_ptr<Server> server_;
  std::thread io_thread_;
};

TEST_F(ServerTest, AnswersASearch) {
  StartServer();
  auto client = Connect();
  v1::SearchRequest request;
  request.set_query("energy");
  auto response = client->Search(request);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  ASSERT_EQ(response->hits_size(), 1);
  EXPECT_EQ(response->hits(0).id(), "a");
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredById) {
  StartServer();
  auto client = Connect();
  std::string burst;
  for (std::uint64_t id = 1; id <= 50; ++id) {
    burst += EncodeFrame(SearchEnvelope(id, id % 2 ? "energy" : "trade"));
  }
  ASSERT_TRUE(client->SendBytes(burst).ok());
  std::set<std::uint64_t> answered;
  for (int i = 0; i < 50; ++i) {
    auto response = client->Receive();
    ASSERT_TRUE(response.ok()) << response.status().ToString();
    ASSERT_TRUE(response->has_search_result());
    const std::string expected = response->request_id() % 2 ? "a" : "b";
    EXPECT_EQ(response->search_result().hits(0).id(), expected);
    answered.insert(response->request_id());
  }
  EXPECT_EQ(answered.size(), 50u);
}

TEST_F(ServerTest, GarbageFrameGetsAnErrorAndTheConnectionGoesOn) {
  StartServer();
  auto client = Connect();
  const std::string garbage = "\xff\xfe\x00\x13garbage";
  std::string frame = std::string("\x00\x00\x00", 3) + static_cast<char>(garbage.size()) + garbage;
  ASSERT_TRUE(client->SendBytes(frame).ok());
  auto error = client->Receive();
  ASSERT_TRUE(error.ok()) << error.status().ToString();
  EXPECT_EQ(error->request_id(), 0u);
  EXPECT_EQ(error->error().code(), v1::ERROR_CODE_MALFORMED_FRAME);
  auto response = client->Call(SearchEnvelope(7, "trade"));
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->request_id(), 7u);
  EXPECT_TRUE(response->has_search_result());
}

TEST_F(ServerTest, OversizeFrameGetsAnErrorThenTheConnectionCloses) {
  ServerOptions options;
  options.max_frame_size = 1024;
  StartServer(options);
  auto client = Connect();
  ASSERT_TRUE(client->SendBytes(std::string("\x00\x10\x00\x00", 4)).ok());  // 1 MiB announced.
  auto error = client->Receive();
  ASSERT_TRUE(error.ok()) << error.status().ToString();
  EXPECT_EQ(error->error().code(), v1::ERROR_CODE_FRAME_TOO_LARGE);
  EXPECT_FALSE(client->Receive().ok());  // Closed.
  auto fresh = Connect();
  EXPECT_TRUE(fresh->Call(SearchEnvelope(1, "trade")).ok());
}

TEST_F(ServerTest, ConnectionsOverTheLimitAreTurnedAwayWithAnError) {
  ServerOptions options;
  options.max_connections = 1;
  StartServer(options);
  auto first = Connect();
  ASSERT_TRUE(first->Call(SearchEnvelope(1, "trade")).ok());  // Registered for sure.
  auto second = Connect();
  auto refusal = second->Receive();
  ASSERT_TRUE(refusal.ok()) << refusal.status().ToString();
  EXPECT_EQ(refusal->error().code(), v1::ERROR_CODE_UNAVAILABLE);
  EXPECT_TRUE(first->Call(SearchEnvelope(2, "energy")).ok());
}

TEST_F(ServerTest, BadQueryIsAnErrorResponse) {
  StartServer();
  auto client = Connect();
  v1::SearchRequest request;
  request.set_query("x");
  request.set_limit(5000);
  auto response = client->Search(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(response.status().message().find("limit"), std::string::npos);
}

}  // namespace
}  // namespace dyad
