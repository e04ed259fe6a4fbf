// How a build writes one shard: as a series of segments, each a fresh Xapian database (created
// without fsync, with the schema version) that is filled and committed once, rather than as one
// database committed again and again: a commit into a growing database reads and rewrites the
// posting-list chunks and B-tree blocks the batch touches, while a fresh one is written straight
// through. The build's final compaction merges the segments in order (indexer/build.cc).
//
// The series stays short: like a binary counter in base `max_segments`, whenever the last
// `max_segments` closed segments are of one level they are compacted into one segment of the
// next level. Each document is copied about log(N) times however large the corpus, and a series
// holds fewer than `max_segments` segments of each level.
//
// Used by ShardWorker and by bench/xapian_floor, which measures what this writing costs. Not
// thread-safe: one per shard worker.
#ifndef DYAD_INDEXER_SEGMENT_SERIES_H_
#define DYAD_INDEXER_SEGMENT_SERIES_H_

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dyad {

class SegmentSeries {
 public:
  // Segments are created as PATH.0, PATH.1, ... (the folder must exist when one is opened).
  SegmentSeries(std::string path, std::size_t max_segments);

  // The open segment, creating the next one if none is open.
  Xapian::WritableDatabase& Open();
  // The open segment, or null.
  Xapian::WritableDatabase* current() { return open_ ? &*open_ : nullptr; }

  // Commits and closes the open segment, then compacts runs of segments as above.
  void Close();

  // At the end of the series: if more than `max_segments` segments are left, compacts them all
  // into one, so the build's merge reads a bounded number of databases.
  void Finish();

  // Deletes the document with `id_term` from the closed segments, latest first; whether one held
  // it.
  bool RemoveFromClosed(const std::string& id_term);

  // The segments, in the order of their documents.
  std::vector<std::string> paths() const;

 private:
  struct Segment {
    std::string path;
    int level = 0;  // 0: written; N + 1: a compaction of segments of level N.
  };

  // Replaces segments_[from..] by their compaction, of level `level`.
  void Compact(std::ptrdiff_t from, int level);

  const std::string path_;
  const std::size_t max_segments_;
  std::vector<Segment> segments_;  // Closed ones, and the open one last.
  std::uint64_t next_ = 0;
  std::optional<Xapian::WritableDatabase> open_;
};

}  // namespace dyad

#endif  // DYAD_INDEXER_SEGMENT_SERIES_H_
