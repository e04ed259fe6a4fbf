// One shard of a build (indexer/build.h): a thread that checks, enriches, builds and writes the
// articles of its shard into its own Xapian databases. Private to dyad_indexer.
//
// A shard is written as a series of segments, each a fresh database of up to 500 articles
// committed once ("SHARD.0", "SHARD.1"...), rather than as one database committed every 500
// articles: a commit into a growing database reads and rewrites the posting-list chunks and
// B-tree blocks the batch touches, while a fresh one is written straight through. The build's
// final compaction merges the segments as it merged the shards, in order, so the published
// database is the same. A worker ends with at most kMaxSegments (32) segments, so the merge holds
// a bounded number of files open: runs of them are compacted into one in the worker.
#ifndef DYAD_INDEXER_SHARD_WORKER_H_
#define DYAD_INDEXER_SHARD_WORKER_H_

#include <xapian.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/enricher.h"
#include "core/status.h"
#include "dyad/v1/article.pb.h"

namespace dyad {

class ShardWorker {
 public:
  struct Item {
    v1::StoredArticle article;
    bool repeat = false;  // The id was already read earlier in this run.
  };

  // `base_path`: the published database to compare with (empty when there is none).
  // `shard_path`: where to create the shard's segments (SHARD_PATH.N), from the first article
  // that needs writing.
  // `failed` is set by any worker that fails, so the reader can stop early.
  // `segment_articles` and `max_segments`: BuildExtras' (0 for the defaults).
  ShardWorker(const Enricher& enricher, std::string base_path, std::string shard_path,
              std::atomic<bool>* failed, unsigned segment_articles = 0, unsigned max_segments = 0);
  ~ShardWorker();  // Finish()es if needed.
  ShardWorker(const ShardWorker&) = delete;
  ShardWorker& operator=(const ShardWorker&) = delete;

  // Queues articles; blocks while the queue is full.
  void Push(std::vector<Item>&& batch);

  // Processes what is queued, commits the shard database and stops the thread. Returns the
  // first error met, if any.
  Status Finish();

  std::uint64_t added() const { return added_; }
  std::uint64_t replaced() const { return replaced_; }
  std::uint64_t unchanged() const { return unchanged_; }
  // Whether a shard database was written (some article was new or changed).
  bool wrote() const { return wrote_; }
  // The shard's segment databases after Finish(), in the order of their articles.
  std::vector<std::string> segments() const;
  // Documents of the published database that this shard's articles replace.
  const std::vector<Xapian::docid>& replaced_in_base() const { return replaced_in_base_; }

 private:
  struct Segment {
    std::string path;
    int level = 0;  // 0: written; N + 1: a compaction of segments of level N.
  };

  void Run();
  Status Process(Item& item, std::optional<Xapian::Database>& base,
                 std::optional<Xapian::WritableDatabase>& shard, class DocumentBuilder& builder);
  // Creates the next segment database if none is open.
  void OpenSegment(std::optional<Xapian::WritableDatabase>& shard);
  // Commits and closes the open segment, then compacts runs of segments as kMaxSegments needs.
  void CloseSegment(std::optional<Xapian::WritableDatabase>& shard);
  // Replaces segments_[from..] by their compaction, of level `level`.
  void CompactSegments(std::ptrdiff_t from, int level);
  // Removes the article with `id_term` from the closed segments; whether one held it.
  bool RemoveFromClosedSegments(const std::string& id_term);

  const Enricher& enricher_;
  const std::string base_path_;
  const std::string shard_path_;
  std::atomic<bool>* failed_;
  const std::uint64_t segment_articles_;
  const std::size_t max_segments_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<Item>> queue_;
  bool closing_ = false;
  bool finished_ = false;

  // Written by the worker thread, read after Finish().
  Status status_;
  std::uint64_t added_ = 0;
  std::uint64_t replaced_ = 0;
  std::uint64_t unchanged_ = 0;
  bool wrote_ = false;
  std::vector<Xapian::docid> replaced_in_base_;
  std::vector<Segment> segments_;  // Closed ones, and the open one last.
  std::uint64_t next_segment_ = 0;
  std::uint64_t in_segment_ = 0;  // Articles in the open segment.
  FieldStems field_stems_;        // The open article's, from its DocumentBuilder.

  std::thread thread_;  // Last: it starts in the constructor and uses every member above.
};

}  // namespace dyad

#endif  // DYAD_INDEXER_SHARD_WORKER_H_
