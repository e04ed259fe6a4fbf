#include "core/themes.h"

#include <gtest/gtest.h>

#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

class ThemeMatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto analyzer = Analyzer::Create();
    ASSERT_TRUE(analyzer.ok());
    analyzer_.emplace(std::move(*analyzer));
    auto matcher = ThemeMatcher::Load(*analyzer_);
    ASSERT_TRUE(matcher.ok()) << matcher.status().ToString();
    matcher_.emplace(std::move(*matcher));
  }

  std::vector<std::string> Themes(const std::string& text) {
    ThemeMatcher::Tally tally = matcher_->NewTally();
    matcher_->Add(analyzer_->Stems(text), 1.0, &tally);
    std::vector<std::string> ids;
    for (const v1::ThemeScore& t : matcher_->Assign(tally)) ids.push_back(t.id());
    return ids;
  }

  std::optional<Analyzer> analyzer_;
  std::optional<ThemeMatcher> matcher_;
};

TEST_F(ThemeMatcherTest, DefaultTaxonomyCoversTheCoreThemes) {
  for (const char* id : {"defense", "counterterrorism", "energy", "trade-economy",
                         "regional-security", "diplomacy", "multilateral", "nuclear", "territorial",
                         "sanctions", "culture-education", "historical-alignment"}) {
    EXPECT_TRUE(matcher_->Has(id)) << id;
  }
  EXPECT_FALSE(matcher_->taxonomy().version().empty());
}

struct ThemeCase {
  const char* text;
  const char* theme;
};

TEST_F(ThemeMatcherTest, CuesMatchOnStemmedText) {
  const ThemeCase cases[] = {
      {"They signed energy partnerships.", "energy"},
      {"Their energy collaboration grew.", "energy"},
      {"Talks on the Kashmir dispute resumed along the Line of Control.", "territorial"},
      {"Both joined the Shanghai Cooperation Organization summit.", "multilateral"},
      {"New sanctions and an embargo were announced.", "sanctions"},
      {"Intelligence-sharing on counter-terrorism improved.", "counterterrorism"},
      {"Arms sales and joint military exercises continued.", "defense"},
      {"Bilateral trade and foreign investment rose.", "trade-economy"},
  };
  for (const ThemeCase& c : cases) {
    const std::vector<std::string> themes = Themes(c.text);
    EXPECT_NE(std::find(themes.begin(), themes.end(), c.theme), themes.end())
        << c.text << " -> " << ::testing::PrintToString(themes);
  }
}

TEST_F(ThemeMatcherTest, APassingMentionInALongTextIsNotATheme) {
  std::string text = "The oil price was mentioned once. ";
  for (int i = 0; i < 200; ++i) text += "The harvest of wheat was good in the valley this year. ";
  const std::vector<std::string> themes = Themes(text);
  EXPECT_EQ(std::find(themes.begin(), themes.end(), "energy"), themes.end());
}

TEST_F(ThemeMatcherTest, TitleMatchesWeighMore) {
  ThemeMatcher::Tally tally = matcher_->NewTally();
  matcher_->Add(analyzer_->Stems("Oil"), 3.0, &tally);  // A title.
  ASSERT_EQ(matcher_->Assign(tally).size(), 1u);
  EXPECT_EQ(matcher_->Assign(tally)[0].id(), "energy");
  EXPECT_DOUBLE_EQ(matcher_->Assign(tally)[0].score(), 3.0);
}

TEST(ThemeMatcherLoadTest, BrokenTaxonomiesAreRejectedWithFileAndLine) {
  auto analyzer = Analyzer::Create();
  ASSERT_TRUE(analyzer.ok());
  testutil::TempDir dir;
  const std::string syntax =
      dir.Write("bad.textproto", "version: \"1\"\nthemes { id: \"x\" cues: }\n");
  auto matcher = ThemeMatcher::Load(*analyzer, syntax);
  ASSERT_FALSE(matcher.ok());
  EXPECT_NE(matcher.status().message().find("bad.textproto:2:"), std::string::npos)
      << matcher.status().message();

  const std::string duplicate = dir.Write(
      "dup.textproto", "themes { id: \"a\" cues: \"x\" }\nthemes { id: \"a\" cues: \"y\" }\n");
  matcher = ThemeMatcher::Load(*analyzer, duplicate);
  ASSERT_FALSE(matcher.ok());
  EXPECT_NE(matcher.status().message().find("used twice"), std::string::npos);

  const std::string no_cues = dir.Write("empty.textproto", "themes { id: \"a\" }\n");
  EXPECT_FALSE(ThemeMatcher::Load(*analyzer, no_cues).ok());
}

TEST(ThemeMatcherLoadTest, UsersCanPassTheirOwnTaxonomy) {
  auto analyzer = Analyzer::Create();
  ASSERT_TRUE(analyzer.ok());
  testutil::TempDir dir;
  const std::string path =
      dir.Write("mine.textproto",
                "version: \"mine-1\" min_score: 1\n"
                "themes { id: \"water\" label: \"Water\" cues: \"indus waters treaty\" }\n");
  auto matcher = ThemeMatcher::Load(*analyzer, path);
  ASSERT_TRUE(matcher.ok()) << matcher.status().ToString();
  ThemeMatcher::Tally tally = matcher->NewTally();
  matcher->Add(analyzer->Stems("The Indus Waters Treaty holds."), 1.0, &tally);
  ASSERT_EQ(matcher->Assign(tally).size(), 1u);
  EXPECT_EQ(matcher->Assign(tally)[0].id(), "water");
}

}  // namespace
}  // namespace dyad
