#include "core/ranking.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <set>

#include "indexer/build.h"
#include "tests/testing/shared_enricher.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

class RankingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    enricher_ = &testutil::SharedEnricher();
    analyzer_ = &enricher_->analyzer();
  }

  static v1::RankingConfig Config(const std::string& text) {
    v1::RankingConfig config;
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &config)) << text;
    return config;
  }

  static StatusOr<Rankings> Catalog(const std::string& text) {
    v1::RankingCatalog catalog;
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &catalog)) << text;
    return Rankings::FromCatalog(catalog, "test.textproto");
  }

  // The parsed query's description under `config`.
  static std::string Parsed(const v1::RankingConfig& config, const std::string& query) {
    QueryBuilder builder(*enricher_);
    StatusOr<Xapian::Query> parsed = Ranker(*enricher_, config).Parse(builder, query);
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
    return parsed.ok() ? parsed->get_description() : "";
  }

  static const Analyzer* analyzer_;
  static const Enricher* enricher_;
};

const Analyzer* RankingTest::analyzer_ = nullptr;
const Enricher* RankingTest::enricher_ = nullptr;

TEST_F(RankingTest, ShippedCatalogueHasTheBaselineOneConfigPerAdditionAndTheDefault) {
  StatusOr<Rankings> rankings = Rankings::Load();
  ASSERT_TRUE(rankings.ok()) << rankings.status().ToString();
  EXPECT_EQ(rankings->default_name(), "default");
  StatusOr<const v1::RankingConfig*> bm25 = rankings->Find("bm25");
  ASSERT_TRUE(bm25.ok());
  EXPECT_FALSE((*bm25)->stopwords());
  EXPECT_FALSE((*bm25)->expand_countries());
  EXPECT_FALSE((*bm25)->has_bm25());  // Xapian's own defaults.
  EXPECT_FALSE((*bm25)->has_feedback() || (*bm25)->has_proximity() || (*bm25)->has_dyad_boost());
  std::set<std::string> additions;
  for (const v1::RankingConfig& config : rankings->configs()) {
    EXPECT_FALSE(config.description().empty()) << config.name();
    if (config.base() != "bm25") continue;
    additions.insert(config.name());
    // Resolved against the base: what the addition does not set stays the baseline's.
    if (!config.has_stopwords()) ADD_FAILURE() << config.name() << " lost the base's settings";
  }
  for (const char* name : {"bm25-tuned", "bm25-stopwords", "bm25-fields", "bm25-prf",
                           "bm25-proximity", "bm25-countries", "bm25-dyad"}) {
    EXPECT_TRUE(additions.contains(name)) << name;
  }
  StatusOr<const v1::RankingConfig*> by_default = rankings->Find("");
  ASSERT_TRUE(by_default.ok());
  EXPECT_EQ((*by_default)->name(), "default");
}

TEST_F(RankingTest, BaseSettingsAreInheritedAndOverridden) {
  StatusOr<Rankings> rankings = Catalog(R"(
    rankings { name: "a" description: "A" bm25 { k1: 1.5 b: 0.6 } stopwords: false
               feedback { documents: 4 } }
    rankings { name: "b" base: "a" bm25 { b: 0.9 } feedback { terms: 7 } }
  )");
  ASSERT_TRUE(rankings.ok()) << rankings.status().ToString();
  EXPECT_EQ(rankings->default_name(), "a");  // The first, when none is named.
  const v1::RankingConfig* b = *rankings->Find("b");
  EXPECT_DOUBLE_EQ(b->bm25().k1(), 1.5);
  EXPECT_DOUBLE_EQ(b->bm25().b(), 0.9);
  EXPECT_FALSE(b->stopwords());
  EXPECT_TRUE(b->has_stopwords());
  EXPECT_EQ(b->feedback().documents(), 4u);
  EXPECT_EQ(b->feedback().terms(), 7u);
  EXPECT_EQ(b->description(), "");  // Descriptions are not inherited.
  EXPECT_EQ(b->base(), "a");
}

TEST_F(RankingTest, BadCataloguesAreInvalidArgumentsThatSayWhy) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "no ranking configurations"},
      {R"(rankings { name: "" })", "ranking name"},
      {R"(rankings { name: "a b" })", "ranking name 'a b'"},
      {R"(rankings { name: "a" } rankings { name: "a" })", "defined twice"},
      {R"(rankings { name: "a" base: "b" } rankings { name: "b" })", "base 'b'"},
      {R"(rankings { name: "a" } default_ranking: "z")", "default_ranking 'z'"},
      {R"(rankings { name: "a" bm25 { b: 1.5 } })", "bm25.b must be at most 1"},
      {R"(rankings { name: "a" bm25 { k1: -1 } })", "bm25.k1"},
      {R"(rankings { name: "a" feedback { documents: 0 } })", "feedback.documents"},
      {R"(rankings { name: "a" feedback { terms: 5000 } })", "feedback.terms"},
      {R"(rankings { name: "a" feedback { scheme: "rm3" } })", "feedback.scheme"},
      {R"(rankings { name: "a" proximity { window: 1 } })", "proximity.window"},
      {R"(rankings { name: "a" fields { title: -2 } })", "fields.title"},
      {R"(rankings { name: "a" dyad_boost { weight: -1 } })", "dyad_boost.weight"},
  };
  for (const auto& [text, fragment] : cases) {
    StatusOr<Rankings> rankings = Catalog(text);
    ASSERT_FALSE(rankings.ok()) << text;
    EXPECT_EQ(rankings.status().code(), StatusCode::kInvalidArgument) << text;
    EXPECT_NE(rankings.status().message().find(fragment), std::string::npos)
        << text << ": " << rankings.status().message();
    EXPECT_NE(rankings.status().message().find("test.textproto"), std::string::npos);
  }
}

TEST_F(RankingTest, MalformedFileNamesFileAndLine) {
  testutil::TempDir dir;
  StatusOr<Rankings> rankings =
      Rankings::Load(dir.Write("r.textproto", "rankings {\n  name: \"a\"\n  bm26 {}\n}\n"));
  ASSERT_FALSE(rankings.ok());
  EXPECT_NE(rankings.status().message().find("r.textproto:3:"), std::string::npos)
      << rankings.status().message();
}

TEST_F(RankingTest, UnknownNameListsTheKnownOnes) {
  StatusOr<Rankings> rankings = Rankings::Load();
  ASSERT_TRUE(rankings.ok());
  StatusOr<const v1::RankingConfig*> found = rankings->Find("bm99");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(found.status().message().find("bm25"), std::string::npos);
  EXPECT_NE(found.status().message().find("default"), std::string::npos);
}

TEST_F(RankingTest, WeightHasTheConfiguredParametersAndXapianDefaultsOtherwise) {
  const v1::RankingConfig tuned = Config("name: 't' bm25 { k1: 1.2 b: 0.75 }");
  EXPECT_EQ(Ranker(*enricher_, tuned).Weight().serialise(),
            Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5).serialise());
  const v1::RankingConfig plain = Config("name: 'p'");
  EXPECT_EQ(Ranker(*enricher_, plain).Weight().serialise(), Xapian::BM25Weight().serialise());
}

TEST_F(RankingTest, StopWordsAndCountryExpansionFollowTheConfiguration) {
  const v1::RankingConfig bare = Config("name: 'x' stopwords: false expand_countries: false");
  const v1::RankingConfig dyad = Config("name: 'y'");  // Unset: both on.
  const std::string query = "the USSR and energy";
  EXPECT_NE(Parsed(bare, query).find("Zthe"), std::string::npos) << Parsed(bare, query);
  EXPECT_EQ(Parsed(bare, query).find("XCru"), std::string::npos) << Parsed(bare, query);
  EXPECT_EQ(Parsed(dyad, query).find("Zthe"), std::string::npos) << Parsed(dyad, query);
  EXPECT_NE(Parsed(dyad, query).find("XCru"), std::string::npos) << Parsed(dyad, query);
  // Stop words stay in phrases either way.
  EXPECT_NE(Parsed(dyad, "\"balance of power\"").find("of@2"), std::string::npos)
      << Parsed(dyad, "\"balance of power\"");
}

TEST_F(RankingTest, FieldBoostsAddTheFieldCopiesOfTextTermsOnly) {
  const v1::RankingConfig config = Config("name: 'f' fields { title: 0.5 key_points: 0.25 }");
  const Ranker ranker(*enricher_, config);
  QueryBuilder builder(*enricher_);
  StatusOr<Xapian::Query> parsed = builder.Parse("pipeline country:PK \"gas deal\"");
  ASSERT_TRUE(parsed.ok());
  std::set<std::string> boosted;
  for (const Xapian::Query& boost : ranker.FieldBoosts(*parsed)) {
    for (auto t = boost.get_unique_terms_begin(); t != boost.get_unique_terms_end(); ++t) {
      boosted.insert(*t);
    }
  }
  EXPECT_EQ(boosted,
            (std::set<std::string>{"ZSpipelin", "ZXKpipelin", "Sgas", "XKgas", "Sdeal", "XKdeal"}));
  EXPECT_TRUE(IsPlainTextTerm("Zpipelin"));
  EXPECT_TRUE(IsPlainTextTerm("pipeline"));
  EXPECT_FALSE(IsPlainTextTerm("ZSpipelin"));
  EXPECT_FALSE(IsPlainTextTerm("XCpk"));
  EXPECT_FALSE(IsPlainTextTerm(""));
}

TEST_F(RankingTest, ProximityPairsConsecutiveWordsOutsideSyntaxSkippingStopWords) {
  const v1::RankingConfig config = Config("name: 'p' proximity { window: 6 weight: 0.1 }");
  const Ranker ranker(*enricher_, config);
  const std::vector<Xapian::Query> boosts = ranker.ProximityBoosts(
      "energy of the pipeline deal title:gas \"trade flows\" tariffs AND "
      "steel energy pipeline");
  std::vector<std::string> pairs;
  for (const Xapian::Query& boost : boosts) pairs.push_back(boost.get_description());
  // "tariffs" stands alone between syntax; the repeated pair counts once.
  ASSERT_EQ(pairs.size(), 3u) << ::testing::PrintToString(pairs);
  EXPECT_NE(pairs[0].find("energy NEAR 6 pipeline"), std::string::npos) << pairs[0];
  EXPECT_NE(pairs[1].find("pipeline NEAR 6 deal"), std::string::npos) << pairs[1];
  EXPECT_NE(pairs[2].find("steel NEAR 6 energy"), std::string::npos) << pairs[2];
  EXPECT_TRUE(Ranker(*enricher_, Config("name: 'n'")).ProximityBoosts("energy pipeline").empty());
}

TEST_F(RankingTest, DyadBoostNeedsTwoCountries) {
  const v1::RankingConfig config = Config("name: 'd' dyad_boost { weight: 2 }");
  const Ranker ranker(*enricher_, config);
  const std::vector<Xapian::Query> boosts = ranker.DyadBoosts("Pakistan and Russia energy");
  ASSERT_EQ(boosts.size(), 1u);
  EXPECT_NE(boosts[0].get_description().find("XDpk-ru"), std::string::npos)
      << boosts[0].get_description();
  EXPECT_TRUE(ranker.DyadBoosts("Pakistan energy").empty());
  EXPECT_TRUE(ranker.DyadBoosts("Pakistani Pakistan").empty());  // One country.
}

TEST_F(RankingTest, FeedbackAddsScaledTermsOfTheTopArticlesAndKeepsTheMatchesUnlessWidened) {
  testutil::TempDir dir;
  dir.Write("c/a.txt", "Gas Pipeline\nThe gas pipeline carries natural gas from the fields.\n");
  dir.Write("c/b.txt", "Pipeline Deal\nA pipeline deal for natural gas and compressor stations.\n");
  dir.Write("c/c.txt", "Compressor Stations\nNatural compressor stations need repairs.\n");
  dir.Write("c/d.txt", "Wheat Harvest\nThe wheat harvest was good this year.\n");
  BuildReport report;
  ASSERT_TRUE(BuildIndex({{dir.Sub("c")}, dir.Sub("index")}, *enricher_, &report).ok());
  Xapian::Database database(dir.Sub("index"));
  QueryBuilder builder(*enricher_);
  builder.SetDatabase(database);

  const auto matches = [&](const Xapian::Query& query) {
    Xapian::Enquire enquire(database);
    enquire.set_query(query);
    std::set<Xapian::docid> ids;
    const Xapian::MSet mset = enquire.get_mset(0, 100);
    for (auto it = mset.begin(); it != mset.end(); ++it) ids.insert(*it);
    return ids;
  };
  for (const bool widen : {false, true}) {
    const v1::RankingConfig config =
        Config(std::string("name: 'f' feedback { documents: 2 terms: 5 weight: 0.5 widen: ") +
               (widen ? "true" : "false") + " }");
    const Ranker ranker(*enricher_, config);
    StatusOr<Xapian::Query> weighted = ranker.Parse(builder, "pipeline");
    ASSERT_TRUE(weighted.ok());
    Xapian::Enquire enquire(database);
    enquire.set_weighting_scheme(ranker.Weight());
    std::map<std::string, double> scales;
    const Xapian::Query expanded = ranker.Feedback(enquire, *weighted, Xapian::Query(), &scales);
    ASSERT_FALSE(scales.empty());
    EXPECT_LE(scales.size(), 5u);
    for (const auto& [term, scale] : scales) {
      EXPECT_TRUE(term[0] == 'Z' && IsPlainTextTerm(term)) << term;
      EXPECT_NE(term, "Zpipelin");                                  // Not the query's own word,
      EXPECT_FALSE(analyzer_->IsStopWord(term.substr(1))) << term;  // nor a stop word.
      EXPECT_GT(scale, 0);
      EXPECT_LE(scale, 0.5 + 1e-12);
    }
    EXPECT_TRUE(scales.contains("Zgas") || scales.contains("Zcompressor") ||
                scales.contains("Znatur"))
        << ::testing::PrintToString(scales);
    if (widen) {
      // The compressor article has no "pipeline" but shares the top articles' words.
      EXPECT_GT(matches(expanded).size(), matches(*weighted).size());
    } else {
      EXPECT_EQ(matches(expanded), matches(*weighted));
    }
  }
  // No feedback configured: the query comes back as it was.
  const v1::RankingConfig none = Config("name: 'n'");
  Xapian::Enquire enquire(database);
  const Xapian::Query query("Zpipelin");
  EXPECT_EQ(Ranker(*enricher_, none).Feedback(enquire, query, Xapian::Query()).serialise(),
            query.serialise());
}

}  // namespace
}  // namespace dyad
