// One shard of a build (indexer/build.h): a thread that checks, enriches, builds and writes the
// articles of its shard into its own Xapian databases, a series of segments of 500 articles each
// (indexer/segment_series.h). Private to dyad_indexer.
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
#include "indexer/segment_series.h"

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
  void Run();
  Status Process(Item& item, std::optional<Xapian::Database>& base, class DocumentBuilder& builder);

  const Enricher& enricher_;
  const std::string base_path_;
  const std::string shard_path_;
  std::atomic<bool>* failed_;
  const std::uint64_t segment_articles_;

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
  SegmentSeries segments_;
  std::uint64_t in_segment_ = 0;  // Articles in the open segment.
  FieldStems field_stems_;        // The open article's, from its DocumentBuilder.

  std::thread thread_;  // Last: it starts in the constructor and uses every member above.
};

}  // namespace dyad

#endif  // DYAD_INDEXER_SHARD_WORKER_H_
