#include "searchd/query_service.h"

#include <gtest/gtest.h>

#include "core/schema.h"
#include "indexer/build.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

class QueryServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = Analyzer::Create();
    ASSERT_TRUE(created.ok());
    analyzer_.emplace(std::move(*created));
    auto enricher = Enricher::Load(*analyzer_);
    ASSERT_TRUE(enricher.ok()) << enricher.status().ToString();
    enricher_ = std::move(*enricher);
    dir_.Write("c/pk-ru.txt",
               "Pakistan and Russia: A New Chapter\n- Energy: Pipelines & power plants.\n"
               "Pakistan’s ties with Russia have grown since the Cold War ended.\n");
    dir_.Write("c/us-cn.txt",
               "---\ndate: 2020-01-02\nsource: Wire\n---\nTrade Talks\n"
               "The United States and China discussed tariffs on steel.\n");
    dir_.Write("c/in-ru.txt", "India and Russia\nIndia buys arms from Russia; Russia sells.\n");
    BuildOptions options{{dir_.Sub("c")}, dir_.Sub("index")};
    BuildReport report;
    ASSERT_TRUE(BuildIndex(options, *enricher_, &report).ok());
    auto service = QueryService::Open(dir_.Sub("index"), *enricher_);
    ASSERT_TRUE(service.ok()) << service.status().ToString();
    service_ = std::move(*service);
  }

  v1::SearchResponse Search(const std::string& query, std::uint32_t limit = 0) {
    v1::SearchRequest request;
    request.set_query(query);
    request.set_limit(limit);
    auto response = service_->Search(request);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    return response.ok() ? *response : v1::SearchResponse();
  }

  testutil::TempDir dir_;
  std::optional<Analyzer> analyzer_;
  std::unique_ptr<Enricher> enricher_;
  std::unique_ptr<QueryService> service_;
};

TEST_F(QueryServiceTest, RanksAndDescribesHits) {
  v1::SearchResponse response = Search("Pakistan Russia");
  ASSERT_GE(response.hits_size(), 2);
  EXPECT_EQ(response.total_estimate(), 2u);
  const v1::Hit& top = response.hits(0);
  EXPECT_EQ(top.id(), "pk-ru");
  EXPECT_EQ(top.rank(), 1u);
  EXPECT_EQ(top.title(), "Pakistan and Russia: A New Chapter");
  EXPECT_GT(top.score(), response.hits(1).score());
  EXPECT_NE(top.snippet().find("<b>Pakistan</b>"), std::string::npos) << top.snippet();
}

TEST_F(QueryServiceTest, SnippetsEscapeHtmlUnlessTextIsAsked) {
  v1::SearchRequest request;
  request.set_query("pipelines");
  auto html = service_->Search(request);
  ASSERT_TRUE(html.ok() && html->hits_size() == 1);
  EXPECT_NE(html->hits(0).snippet().find("&amp;"), std::string::npos) << html->hits(0).snippet();
  request.set_snippet_format(v1::SNIPPET_FORMAT_TEXT);
  request.set_highlight_start("[");
  request.set_highlight_end("]");
  auto text = service_->Search(request);
  ASSERT_TRUE(text.ok() && text->hits_size() == 1);
  EXPECT_NE(text->hits(0).snippet().find("[Pipelines] & power"), std::string::npos)
      << text->hits(0).snippet();
}

TEST_F(QueryServiceTest, FieldsAndPhrases) {
  EXPECT_EQ(Search("title:trade").hits(0).id(), "us-cn");
  EXPECT_EQ(Search("\"cold war\"").hits_size(), 1);
  EXPECT_EQ(Search("id:in-ru").hits(0).title(), "India and Russia");
  EXPECT_EQ(Search("source:wire").hits_size(), 1);
  EXPECT_EQ(Search("Russia NOT India").hits_size(), 1);
}

TEST_F(QueryServiceTest, KnowledgeFiltersAndHitEnrichment) {
  const auto ids = [&](const std::string& query) {
    std::vector<std::string> found;
    const v1::SearchResponse response = Search(query);
    for (const v1::Hit& hit : response.hits()) found.push_back(hit.id());
    std::sort(found.begin(), found.end());
    return found;
  };
  EXPECT_EQ(ids("pair:PK-RU"), std::vector<std::string>{"pk-ru"});
  EXPECT_EQ(ids("country:ussr"), (std::vector<std::string>{"in-ru", "pk-ru"}));
  EXPECT_EQ(ids("theme:trade-economy"), std::vector<std::string>{"us-cn"});
  EXPECT_EQ(ids("2019..2021"), std::vector<std::string>{"us-cn"});
  EXPECT_EQ(ids("published:2020-01..2020-12"), std::vector<std::string>{"us-cn"});
  EXPECT_TRUE(ids("published:2021..").empty());
  // "Soviet" is another name of Russia: the query finds articles that only say "Russia".
  EXPECT_EQ(ids("Soviet"), (std::vector<std::string>{"in-ru", "pk-ru"}));

  const v1::Hit top = Search("pair:PK-RU").hits(0);
  ASSERT_GT(top.enrichment().dyads_size(), 0);
  EXPECT_EQ(top.enrichment().dyads(0).pair(), "PK-RU");
  EXPECT_TRUE(std::any_of(top.enrichment().eras().begin(), top.enrichment().eras().end(),
                          [](const std::string& era) { return era == "cold-war"; }));
}

TEST_F(QueryServiceTest, PagingUsesOffsetAndRank) {
  v1::SearchRequest request;
  request.set_query("russia");
  request.set_offset(1);
  request.set_limit(1);
  auto response = service_->Search(request);
  ASSERT_TRUE(response.ok());
  ASSERT_EQ(response->hits_size(), 1);
  EXPECT_EQ(response->hits(0).rank(), 2u);
  EXPECT_EQ(response->offset(), 1u);
}

TEST_F(QueryServiceTest, LimitsAreErrors) {
  v1::SearchRequest request;
  request.set_query("russia");
  request.set_limit(100000);
  EXPECT_EQ(service_->Search(request).status().code(), StatusCode::kInvalidArgument);
  request.set_limit(1);
  request.set_query(std::string(5000, 'a'));
  EXPECT_EQ(service_->Search(request).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(QueryServiceTest, HandleAnswersEveryEnvelopeWithTheSameId) {
  v1::Envelope request;
  request.set_request_id(42);
  request.mutable_search()->set_query("russia");
  v1::Envelope response = service_->Handle(request);
  EXPECT_EQ(response.request_id(), 42u);
  EXPECT_TRUE(response.has_search_result());

  v1::Envelope empty;
  empty.set_request_id(43);
  response = service_->Handle(empty);
  EXPECT_EQ(response.request_id(), 43u);
  EXPECT_EQ(response.error().code(), v1::ERROR_CODE_INVALID_ARGUMENT);

  v1::Envelope wrong_way;
  wrong_way.mutable_search_result();
  EXPECT_EQ(service_->Handle(wrong_way).error().code(), v1::ERROR_CODE_INVALID_ARGUMENT);

  v1::Envelope future;
  future.set_protocol_version(99);
  future.mutable_health();
  EXPECT_EQ(service_->Handle(future).error().code(), v1::ERROR_CODE_UNSUPPORTED_VERSION);

  v1::Envelope health;
  health.mutable_health();
  response = service_->Handle(health);
  EXPECT_EQ(response.health_result().article_count(), 3u);
  EXPECT_EQ(response.health_result().schema_version(), 1u);
}

TEST_F(QueryServiceTest, SeesArticlesAddedAfterOpening) {
  dir_.Write("c2/new.txt", "Kazakhstan Uranium\nKazakhstan mines uranium.\n");
  BuildOptions options{{dir_.Sub("c2")}, dir_.Sub("index")};
  BuildReport report;
  ASSERT_TRUE(BuildIndex(options, *enricher_, &report).ok());
  v1::Envelope health;
  health.mutable_health();
  EXPECT_EQ(service_->Handle(health).health_result().article_count(), 4u);
  EXPECT_EQ(Search("kazakhstan").hits_size(), 1);
}

TEST(QueryServiceOpenTest, MissingIndexIsNotFound) {
  auto analyzer = Analyzer::Create();
  ASSERT_TRUE(analyzer.ok());
  auto enricher = Enricher::Load(*analyzer);
  ASSERT_TRUE(enricher.ok());
  testutil::TempDir dir;
  auto service = QueryService::Open(dir.Sub("none"), **enricher);
  ASSERT_FALSE(service.ok());
  EXPECT_EQ(service.status().code(), StatusCode::kNotFound);
  EXPECT_NE(service.status().message().find("dyad-index build"), std::string::npos);
}

TEST(QueryServiceOpenTest, UnknownSchemaVersionIsRefused) {
  auto analyzer = Analyzer::Create();
  ASSERT_TRUE(analyzer.ok());
  auto enricher = Enricher::Load(*analyzer);
  ASSERT_TRUE(enricher.ok());
  testutil::TempDir dir;
  {
    Xapian::WritableDatabase db(dir.Sub("old"), Xapian::DB_CREATE);
    db.set_metadata(schema::kMetaSchemaVersion, "999");
    db.commit();
  }
  auto service = QueryService::Open(dir.Sub("old"), **enricher);
  ASSERT_FALSE(service.ok());
  EXPECT_EQ(service.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(service.status().message().find("999"), std::string::npos);
}

}  // namespace
}  // namespace dyad

namespace dyad {
namespace {

TEST(QueryServiceCountryNamesTest, UssrPakistanFindsSovietUnionAndPakistani) {
  auto analyzer = Analyzer::Create();
  ASSERT_TRUE(analyzer.ok());
  auto enricher = Enricher::Load(*analyzer);
  ASSERT_TRUE(enricher.ok());
  testutil::TempDir dir;
  dir.Write("c/talks.txt",
            "Talks in Moscow\nThe Soviet Union hosted Pakistani diplomats. Soviet and Pakistani "
            "officials agreed on trade. A Pakistani delegation will return.\n");
  dir.Write("c/other.txt", "Harvest Report\nWheat prices rose in Kansas this spring.\n");
  BuildReport report;
  ASSERT_TRUE(BuildIndex({{dir.Sub("c")}, dir.Sub("index")}, **enricher, &report).ok());
  auto service = QueryService::Open(dir.Sub("index"), **enricher);
  ASSERT_TRUE(service.ok());
  v1::SearchRequest request;
  request.set_query("USSR Pakistan");
  auto response = (*service)->Search(request);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  ASSERT_EQ(response->hits_size(), 1);  // Neither "ussr" nor "pakistan" is in its text.
  EXPECT_EQ(response->hits(0).id(), "talks");
}

// Snippets of long articles come from a region around the query words (query_service.cc), so
// words far into the text, in a giant paragraph, or spread over paragraphs are still shown.
TEST(QueryServiceSnippetTest, LongArticlesShowTheQueryWords) {
  auto analyzer = Analyzer::Create();
  ASSERT_TRUE(analyzer.ok());
  auto enricher = Enricher::Load(*analyzer);
  ASSERT_TRUE(enricher.ok());
  const auto filler = [](int n) {
    return "Item " + std::to_string(n) + " notes that the weather in the town stayed mild. ";
  };
  std::string late = "Late Mention\n";
  for (int i = 0; i < 80; ++i) {
    late +=
        (i == 60 ? std::string("The Caspian pipeline project stalled again.") : filler(i)) + "\n\n";
  }
  std::string giant = "Giant Paragraph\n";
  for (int i = 0; i < 400; ++i) giant += i == 300 ? "The Caspian pipelines were sold. " : filler(i);
  giant += "\n";
  std::string spread = "Spread Words\n";
  for (int i = 0; i < 60; ++i) {
    spread += (i == 5    ? std::string("A pipeline was planned.")
               : i == 40 ? std::string("The pipeline tariff was raised by the ministry.")
                         : filler(i)) +
              "\n\n";
  }
  testutil::TempDir dir;
  dir.Write("c/late.txt", late);
  dir.Write("c/giant.txt", giant);
  dir.Write("c/spread.txt", spread);
  BuildReport report;
  ASSERT_TRUE(BuildIndex({{dir.Sub("c")}, dir.Sub("index")}, **enricher, &report).ok());
  auto service = QueryService::Open(dir.Sub("index"), **enricher);
  ASSERT_TRUE(service.ok());

  const struct {
    const char* query;
    const char* id;
    std::vector<std::string> shown;  // Must all be in the snippet.
  } kCases[] = {
      {"stalled", "late", {"<b>stalled</b>"}},
      {"sold", "giant", {"<b>sold</b>", "Caspian pipelines"}},
      {"tariff pipeline", "spread", {"<b>pipeline</b> <b>tariff</b>"}},
  };
  for (const auto& c : kCases) {
    v1::SearchRequest request;
    request.set_query(c.query);
    auto response = (*service)->Search(request);
    ASSERT_TRUE(response.ok()) << response.status().ToString();
    const auto hit = std::find_if(response->hits().begin(), response->hits().end(),
                                  [&](const v1::Hit& h) { return h.id() == c.id; });
    ASSERT_NE(hit, response->hits().end()) << c.query;
    for (const std::string& shown : c.shown) {
      EXPECT_NE(hit->snippet().find(shown), std::string::npos) << c.query << ": " << hit->snippet();
    }
    EXPECT_LE(hit->snippet().size(), 300u) << hit->snippet();
  }
}

}  // namespace
}  // namespace dyad
