// Keeps the quality of country recognition on Reuters-21578 from regressing: micro F1 of the
// salient country sets against PLACES on the test split reut2-011..021 (never used for tuning).
// bench/country_quality prints the same figures; the floors sit just under what it reports.
#include <gtest/gtest.h>

#include "bench/reuters_eval.h"

namespace dyad {
namespace {

TEST(CountryQuality, ReutersTestSplitKeepsItsFloor) {
  auto recognizer = CountryRecognizer::Load();
  ASSERT_TRUE(recognizer.ok()) << recognizer.status().ToString();
  auto places = bench::LoadReutersPlaces();
  ASSERT_TRUE(places.ok()) << places.status().ToString();
  auto test = bench::ReadReuters(DYAD_SHARED_DIR "/corpora/reuters21578", 11, 21);
  ASSERT_TRUE(test.ok()) << test.status().ToString();
  auto scores = bench::ScoreArticles(*test, *recognizer, *places);
  ASSERT_TRUE(scores.ok()) << scores.status().ToString();
  EXPECT_EQ(scores->articles, 8670u);  // Articles of the split with at least one PLACES label.
  EXPECT_GE(scores->F1(), 0.935);
  EXPECT_GE(scores->Precision(), 0.95);
  EXPECT_GE(scores->Recall(), 0.91);
}

}  // namespace
}  // namespace dyad
