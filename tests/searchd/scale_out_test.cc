// Scale-out: the bundled corpus split into two shard indexes, one of them served by a real
// xapian-tcpsrv on a loopback port, searched through a stub file; and the same articles in one
// combined index. Every request must give the same hits, scores and exact facet counts.
//
// The combined index gets the articles in the interleaved order that Xapian gives a two-shard
// database (shard 0's first, shard 1's first, shard 0's second...), so even ties, which Xapian
// breaks by document id, come out in the same order.
#include <gtest/gtest.h>

#include <filesystem>

#include "indexer/build.h"
#include "searchd/query_service.h"
#include "tests/testing/process.h"
#include "tests/testing/shared_enricher.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

namespace fs = std::filesystem;

class ScaleOutTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    enricher_ = &testutil::SharedEnricher();
    dir_ = new testutil::TempDir();

    std::vector<std::string> files;
    for (const char* folder : {"/corpus/articles", "/corpus/sotu"}) {
      for (const auto& entry : fs::directory_iterator(std::string(DYAD_SOURCE_DIR) + folder)) {
        if (entry.path().extension() == ".txt") files.push_back(entry.path().string());
      }
    }
    std::sort(files.begin(), files.end());
    // The seed article and every other speech: a faster build that still spans 1790 to today.
    std::vector<std::string> kept;
    for (std::size_t i = 0; i < files.size(); ++i) {
      if (i % 2 == 0 || files[i].find("/articles/") != std::string::npos) kept.push_back(files[i]);
    }
    files = std::move(kept);
    ASSERT_GT(files.size(), 100u);
    std::vector<std::string> shards[2];
    for (std::size_t i = 0; i < files.size(); ++i) shards[i % 2].push_back(files[i]);
    Build(files, "combined");
    Build(shards[0], "shard0");
    Build(shards[1], "shard1");

    // Shard 1 behind xapian-tcpsrv. The port was free a moment ago; retry if it was taken.
    for (int attempt = 0; attempt < 5 && server_ == nullptr; ++attempt) {
      port_ = testutil::FreeLoopbackPort();
      try {
        server_ = new testutil::ChildProcess({XAPIAN_TCPSRV_BIN, "--interface", "127.0.0.1",
                                              "--port", std::to_string(port_), dir_->Sub("shard1")},
                                             "Listening");
      } catch (const std::exception&) {
      }
    }
    ASSERT_NE(server_, nullptr) << "xapian-tcpsrv did not start";
    dir_->Write("local.stub", "auto shard0\nauto shard1\n");
    dir_->Write("remote.stub", "# shard 1 over the network\nauto shard0\nremote 127.0.0.1:" +
                                   std::to_string(port_) + "\n");
  }

  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  static void Build(const std::vector<std::string>& files, const std::string& index) {
    // One shard, so document ids follow file order: a stub over shard0 and shard1 (files dealt
    // alternately) then numbers documents as the combined index does, and ties (equal scores,
    // pure filters) come out in the same order.
    BuildExtras extras;
    extras.shards = 1;
    BuildReport report;
    const Status status = BuildIndex({files, dir_->Sub(index)}, extras, *enricher_, &report);
    ASSERT_TRUE(status.ok()) << status.ToString();
    ASSERT_EQ(report.read.skipped, 0u);
  }

  static std::unique_ptr<QueryService> Open(const std::string& name) {
    auto service = QueryService::Open(dir_->Sub(name), *enricher_);
    EXPECT_TRUE(service.ok()) << service.status().ToString();
    return service.ok() ? std::move(*service) : nullptr;
  }

  static v1::SearchResponse Must(QueryService& service, const v1::SearchRequest& request) {
    auto response = service.Search(request);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    return response.ok() ? *response : v1::SearchResponse();
  }

  static void ExpectSame(const v1::SearchResponse& expected, const v1::SearchResponse& actual,
                         const std::string& what) {
    ASSERT_EQ(actual.hits_size(), expected.hits_size()) << what;
    for (int i = 0; i < expected.hits_size(); ++i) {
      EXPECT_EQ(actual.hits(i).id(), expected.hits(i).id()) << what << " rank " << i + 1;
      EXPECT_NEAR(actual.hits(i).score(), expected.hits(i).score(),
                  1e-9 * std::max(1.0, expected.hits(i).score()))
          << what << " " << expected.hits(i).id();
      // Snippets are not compared: on local shards Xapian may pick another passage of the
      // same article (its background model differs), which changes no hit or score.
      EXPECT_EQ(actual.hits(i).snippet().empty(), expected.hits(i).snippet().empty()) << what;
      ASSERT_EQ(actual.hits(i).explanation_size(), expected.hits(i).explanation_size()) << what;
      for (int j = 0; j < expected.hits(i).explanation_size(); ++j) {
        EXPECT_EQ(actual.hits(i).explanation(j).term(), expected.hits(i).explanation(j).term());
        EXPECT_NEAR(actual.hits(i).explanation(j).weight(),
                    expected.hits(i).explanation(j).weight(), 1e-9);
      }
    }
    ASSERT_EQ(actual.facets_size(), expected.facets_size()) << what;
    for (int i = 0; i < expected.facets_size(); ++i) {
      EXPECT_EQ(actual.facets(i).ShortDebugString(), expected.facets(i).ShortDebugString()) << what;
    }
  }

  static v1::SearchRequest Request(const std::string& query) {
    v1::SearchRequest request;
    request.set_query(query);
    request.set_limit(20);
    return request;
  }

  static const Enricher* enricher_;
  static testutil::TempDir* dir_;
  static testutil::ChildProcess* server_;
  static std::uint16_t port_;
};

const Enricher* ScaleOutTest::enricher_ = nullptr;
testutil::TempDir* ScaleOutTest::dir_ = nullptr;
testutil::ChildProcess* ScaleOutTest::server_ = nullptr;
std::uint16_t ScaleOutTest::port_ = 0;

std::vector<v1::SearchRequest> Requests() {
  std::vector<v1::SearchRequest> requests;
  const auto add = [&](const std::string& query) -> v1::SearchRequest& {
    v1::SearchRequest& request = requests.emplace_back();
    request.set_query(query);
    request.set_limit(20);
    return request;
  };
  add("Pakistan Russia relations");
  add("\"Soviet Union\" arms control").set_explain(true);
  add("economy OR jobs OR taxes").set_offset(15);
  add("war").set_sort(v1::SORT_ORDER_DATE_DESC);
  add("peace").set_sort(v1::SORT_ORDER_DATE_ASC);
  add("treat*");
  add("country:RU 1947..1991");
  add("theme:trade-economy decade:1930s");
  v1::SearchRequest facets;
  facets.set_limit(20);
  facets.set_exact_facets(true);
  for (v1::FacetField field :
       {v1::FACET_FIELD_COUNTRY, v1::FACET_FIELD_DYAD, v1::FACET_FIELD_THEME, v1::FACET_FIELD_ERA,
        v1::FACET_FIELD_DECADE, v1::FACET_FIELD_SOURCE}) {
    v1::FacetRequest* facet = facets.add_facets();
    facet->set_field(field);
    facet->set_limit(1000);
  }
  requests.push_back(facets);
  facets.set_query("freedom");
  facets.mutable_filters()->add_countries("US");
  facets.mutable_filters()->set_published_from("1900");
  requests.push_back(facets);
  {
    v1::SearchRequest& request = add("");
    request.mutable_filters()->add_eras("cold-war");
    request.set_sort(v1::SORT_ORDER_DATE_ASC);
  }
  add("").set_more_like("pak-russia-relations");
  return requests;
}

TEST_F(ScaleOutTest, LocalShardsGiveTheCombinedIndexResults) {
  auto combined = Open("combined");
  auto shards = Open("local.stub");
  for (const v1::SearchRequest& request : Requests()) {
    const v1::SearchResponse expected = Must(*combined, request);
    EXPECT_GT(expected.hits_size(), 0) << request.ShortDebugString();
    ExpectSame(expected, Must(*shards, request), request.ShortDebugString());
  }
}

TEST_F(ScaleOutTest, ARemoteShardGivesTheCombinedIndexResults) {
  auto combined = Open("combined");
  auto remote = Open("remote.stub");
  ASSERT_NE(remote, nullptr);
  for (const v1::SearchRequest& request : Requests()) {
    ExpectSame(Must(*combined, request), Must(*remote, request), request.ShortDebugString());
  }
  EXPECT_EQ(remote->Health()->article_count(), combined->Health()->article_count());
}

TEST_F(ScaleOutTest, ExactFacetCountsAreExactOnEveryLayout) {
  v1::SearchRequest request = Request("");
  request.set_exact_facets(true);
  request.add_facets()->set_field(v1::FACET_FIELD_DECADE);
  request.mutable_facets(0)->set_limit(1000);
  for (const char* layout : {"combined", "local.stub", "remote.stub"}) {
    auto service = Open(layout);
    const v1::SearchResponse response = Must(*service, request);
    ASSERT_EQ(response.facets_size(), 1);
    EXPECT_TRUE(response.facets(0).exact()) << layout;
    EXPECT_EQ(response.facets(0).documents_counted(), service->Health()->article_count()) << layout;
  }
}

TEST_F(ScaleOutTest, AnUnreachableRemoteShardIsAClearError) {
  dir_->Write("dead.stub", "auto shard0\nremote 127.0.0.1:" +
                               std::to_string(testutil::FreeLoopbackPort()) + "\n");
  auto service = QueryService::Open(dir_->Sub("dead.stub"), *enricher_);
  ASSERT_FALSE(service.ok());
  EXPECT_EQ(service.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(service.status().message().find("dead.stub:2"), std::string::npos)
      << service.status().message();
}

}  // namespace
}  // namespace dyad
