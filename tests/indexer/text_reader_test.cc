#include <gtest/gtest.h>

#include "core/data_files.h"
#include "indexer/reader.h"

namespace dyad {
namespace {

constexpr char kSeedPath[] = DYAD_SOURCE_DIR "/corpus/articles/pak-russia-relations.txt";

class SeedArticleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<std::string> content = ReadFileToString(kSeedPath);
    ASSERT_TRUE(content.ok()) << content.status().ToString();
    auto article = ParseTextArticle(*content, kSeedPath, "pak-russia-relations", &issues_);
    ASSERT_TRUE(article.has_value());
    article_ = std::move(*article);
  }
  std::vector<ReadIssue> issues_;
  v1::StoredArticle article_;
};

TEST_F(SeedArticleTest, TitleIsTheFirstLine) {
  EXPECT_EQ(article_.title(),
            "From Mistrust to Mutual Interests: The Saga of Pak-Russia Relations");
  EXPECT_EQ(article_.id(), "pak-russia-relations");
  EXPECT_TRUE(issues_.empty());
}

TEST_F(SeedArticleTest, ThreeLabelledKeyPoints) {
  ASSERT_EQ(article_.key_points_size(), 3);
  EXPECT_EQ(article_.key_points(0).label(), "Historical Challenges");
  EXPECT_EQ(article_.key_points(1).label(), "Shared Strategic Interests");
  EXPECT_EQ(article_.key_points(2).label(), "Future Potential Amid Challenges");
  EXPECT_TRUE(article_.key_points(0).text().starts_with("Pakistan’s alignment"));
  EXPECT_TRUE(article_.key_points(2).text().ends_with("Pakistan-Russia relations."));
}

TEST_F(SeedArticleTest, SectionHeadings) {
  std::vector<std::string> headings;
  for (const v1::Section& s : article_.sections()) headings.push_back(s.heading());
  EXPECT_EQ(headings, (std::vector<std::string>{
                          "", "Historical Background", "Current Foreign Policies",
                          "Challenges and Constraints", "Future Prospects", "Conclusion"}));
  EXPECT_TRUE(article_.sections(0).paragraphs(0).starts_with("Since the collapse"));
  // Bullets inside a section stay in its body, in order.
  const v1::Section& policies = article_.sections(2);
  ASSERT_EQ(policies.paragraphs_size(), 7);
  EXPECT_TRUE(policies.paragraphs(1).starts_with("- Geopolitical Shifts:"));
  EXPECT_EQ(article_.sections(5).paragraphs_size(), 1);
}

TEST_F(SeedArticleTest, AuthorNote) {
  EXPECT_EQ(article_.author_note(),
            "The author has studied International Relations at NUML, Islamabad.");
}

TEST_F(SeedArticleTest, NoPublicationDateAndEnglish) {
  EXPECT_TRUE(article_.published().empty());
  EXPECT_EQ(article_.language(), "en");
  EXPECT_EQ(article_.content_hash().size(), 16u);
}

std::optional<v1::StoredArticle> Parse(const std::string& text, std::vector<ReadIssue>* issues) {
  return ParseTextArticle(text, "mem.txt", "mem", issues);
}

TEST(TextReader, FrontMatter) {
  std::vector<ReadIssue> issues;
  auto article = Parse(
      "---\nid: a-1\ntitle: \"Quoted Title\"\nauthors: [Ann Lee, Bo Chan]\ndate: 2021-03-04\n"
      "source: Dawn\nregion: South Asia\n---\nFirst paragraph.\n",
      &issues);
  ASSERT_TRUE(article.has_value());
  EXPECT_EQ(article->id(), "a-1");
  EXPECT_EQ(article->title(), "Quoted Title");
  ASSERT_EQ(article->authors_size(), 2);
  EXPECT_EQ(article->authors(1), "Bo Chan");
  EXPECT_EQ(article->published(), "2021-03-04");
  EXPECT_EQ(article->source(), "Dawn");
  EXPECT_EQ(article->metadata().at("region"), "South Asia");
  ASSERT_EQ(article->sections_size(), 1);
  EXPECT_EQ(article->sections(0).paragraphs(0), "First paragraph.");
  EXPECT_TRUE(issues.empty());
}

TEST(TextReader, HardWrappedParagraphsAreJoined) {
  std::vector<ReadIssue> issues;
  auto article = Parse(
      "A Title\n\nThe first paragraph is wrapped at a fixed width by its editor, so\n"
      "it continues on this line and ends here.\n\nBackground\n\nA second paragraph that is "
      "long enough to be a paragraph and not a heading.\n",
      &issues);
  ASSERT_TRUE(article.has_value());
  ASSERT_EQ(article->sections_size(), 2);
  EXPECT_EQ(article->sections(0).paragraphs(0),
            "The first paragraph is wrapped at a fixed width by its editor, so it continues on "
            "this line and ends here.");
  EXPECT_EQ(article->sections(1).heading(), "Background");
}

struct BadInput {
  const char* name;
  std::string content;
  std::uint32_t line;
  const char* message_part;
};

TEST(TextReader, BrokenArticlesAreReportedWithLine) {
  const BadInput cases[] = {
      {"empty", "", 1, "empty"},
      {"blank", "\n \n\t\n", 1, "empty"},
      {"binary", std::string("title\nbody\n\0\x01\x02", 13), 3, "NUL byte"},
      {"unclosed front matter", "---\nid: x\ntitle: y\n", 1, "never closed"},
      {"front matter junk", "---\nid: x\njust words\n---\nTitle\n", 3, "key: value"},
  };
  for (const BadInput& c : cases) {
    std::vector<ReadIssue> issues;
    EXPECT_FALSE(Parse(c.content, &issues).has_value()) << c.name;
    ASSERT_EQ(issues.size(), 1u) << c.name;
    EXPECT_EQ(issues[0].severity, ReadIssue::Severity::kError) << c.name;
    EXPECT_EQ(issues[0].line, c.line) << c.name;
    EXPECT_NE(issues[0].message.find(c.message_part), std::string::npos)
        << c.name << ": " << issues[0].message;
    EXPECT_EQ(issues[0].ToString().rfind("mem.txt:", 0), 0u);
  }
}

TEST(TextReader, InvalidUtf8IsRepairedWithAWarning) {
  std::vector<ReadIssue> issues;
  auto article = Parse("Title\nGood line.\nBad \xC3( byte here.\n", &issues);
  ASSERT_TRUE(article.has_value());
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].severity, ReadIssue::Severity::kWarning);
  EXPECT_EQ(issues[0].line, 3u);
  EXPECT_NE(article->sections(0).paragraphs(1).find("\uFFFD"), std::string::npos);
}

TEST(TextReader, BadDateIsAWarningAndIgnored) {
  std::vector<ReadIssue> issues;
  auto article = Parse("---\ndate: last Tuesday\n---\nTitle\nText.\n", &issues);
  ASSERT_TRUE(article.has_value());
  EXPECT_TRUE(article->published().empty());
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].line, 2u);
}

}  // namespace
}  // namespace dyad
