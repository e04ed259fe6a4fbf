#include "core/periods.h"

#include <gtest/gtest.h>

namespace dyad {
namespace {

struct YearsCase {
  const char* text;
  std::vector<int> years;
};

TEST(YearsIn, Table) {
  const YearsCase cases[] = {
      {"After its independence in 1947, Pakistan", {1947}},
      {"26-FEB-1987 15:01:01.79", {1987}},
      {"the 1987/88 season", {1987}},
      {"in the 1980s and the 1990’s", {1980, 1989, 1990, 1999}},
      {"by the mid-1970s", {1970, 1979}},
      {"shipped 2000 tonnes and 1990 barrels", {}},
      {"cost $1990 or 1,987 dlrs or 1987.5", {}},
      {"model X1987 and 19870 and 1492 and 2150", {}},
      {"from 1979 to 1989", {1979, 1989}},
  };
  for (const YearsCase& c : cases) {
    EXPECT_EQ(YearsIn(c.text), c.years) << c.text;
  }
}

class PeriodRecognizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto analyzer = Analyzer::Create();
    ASSERT_TRUE(analyzer.ok());
    analyzer_.emplace(std::move(*analyzer));
    auto recognizer = PeriodRecognizer::Load(*analyzer_);
    ASSERT_TRUE(recognizer.ok()) << recognizer.status().ToString();
    recognizer_.emplace(std::move(*recognizer));
  }

  v1::Enrichment Recognize(const std::string& text, const std::string& published = "") {
    PeriodRecognizer::Tally tally;
    recognizer_->Add(text, analyzer_->Stems(text), &tally);
    v1::Enrichment enrichment;
    recognizer_->Finish(tally, published, &enrichment);
    return enrichment;
  }

  static bool HasEra(const v1::Enrichment& e, const std::string& id) {
    return std::find(e.eras().begin(), e.eras().end(), id) != e.eras().end();
  }

  std::optional<Analyzer> analyzer_;
  std::optional<PeriodRecognizer> recognizer_;
};

TEST_F(PeriodRecognizerTest, ErasByNameSpanAndPublication) {
  v1::Enrichment named = Recognize("During the Cold War, the Soviet invasion of Afghanistan...");
  EXPECT_TRUE(HasEra(named, "cold-war"));
  EXPECT_TRUE(HasEra(named, "soviet-afghan-war"));
  EXPECT_EQ(named.period().from(), 0);  // No year mentioned, no publication date.

  v1::Enrichment by_year = Recognize("Relations improved in 1985 and again in 1987.");
  EXPECT_TRUE(HasEra(by_year, "cold-war"));
  EXPECT_FALSE(HasEra(by_year, "soviet-afghan-war"));  // An event: only when named.
  v1::Enrichment once = Recognize("Relations improved in 1985.");
  EXPECT_FALSE(HasEra(once, "cold-war"));  // One year in passing is not enough.
  v1::Enrichment few = Recognize("In 1944 and 1945 the war ended; 2001, 2002, 2003, 2004, 2005, "
                                 "2006 and 2007 were other years.");
  EXPECT_FALSE(HasEra(few, "world-war-ii"));  // Two of nine year mentions: in passing.
  EXPECT_TRUE(HasEra(few, "war-on-terror"));

  v1::Enrichment published = Recognize("Nothing dated here.", "2005-06-01");
  EXPECT_TRUE(HasEra(published, "war-on-terror"));
  EXPECT_EQ(published.period().from(), 2005);
  EXPECT_EQ(published.period().to(), 2005);
  EXPECT_EQ(std::vector<std::string>(published.decades().begin(), published.decades().end()),
            std::vector<std::string>{"2000s"});
}

TEST_F(PeriodRecognizerTest, PostColdWarIsNotTheColdWar) {
  v1::Enrichment e = Recognize("In the post-Cold War era, ties were sporadic.");
  EXPECT_TRUE(HasEra(e, "post-cold-war"));
  EXPECT_FALSE(HasEra(e, "cold-war"));
  v1::Enrichment iran_iraq = Recognize("The Iran-Iraq war dragged on.");
  EXPECT_TRUE(HasEra(iran_iraq, "iran-iraq-war"));
  EXPECT_FALSE(HasEra(iran_iraq, "iraq-war"));
}

TEST_F(PeriodRecognizerTest, SpanAndDecadesFromMentionedYears) {
  v1::Enrichment e = Recognize("From 1947 to the 1980s and again in 2001.", "2024");
  EXPECT_EQ(e.period().from(), 1947);
  EXPECT_EQ(e.period().to(), 2001);
  EXPECT_EQ(std::vector<std::string>(e.decades().begin(), e.decades().end()),
            (std::vector<std::string>{"1940s", "1980s", "2000s", "2020s"}));
}

}  // namespace
}  // namespace dyad
