#include <gtest/gtest.h>

#include "indexer/reader.h"

namespace dyad {
namespace {

TEST(JsonLinesReader, ReadsRecordsAndSkipsBrokenLines) {
  const std::string content =
      R"({"id":"x1","title":"Energy ties","body":"Lead paragraph.\nOutlook\nMore text here.","authors":["A. B."],"published":"2019-05","key_points":[{"label":"Energy","text":"Pipelines."}]})"
      "\n"
      "{not json}\n"
      "\n"
      R"({"title":"No id","body":"Text.","unknown_field":42})"
      "\n"
      R"({"id":"x3"})"
      "\n";
  std::vector<ReadIssue> issues;
  std::vector<v1::StoredArticle> articles = ParseJsonLines(content, "feed.jsonl", "feed", &issues);
  ASSERT_EQ(articles.size(), 2u);
  EXPECT_EQ(articles[0].id(), "x1");
  EXPECT_EQ(articles[0].published(), "2019-05");
  EXPECT_EQ(articles[0].key_points(0).label(), "Energy");
  ASSERT_EQ(articles[0].sections_size(), 2);
  EXPECT_EQ(articles[0].sections(1).heading(), "Outlook");
  EXPECT_EQ(articles[0].origin().line(), 1u);
  EXPECT_EQ(articles[1].id(), "feed:4");  // No id: file id and line.
  EXPECT_EQ(articles[1].origin().line(), 4u);

  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues[0].line, 2u);
  EXPECT_EQ(issues[0].severity, ReadIssue::Severity::kError);
  EXPECT_EQ(issues[1].line, 5u);
  EXPECT_NE(issues[1].message.find("neither title nor body"), std::string::npos);
}

}  // namespace
}  // namespace dyad
