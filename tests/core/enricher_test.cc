#include "core/enricher.h"

#include <gtest/gtest.h>

#include "core/data_files.h"
#include "indexer/document_builder.h"
#include "indexer/reader.h"
#include "tests/testing/shared_enricher.h"

namespace dyad {
namespace {

class EnricherTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    enricher_ = &testutil::SharedEnricher();
    analyzer_ = &enricher_->analyzer();
  }

  static v1::Enrichment EnrichText(const std::string& text) {
    std::vector<ReadIssue> issues;
    auto article = ParseTextArticle(text, "mem.txt", "mem", &issues);
    EXPECT_TRUE(article.has_value());
    return enricher_->Enrich(*article);
  }

  static std::vector<std::string> Codes(const v1::Enrichment& e) {
    std::vector<std::string> codes;
    for (const auto& c : e.countries()) codes.push_back(c.code());
    return codes;
  }

  static bool Contains(const auto& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
  }

  static const Analyzer* analyzer_;
  static const Enricher* enricher_;
};

const Analyzer* EnricherTest::analyzer_ = nullptr;
const Enricher* EnricherTest::enricher_ = nullptr;

TEST_F(EnricherTest, SeedArticle) {
  const std::string path = DYAD_SOURCE_DIR "/corpus/articles/pak-russia-relations.txt";
  auto content = ReadFileToString(path);
  ASSERT_TRUE(content.ok());
  std::vector<ReadIssue> issues;
  auto article = ParseTextArticle(*content, path, "seed", &issues);
  ASSERT_TRUE(article.has_value());
  const v1::Enrichment e = enricher_->Enrich(*article);

  const std::vector<std::string> codes = Codes(e);
  for (const char* code : {"PK", "RU", "US", "IN", "CN", "AF"}) {
    EXPECT_TRUE(Contains(codes, code)) << code << " not in " << ::testing::PrintToString(codes);
  }
  ASSERT_GT(e.dyads_size(), 0);
  EXPECT_EQ(e.dyads(0).pair(), "PK-RU") << e.ShortDebugString();

  std::vector<std::string> themes;
  for (const auto& t : e.themes()) themes.push_back(t.id());
  for (const char* theme :
       {"defense", "counterterrorism", "energy", "trade-economy", "regional-security",
        "multilateral", "territorial", "historical-alignment"}) {
    EXPECT_TRUE(Contains(themes, theme)) << theme << " not in " << ::testing::PrintToString(themes);
  }
  EXPECT_LE(e.period().from(), 1947);
  EXPECT_GE(e.period().to(), 1947);
  EXPECT_TRUE(Contains(e.eras(), "cold-war"));
  EXPECT_TRUE(Contains(e.eras(), "soviet-afghan-war"));
  EXPECT_TRUE(Contains(e.decades(), "1940s"));
}

// The indexer gives Enrich the stems its TermGenerator saw (DocumentBuilder::IndexText): the
// enrichment must be the one Enrich works out alone.
TEST_F(EnricherTest, StemsFromTheDocumentBuilderGiveTheSameEnrichment) {
  const std::string path = DYAD_SOURCE_DIR "/corpus/articles/pak-russia-relations.txt";
  auto content = ReadFileToString(path);
  ASSERT_TRUE(content.ok());
  std::vector<std::string> texts = {
      *content,
      "Sino-Soviet split\nThe Sino-Soviet split of the 1960s. Moscow and Beijing.\n",
      "Café diplomacy\nParis and Berlin’s talks on the Cold War; Россия.\nIndia's trade.\n",
  };
  DocumentBuilder builder(*analyzer_);
  FieldStems stems;
  for (const std::string& text : texts) {
    std::vector<ReadIssue> issues;
    auto article = ParseTextArticle(text, "mem.txt", "mem", &issues);
    ASSERT_TRUE(article.has_value());
    builder.IndexText(*article, &stems);
    EXPECT_EQ(enricher_->Enrich(*article, &stems).ShortDebugString(),
              enricher_->Enrich(*article).ShortDebugString());
  }
}

TEST_F(EnricherTest, CompoundNamesItsPair) {
  const v1::Enrichment e = EnrichText("Sino-Soviet Split\nRelations cooled after 1960.\n");
  ASSERT_GT(e.dyads_size(), 0);
  EXPECT_EQ(e.dyads(0).pair(), "CN-RU");
}

TEST_F(EnricherTest, SameSentenceMakesAPairSeparateSentencesDoNot) {
  const v1::Enrichment e =
      EnrichText("India, Japan and Brazil\nIndia and Japan signed a pact. Brazil was quiet.\n");
  ASSERT_EQ(e.dyads_size(), 3) << e.ShortDebugString();  // All three share the title.
  EXPECT_EQ(e.dyads(0).pair(), "IN-JP");                 // And these two a body sentence.
  EXPECT_GT(e.dyads(0).weight(), e.dyads(1).weight());
  EXPECT_DOUBLE_EQ(e.dyads(1).weight(), e.dyads(2).weight());
}

TEST_F(EnricherTest, PassingMentionsAreKeptButNotSalient) {
  const v1::Enrichment e = EnrichText(
      "Pakistan and Russia\nPakistan and Russia met. Russia spoke. Pakistan spoke. "
      "A Norwegian observer attended.\n");
  ASSERT_GE(e.countries_size(), 3);
  for (const auto& c : e.countries()) {
    EXPECT_EQ(c.salient(), c.code() != "NO") << c.ShortDebugString();
  }
  for (const auto& d : e.dyads()) EXPECT_EQ(d.pair(), "PK-RU");
}

TEST_F(EnricherTest, AuthorNoteIsNotASubject) {
  const v1::Enrichment e = EnrichText(
      "Energy Talks\nNorway and Germany discussed gas.\nThe author studied in Islamabad.\n");
  EXPECT_FALSE(Contains(Codes(e), "PK"));
}

TEST(DyadOf, SortsAndUpperCases) {
  EXPECT_EQ(DyadOf("ru", "PK"), "PK-RU");
  EXPECT_EQ(DyadOf("PK", "RU"), "PK-RU");
}

}  // namespace
}  // namespace dyad
