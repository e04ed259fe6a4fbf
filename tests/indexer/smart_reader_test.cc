#include <gtest/gtest.h>

#include "core/data_files.h"
#include "indexer/reader.h"
#include "tests/indexer/reader_cases.h"

namespace dyad {
namespace {

constexpr char kExcerpt[] = DYAD_SOURCE_DIR "/tests/data/cisi-excerpt.ALL";

class CisiExcerptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<std::string> content = ReadFileToString(kExcerpt);
    ASSERT_TRUE(content.ok()) << content.status().ToString();
    articles_ = ParseSmart(*content, kExcerpt, &issues_);
    ASSERT_EQ(articles_.size(), 5u);
  }
  std::vector<ReadIssue> issues_;
  std::vector<v1::StoredArticle> articles_;
};

TEST_F(CisiExcerptTest, IdsTitlesAndLines) {
  EXPECT_TRUE(issues_.empty()) << testutil::Describe(issues_);
  std::vector<std::string> ids;
  std::vector<std::uint32_t> lines;
  for (const auto& a : articles_) {
    ids.push_back(a.id());
    lines.push_back(a.origin().line());
    EXPECT_EQ(a.source(), "cisi-excerpt");
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"1", "3", "17", "33", "321"}));
  EXPECT_EQ(lines, (std::vector<std::uint32_t>{1, 25, 66, 130, 278}));
  EXPECT_EQ(articles_[0].title(), "18 Editions of the Dewey Decimal Classifications");
  // A title on two lines is joined.
  EXPECT_EQ(articles_[1].title(), "Two Kinds of Power An Essay on Bibliographic Control");
  EXPECT_EQ(articles_[4].title(),
            "An Information-Theoretic Approach to Text Searching in Direct Access Systems");
}

TEST_F(CisiExcerptTest, AuthorsOnePerLineAndPerField) {
  EXPECT_EQ(std::vector<std::string>(articles_[0].authors().begin(), articles_[0].authors().end()),
            std::vector<std::string>{"Comaromi, J.P."});
  EXPECT_EQ(std::vector<std::string>(articles_[3].authors().begin(), articles_[3].authors().end()),
            (std::vector<std::string>{"Burton, R.E.", "Kebler, R.W."}));
  EXPECT_EQ(articles_[4].authors_size(), 4);
  EXPECT_EQ(articles_[4].authors(3), "Snell, M.J.");
}

TEST_F(CisiExcerptTest, TextParagraphsStartAtIndentedLines) {
  const v1::StoredArticle& first = articles_[0];
  ASSERT_EQ(first.sections_size(), 1);
  ASSERT_EQ(first.sections(0).paragraphs_size(), 1);
  EXPECT_TRUE(first.sections(0).paragraphs(0).starts_with(
      "The present study is a history of the DEWEY Decimal Classification."));
  EXPECT_TRUE(first.sections(0).paragraphs(0).ends_with("in this country and abroad."));
  // Record 321 has two indented paragraphs.
  int paragraphs = 0;
  for (const auto& s : articles_[4].sections()) paragraphs += s.paragraphs_size();
  EXPECT_EQ(paragraphs, 2);
}

TEST_F(CisiExcerptTest, BiblioKeywordsAndCrossReferences) {
  EXPECT_EQ(articles_[2].metadata().at("biblio"), "1970");
  EXPECT_EQ(articles_[2].published(), "1970");
  EXPECT_TRUE(articles_[0].published().empty());
  EXPECT_EQ(articles_[2].metadata().at("cross_refs"), "17 6 17; 17 6 17");
  EXPECT_TRUE(articles_[4].metadata().at("keywords").starts_with("text searching, information"));
  EXPECT_EQ(articles_[4].metadata().at("categories"), "3.42 3.70 3.73 3.74 5.6");
}

TEST(SmartReader, BrokenRecordsAreReportedAndTheRestRead) {
  const std::string good = ".I 7\n.T\nGood\n.W\nText.\n";
  const std::vector<testutil::BrokenCase> cases = {
      {".I without number",
       ".I\n.T\nLost\n.W\nLost text.\n" + good,
       {"7"},
       ReadIssue::Severity::kError,
       1,
       "without a record number"},
      {".I not a number",
       good + ".I x9\n.T\nLost\n",
       {"7"},
       ReadIssue::Severity::kError,
       6,
       "'x9' is not a record number"},
      {"no title nor text",
       good + ".I 8\n.A\nSomeone\n.X\n1 1 1\n",
       {"7"},
       ReadIssue::Severity::kError,
       6,
       "neither .T nor .W"},
      {"truncated after a marker",
       good + ".I 9\n.T\nTitle kept\n.W\n",
       {"7", "9"},
       ReadIssue::Severity::kWarning,
       9,
       "empty .W"},
      {"text before the first record",
       "stray\n" + good,
       {"7"},
       ReadIssue::Severity::kWarning,
       1,
       "before the first .I"},
      {"text outside fields",
       ".I 7\nloose\n.T\nGood\n",
       {"7"},
       ReadIssue::Severity::kWarning,
       2,
       "outside any field"},
      {"no record", "words only\n", {}, ReadIssue::Severity::kWarning, 1, "before the first .I", 2},
  };
  testutil::ExpectBrokenCases(cases, [](std::string_view content, std::vector<ReadIssue>* issues) {
    return ParseSmart(content, "x.all", issues);
  });
}

TEST(SmartReader, MarkerWithTextOnItsLine) {
  std::vector<ReadIssue> issues;
  const auto articles = ParseSmart(".I 12\n.T Inline title\n.B\nCACM December, 1958\n.W\nBody.\n",
                                   "CACM.ALL", &issues);
  ASSERT_EQ(articles.size(), 1u);
  EXPECT_EQ(articles[0].title(), "Inline title");
  EXPECT_EQ(articles[0].published(), "1958-12");
  EXPECT_EQ(articles[0].source(), "CACM");
  EXPECT_TRUE(issues.empty());
}

}  // namespace
}  // namespace dyad
