// SegmentSeries: how a shard worker writes its segments (indexer/segment_series.h).
#include "indexer/segment_series.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <string>
#include <vector>

#include "core/schema.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

std::string UniqueTerm(int n) {
  std::string term = "Q";  // Not "Q" + ...: GCC 12 warns wrongly (-Wrestrict) about that.
  term += std::to_string(n);
  return term;
}

// Writes one segment holding the document with unique term Q<n>.
void WriteSegment(SegmentSeries& series, int n) {
  Xapian::Document document;
  document.add_boolean_term(UniqueTerm(n));
  series.Open().add_document(document);
  series.Close();
}

// The unique terms of all the series' documents, in order.
std::vector<std::string> Ids(const SegmentSeries& series) {
  std::vector<std::string> ids;
  for (const std::string& path : series.paths()) {
    Xapian::Database db(path);
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
      ids.push_back(*db.termlist_begin(*it));
    }
  }
  return ids;
}

TEST(SegmentSeriesTest, RunsOfSegmentsAreCompactedLikeACounterKeepingTheOrder) {
  testutil::TempDir dir;
  SegmentSeries series(dir.Sub("shard"), 3);
  std::vector<std::string> expected;
  const std::size_t sizes[] = {1, 2, 1, 2, 3, 2, 3, 4, 1, 2, 3, 2};  // After each segment.
  for (int n = 0; n < 12; ++n) {
    WriteSegment(series, n);
    expected.push_back(UniqueTerm(n));
    // In base 3: 3 segments of one level become one of the next (levels 1,0,0 stay three; 9
    // segments are one of level 2).
    EXPECT_EQ(series.paths().size(), sizes[n]) << "after segment " << n;
    EXPECT_EQ(Ids(series), expected);
  }
  for (const std::string& path : series.paths()) {
    EXPECT_EQ(Xapian::Database(path).get_metadata(schema::kMetaSchemaVersion),
              std::to_string(schema::kSchemaVersion))
        << path;
  }
}

TEST(SegmentSeriesTest, FinishLeavesAtMostMaxSegments) {
  testutil::TempDir dir;
  SegmentSeries series(dir.Sub("shard"), 3);
  for (int n = 0; n < 8; ++n) WriteSegment(series, n);  // Levels 1, 1, 0, 0: four segments.
  ASSERT_EQ(series.paths().size(), 4u);
  series.Open().add_document(Xapian::Document());  // Left open: Finish closes it.
  series.Finish();
  EXPECT_EQ(series.paths().size(), 1u);
  EXPECT_EQ(Xapian::Database(series.paths()[0]).get_doccount(), 9u);
}

TEST(SegmentSeriesTest, RemoveFromClosedDeletesTheDocumentWhereverItIs) {
  testutil::TempDir dir;
  SegmentSeries series(dir.Sub("shard"), 3);
  for (int n = 0; n < 4; ++n) WriteSegment(series, n);  // One of level 1 (Q0-Q2), then Q3.
  series.Open();                                        // An open segment is not searched.
  EXPECT_TRUE(series.RemoveFromClosed("Q1"));
  EXPECT_TRUE(series.RemoveFromClosed("Q3"));
  EXPECT_FALSE(series.RemoveFromClosed("Q1"));
  EXPECT_FALSE(series.RemoveFromClosed("Q9"));
  series.Close();
  EXPECT_EQ(Ids(series), (std::vector<std::string>{"Q0", "Q2"}));
}

}  // namespace
}  // namespace dyad
