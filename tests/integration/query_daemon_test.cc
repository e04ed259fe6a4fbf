// The query engine through a real dyad-searchd on loopback: filters, exact facets and batches
// over the binary protocol, pipelining with batches, and reloads while clients keep searching
// (an index extended in place, a symlink switched to a rebuilt index, a remote shard reopened
// on SIGHUP): no request may fail.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "clients/client.h"
#include "indexer/build.h"
#include "proto/frame.h"
#include "tests/testing/process.h"
#include "tests/testing/shared_enricher.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

using testutil::Daemon;

class QueryDaemonTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { enricher_ = &testutil::SharedEnricher(); }

  void SetUp() override {
    dir_.Write("c/seed.txt",
               "Pakistan and Russia: A New Chapter\n- Energy: Pipelines and power plants.\n"
               "Pakistan’s ties with Russia have grown since the Cold War ended. Pakistani and "
               "Russian officials met in Moscow and Islamabad.\n");
    dir_.Write("c/in-ru.txt",
               "India and Russia\nIndia buys arms from Russia; Indian officials "
               "met Russian officials in Moscow.\n");
    dir_.Write("c/us-cn.txt",
               "---\ndate: 2020-01-02\nsource: Wire\n---\nTrade Talks\nThe United "
               "States and China discussed tariffs; American officials met "
               "Chinese officials.\n");
    for (int i = 0; i < 20; ++i) {
      dir_.Write("c/filler-" + std::to_string(i) + ".txt",
                 "Report " + std::to_string(i) +
                     "\nOfficials of France and Germany met on "
                     "trade, number " +
                     std::to_string(i) + ".\n");
    }
    Build("c", "index");
  }

  void Build(const std::string& corpus, const std::string& index) {
    BuildReport report;
    const Status s = BuildIndex({{dir_.Sub(corpus)}, dir_.Sub(index)}, *enricher_, &report);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  static std::unique_ptr<Client> Connect(const Daemon& daemon) {
    auto client = Client::Connect("127.0.0.1", daemon.port(), std::chrono::seconds(20));
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    return client.ok() ? std::move(*client) : nullptr;
  }

  static v1::SearchRequest Request(const std::string& query, std::uint32_t limit = 100) {
    v1::SearchRequest request;
    request.set_query(query);
    request.set_limit(limit);
    return request;
  }

  // Searches for `word` until the daemon finds it (the reload happened) or 30 seconds pass.
  static bool BecomesVisible(Client& client, const std::string& word) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      auto response = client.Search(Request(word));
      if (response.ok() && response->hits_size() > 0) return true;
    }
    return false;
  }

  // Clients that search in a loop until stopped, counting answers and failures.
  class Load {
   public:
    Load(const Daemon& daemon, int clients) {
      for (int i = 0; i < clients; ++i) {
        threads_.emplace_back([this, port = daemon.port(), i] {
          auto client = Client::Connect("127.0.0.1", port, std::chrono::seconds(20));
          if (!client.ok()) {
            ++failures_;
            return;
          }
          const char* queries[] = {"officials", "Russia", "trade OR tariffs", "pair:PK-RU"};
          for (int n = 0; !stop_; ++n) {
            auto response = (*client)->Search(Request(queries[(n + i) % 4], 10));
            if (response.ok()) {
              ++answered_;
            } else {
              ++failures_;
              ADD_FAILURE() << response.status().ToString();
            }
          }
        });
      }
    }
    // Stops the clients; returns {answered, failed}.
    std::pair<int, int> Finish() {
      stop_ = true;
      for (std::thread& t : threads_) t.join();
      threads_.clear();
      return {answered_.load(), failures_.load()};
    }
    ~Load() { Finish(); }

   private:
    std::atomic<bool> stop_{false};
    std::atomic<int> answered_{0};
    std::atomic<int> failures_{0};
    std::vector<std::thread> threads_;
  };

  static const Enricher* enricher_;
  testutil::TempDir dir_;
};

const Enricher* QueryDaemonTest::enricher_ = nullptr;

TEST_F(QueryDaemonTest, PairFilterAndExactFacetsOverTheWire) {
  Daemon daemon(dir_.Sub("index"));
  auto client = Connect(daemon);
  v1::SearchRequest request = Request("");
  request.mutable_filters()->add_dyads("PK-RU");
  request.set_exact_facets(true);
  request.add_facets()->set_field(v1::FACET_FIELD_COUNTRY);
  request.add_facets()->set_field(v1::FACET_FIELD_DYAD);
  auto response = client->Search(request);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  std::set<std::string> ids;
  std::map<std::string, std::uint64_t> countries, dyads;
  for (const v1::Hit& hit : response->hits()) {
    ids.insert(hit.id());
    bool has_pair = false;
    for (const auto& d : hit.enrichment().dyads()) {
      ++dyads[d.pair()];
      has_pair |= d.pair() == "PK-RU";
    }
    EXPECT_TRUE(has_pair) << hit.id();
    for (const auto& c : hit.enrichment().countries()) {
      if (c.salient()) ++countries[c.code()];
    }
  }
  EXPECT_TRUE(ids.contains("seed"));
  ASSERT_EQ(response->facets_size(), 2);
  std::map<std::string, std::uint64_t> counted_countries, counted_dyads;
  for (const auto& v : response->facets(0).values()) counted_countries[v.value()] = v.count();
  for (const auto& v : response->facets(1).values()) counted_dyads[v.value()] = v.count();
  EXPECT_EQ(counted_countries, countries);
  EXPECT_EQ(counted_dyads, dyads);
  EXPECT_TRUE(response->facets(0).exact());
}

TEST_F(QueryDaemonTest, PipelinedBatchesAndSearchesAreAnsweredById) {
  Daemon daemon(dir_.Sub("index"), {"--threads", "2"});
  auto client = Connect(daemon);
  std::string burst;
  for (std::uint64_t id = 1; id <= 30; ++id) {
    v1::Envelope envelope;
    envelope.set_request_id(id);
    if (id % 3 == 0) {
      *envelope.mutable_batch()->add_searches() = Request("tariffs");
      *envelope.mutable_batch()->add_searches() = Request("theme:no-such-theme");
      *envelope.mutable_batch()->add_searches() = Request("Pakistan");
    } else {
      *envelope.mutable_search() = Request(id % 2 ? "tariffs" : "Pakistan");
    }
    burst += EncodeFrame(envelope);
  }
  ASSERT_TRUE(client->SendBytes(burst).ok());
  std::set<std::uint64_t> answered;
  for (int i = 0; i < 30; ++i) {
    auto response = client->Receive();
    ASSERT_TRUE(response.ok()) << response.status().ToString();
    const std::uint64_t id = response->request_id();
    answered.insert(id);
    if (id % 3 == 0) {
      ASSERT_TRUE(response->has_batch_result()) << id;
      const v1::BatchResponse& batch = response->batch_result();
      ASSERT_EQ(batch.items_size(), 3);
      EXPECT_EQ(batch.items(0).search_result().hits(0).id(), "us-cn");
      EXPECT_EQ(batch.items(1).error().code(), v1::ERROR_CODE_INVALID_ARGUMENT);
      EXPECT_EQ(batch.items(2).search_result().hits(0).id(), "seed");
    } else {
      ASSERT_TRUE(response->has_search_result()) << id;
      EXPECT_EQ(response->search_result().hits(0).id(), id % 2 ? "us-cn" : "seed");
    }
  }
  EXPECT_EQ(answered.size(), 30u);
}

TEST_F(QueryDaemonTest, NoRequestFailsWhileTheIndexIsExtendedAndSwitched) {
  namespace fs = std::filesystem;
  fs::create_directory_symlink(dir_.Sub("index"), dir_.Sub("live"));
  Daemon daemon(dir_.Sub("live"), {"--threads", "2"});
  auto probe = Connect(daemon);
  Load load(daemon, 3);

  // Extended in place: each commit is picked up before the next request.
  dir_.Write("more/a.txt", "Zanzibar Spices\nZanzibar exports cloves.\n");
  Build("more", "index");
  EXPECT_TRUE(BecomesVisible(*probe, "zanzibar"));

  // Rebuilt elsewhere and published by renaming a new symlink over the old one.
  dir_.Write("more2/b.txt", "Tuvalu Climate\nTuvalu asks for climate funds.\n");
  Build("c", "index2");
  Build("more2", "index2");
  fs::create_directory_symlink(dir_.Sub("index2"), dir_.Sub("live.new"));
  fs::rename(dir_.Sub("live.new"), dir_.Sub("live"));
  daemon.Signal(SIGHUP);
  EXPECT_TRUE(BecomesVisible(*probe, "tuvalu"));

  const auto [answered, failed] = load.Finish();
  EXPECT_EQ(failed, 0);
  EXPECT_GT(answered, 0);
  EXPECT_TRUE(daemon.running());
}

#ifdef XAPIAN_TCPSRV_BIN
TEST_F(QueryDaemonTest, SighupReopensRemoteShardsWithoutFailingRequests) {
  dir_.Write("r/first.txt", "Nauru Phosphate\nNauru mined phosphate for decades.\n");
  Build("r", "remote");
  std::unique_ptr<testutil::ChildProcess> server;
  std::uint16_t port = 0;
  for (int attempt = 0; attempt < 5 && !server; ++attempt) {
    port = testutil::FreeLoopbackPort();
    try {
      server = std::make_unique<testutil::ChildProcess>(
          std::vector<std::string>{XAPIAN_TCPSRV_BIN, "--interface", "127.0.0.1", "--port",
                                   std::to_string(port), dir_.Sub("remote")},
          "Listening");
    } catch (const std::exception&) {
    }
  }
  ASSERT_NE(server, nullptr);
  dir_.Write("shards.stub", "auto index\nremote 127.0.0.1:" + std::to_string(port) + "\n");
  Daemon daemon(dir_.Sub("shards.stub"), {"--threads", "2"});
  auto probe = Connect(daemon);
  ASSERT_TRUE(BecomesVisible(*probe, "nauru"));
  Load load(daemon, 3);

  // The remote shard grows; its open connections keep their revision until reopened.
  dir_.Write("r2/second.txt", "Kiribati Fisheries\nKiribati sells fishing licences.\n");
  Build("r2", "remote");
  daemon.Signal(SIGHUP);
  EXPECT_TRUE(BecomesVisible(*probe, "kiribati"));

  const auto [answered, failed] = load.Finish();
  EXPECT_EQ(failed, 0);
  EXPECT_GT(answered, 0);
}
#endif

}  // namespace
}  // namespace dyad
