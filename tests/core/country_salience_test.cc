#include "core/country_salience.h"

#include <gtest/gtest.h>

namespace dyad {
namespace {

const CountryRecognizer& Recognizer() {
  static const CountryRecognizer* recognizer = [] {
    auto loaded = CountryRecognizer::Load();
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.status().ToString();
      std::abort();
    }
    return new CountryRecognizer(std::move(*loaded));
  }();
  return *recognizer;
}

v1::StoredArticle Article(const std::string& title, const std::vector<std::string>& paragraphs,
                          const std::string& dateline = "") {
  v1::StoredArticle article;
  article.set_title(title);
  auto* section = article.add_sections();
  for (const std::string& p : paragraphs) section->add_paragraphs(p);
  if (!dateline.empty()) (*article.mutable_metadata())["dateline"] = dateline;
  return article;
}

TEST(CountrySalience, TitleAndRepeatedMentionsMakeTheSet) {
  const auto article =
      Article("From Mistrust to Mutual Interests: The Saga of Pak-Russia Relations",
              {"Islamabad and Moscow have moved closer since the Cold War.",
               "Russian gas and Pakistani pipelines are on the table; Moscow offered more.",
               "Japan was mentioned once by an analyst."});
  const auto scored = ScoreCountries(article, Recognizer());
  ASSERT_GE(scored.size(), 3u);
  EXPECT_EQ(SalientCountries(article, Recognizer()), (std::vector<std::string>{"RU", "PK"}));
  const auto& russia = scored[0];
  EXPECT_EQ(russia.code, "RU");
  EXPECT_EQ(russia.title_mentions, 1u);
  EXPECT_EQ(russia.compound_mentions, 1u);
  EXPECT_EQ(russia.lead_mentions, 1u);
  EXPECT_EQ(russia.mentions, 4u);
  EXPECT_EQ(scored.back().code, "JP");
  EXPECT_LT(scored.back().score, SalienceWeights{}.threshold);
}

TEST(CountrySalience, DatelinePlaceCountsAndTheMostGeneralPartDecides) {
  const auto article = Article("Company results", {"Profits rose."}, "FLORENCE, Ala., Feb 26");
  const auto scored = ScoreCountries(article, Recognizer());
  ASSERT_EQ(scored.size(), 1u);
  EXPECT_EQ(scored[0].code, "US");
  EXPECT_TRUE(scored[0].dateline);
  EXPECT_EQ(SalientCountries(article, Recognizer()), (std::vector<std::string>{"US"}));
  // The date in a dateline is not a place: "March" never matches, "Jordan" after it neither.
  const auto moscow = Article("Talks", {"Text."}, "MOSCOW, March 3");
  EXPECT_EQ(SalientCountries(moscow, Recognizer()), (std::vector<std::string>{"RU"}));
}

TEST(CountrySalience, PassingMentionsInALongArticleAboutAnotherCountryAreLeftOut) {
  const auto article =
      Article("JAPAN TRADE SURPLUS WIDENS",
              {"Japan's trade surplus widened in January, the Finance Ministry said.",
               "Exports to Japan's main partners rose; Japanese officials were pleased.",
               "A Brazilian delegation also visited, and Chile was mentioned twice. Chile too."});
  EXPECT_EQ(SalientCountries(article, Recognizer()), (std::vector<std::string>{"JP"}));
}

TEST(CountrySalience, WeightsAreParameters) {
  const auto article = Article("Notes", {"Chile was mentioned once."});
  EXPECT_TRUE(SalientCountries(article, Recognizer()).empty());
  SalienceWeights generous;
  generous.threshold = 0.1;
  EXPECT_EQ(SalientCountries(article, Recognizer(), generous), (std::vector<std::string>{"CL"}));
}

TEST(CountrySalience, EmptyArticle) {
  EXPECT_TRUE(ScoreCountries(v1::StoredArticle(), Recognizer()).empty());
}

}  // namespace
}  // namespace dyad
