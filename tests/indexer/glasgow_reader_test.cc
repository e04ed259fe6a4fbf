#include <gtest/gtest.h>

#include "core/data_files.h"
#include "indexer/reader.h"
#include "tests/indexer/reader_cases.h"

namespace dyad {
namespace {

constexpr char kSample[] = DYAD_SOURCE_DIR "/tests/data/time-sample.glasgow";

TEST(GlasgowReader, ReadsTheSample) {
  StatusOr<std::string> content = ReadFileToString(kSample);
  ASSERT_TRUE(content.ok()) << content.status().ToString();
  std::vector<ReadIssue> issues;
  const auto articles = ParseGlasgow(*content, kSample, &issues);
  EXPECT_TRUE(issues.empty()) << testutil::Describe(issues);
  ASSERT_EQ(articles.size(), 3u);

  const v1::StoredArticle& nato = articles[0];
  EXPECT_EQ(nato.id(), "017");  // As printed, leading zero kept.
  EXPECT_EQ(nato.published(), "1963-01-04");
  EXPECT_EQ(nato.metadata().at("page"), "020");
  EXPECT_EQ(nato.source(), "time-sample");
  EXPECT_EQ(nato.origin().line(), 1u);
  EXPECT_EQ(nato.title(), "NATO A FORCE OF ITS OWN");  // The first sentence.
  ASSERT_EQ(nato.sections_size(), 1);
  ASSERT_EQ(nato.sections(0).paragraphs_size(), 2);
  // Gaps before punctuation are closed; "U.S." does not end the sentence.
  EXPECT_TRUE(nato.sections(0).paragraphs(0).starts_with(
      "NATO A FORCE OF ITS OWN. THE U.S. PROPOSAL FOR A MULTILATERAL NUCLEAR FORCE, MANNED"));
  EXPECT_TRUE(nato.sections(0).paragraphs(1).ends_with("A PLOT TO ARM THE \" REVANCHISTS \")."));

  EXPECT_EQ(articles[1].id(), "018");
  EXPECT_EQ(articles[1].title(), "COMMUNISTS THE WIDENING GULF");
  EXPECT_EQ(articles[1].origin().line(), 14u);

  const v1::StoredArticle& kashmir = articles[2];
  EXPECT_EQ(kashmir.id(), "019");
  EXPECT_EQ(kashmir.published(), "1963-01-11");
  // The first sentence is longer than 12 words: its first 12 words.
  EXPECT_EQ(kashmir.title(),
            "AFTER FIFTEEN YEARS OF GLARING AT EACH OTHER ACROSS THE CEASE-FIRE LINE");
  EXPECT_EQ(kashmir.origin().line(), 25u);
}

TEST(GlasgowReader, BrokenRecordsAreReportedAndTheRestRead) {
  const std::string first = "*TEXT 001 02/01/63 PAGE 010\n\nFIRST STORY .\n\n";
  const std::vector<testutil::BrokenCase> cases = {
      {"missing *STOP",
       first + "*TEXT 002 02/01/63 PAGE 011\n\nCUT SHORT",
       {"001"},
       ReadIssue::Severity::kError,
       5,
       "without *STOP"},
      {"*TEXT without number",
       "*TEXT\nLOST .\n" + first + "*STOP\n",
       {"001"},
       ReadIssue::Severity::kError,
       1,
       "without a record number"},
      {"empty record",
       first + "*TEXT 003 02/01/63 PAGE 012\n\n*STOP\n",
       {"001"},
       ReadIssue::Severity::kError,
       5,
       "has no text"},
      {"bad date",
       "*TEXT 004 13/45/63 PAGE 001\nTEXT .\n*STOP\n",
       {"004"},
       ReadIssue::Severity::kWarning,
       1,
       "is not MM/DD/YY"},
      {"text after *STOP",
       first + "*STOP\nMORE\n",
       {"001"},
       ReadIssue::Severity::kWarning,
       6,
       "after *STOP"},
      {"text before the first record",
       "NOTES\n" + first + "*STOP\n",
       {"001"},
       ReadIssue::Severity::kWarning,
       1,
       "before the first *TEXT"},
  };
  testutil::ExpectBrokenCases(cases, [](std::string_view content, std::vector<ReadIssue>* issues) {
    return ParseGlasgow(content, "TIME.ALL", issues);
  });
}

TEST(GlasgowReader, BadDateLeavesNoDate) {
  std::vector<ReadIssue> issues;
  const auto articles = ParseGlasgow("*TEXT 004 13/45/63 PAGE 001\nTEXT .\n*STOP\n", "T", &issues);
  ASSERT_EQ(articles.size(), 1u);
  EXPECT_TRUE(articles[0].published().empty());
  EXPECT_EQ(articles[0].title(), "TEXT");
}

}  // namespace
}  // namespace dyad
