#include "indexer/shard_worker.h"

#include <algorithm>
#include <filesystem>

#include "core/schema.h"
#include "indexer/document_builder.h"

namespace dyad {
namespace {

// Batches queued per worker before Push blocks: bounds memory when writing is slower than reading.
constexpr std::size_t kMaxQueuedBatches = 16;

// Articles per segment (see shard_worker.h). Xapian keeps uncommitted postings in ordered maps
// whose lookups slow down as they grow: on Reuters-21578, batches of 500 articles index ~35%
// faster than Xapian's default of flushing every 10,000, in a fifth of the memory. Writing each
// batch into a fresh segment instead of committing it into the shard saves another ~18% of the
// instructions of a build (callgrind, 2,000 Reuters articles). Segments are merged (and the
// result flushed to disk) before anything is published, so they skip fsync.
constexpr std::uint64_t kSegmentArticles = 500;

// Segments of one level a worker keeps before compacting them into one (SegmentSeries): 32
// segments of 500 cover Reuters-21578 on 2 shards without any compaction but the build's merge.
constexpr std::size_t kMaxSegments = 32;

// Distinct words whose spelling counts a worker keeps in memory (a few tens of MB) before
// adding them to its shard's dictionary. Reuters-21578 has about 40,000.
constexpr std::size_t kMaxSpellingWords = 500000;

}  // namespace

ShardWorker::ShardWorker(const Enricher& enricher, std::string base_path, std::string shard_path,
                         std::atomic<bool>* failed, unsigned segment_articles,
                         unsigned max_segments)
    : enricher_(enricher),
      base_path_(std::move(base_path)),
      shard_path_(std::move(shard_path)),
      failed_(failed),
      segment_articles_(segment_articles > 0 ? segment_articles : kSegmentArticles),
      segments_(shard_path_, max_segments > 1 ? max_segments : kMaxSegments),
      thread_([this] { Run(); }) {}

ShardWorker::~ShardWorker() { (void)Finish(); }

void ShardWorker::Push(std::vector<Item>&& batch) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return queue_.size() < kMaxQueuedBatches; });
  queue_.push_back(std::move(batch));
  changed_.notify_all();
}

Status ShardWorker::Finish() {
  {
    std::lock_guard lock(mutex_);
    if (finished_) return status_;
    closing_ = true;
    changed_.notify_all();
  }
  thread_.join();
  finished_ = true;
  return status_;
}

void ShardWorker::Run() {
  // Xapian objects are not thread-safe: this thread owns its reader, writer and TermGenerator.
  std::optional<Xapian::Database> base;
  DocumentBuilder builder(enricher_.analyzer());
  try {
    if (!base_path_.empty()) base.emplace(base_path_);
  } catch (const Xapian::Error& e) {
    status_ = IoError("cannot open index " + base_path_ + ": " + e.get_description());
  }
  for (;;) {
    std::vector<Item> batch;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return !queue_.empty() || closing_; });
      if (queue_.empty()) break;
      batch = std::move(queue_.front());
      queue_.pop_front();
      changed_.notify_all();
    }
    if (!status_.ok()) continue;  // Drain so the reader never blocks on a failed worker.
    for (Item& item : batch) {
      status_ = Process(item, base, builder);
      if (!status_.ok()) {
        failed_->store(true);
        break;
      }
    }
  }
  if (status_.ok() && wrote_) {
    try {
      if (builder.spelling_words() > 0) builder.FlushSpelling(segments_.Open());
      // Finish bounds the inputs of the build's merge (and the files it holds open): a very
      // large corpus leaves a few levels of segments, compacted here, in parallel with the other
      // workers.
      segments_.Finish();
    } catch (const Xapian::Error& e) {
      status_ = IoError("cannot commit shard " + shard_path_ + ": " + e.get_description());
      failed_->store(true);
    }
  }
}

std::vector<std::string> ShardWorker::segments() const { return segments_.paths(); }

Status ShardWorker::Process(Item& item, std::optional<Xapian::Database>& base,
                            DocumentBuilder& builder) {
  v1::StoredArticle& article = item.article;
  try {
    const std::string id_term = IdTerm(article.id());
    bool in_shard = false;
    bool replaces = false;
    if (item.repeat && segments_.current() != nullptr &&
        segments_.current()->term_exists(id_term)) {
      in_shard = replaces = true;  // A later record of the id replaces the one of this run.
    } else if (item.repeat &&
               segments_.RemoveFromClosed(id_term)) {  // Rare: duplicates in one run.
      replaces = true;
    } else if (base) {
      Xapian::PostingIterator existing = base->postlist_begin(id_term);
      if (existing != base->postlist_end(id_term)) {
        v1::StoredArticle stored;
        if (stored.ParseFromString(base->get_document(*existing).get_data()) &&
            stored.content_hash() == article.content_hash() &&
            stored.origin().path() == article.origin().path()) {
          ++unchanged_;
          return Status::Ok();
        }
        replaced_in_base_.push_back(*existing);
        replaces = true;
      }
    }
    if (!wrote_) {         // The first article to write.
      std::error_code ec;  // The generation's folder, shared by the workers; made by the first.
      std::filesystem::create_directories(std::filesystem::path(shard_path_).parent_path(), ec);
      if (ec) return IoError("cannot create the folder of " + shard_path_ + ": " + ec.message());
      builder.EnableSpelling();  // Compaction merges the shards' spelling tables.
      wrote_ = true;
    }
    if (segments_.current() == nullptr) in_segment_ = 0;
    Xapian::WritableDatabase& shard = segments_.Open();
    // The TermGenerator's words serve the enrichment too: the text is tokenised once.
    builder.IndexText(article, &field_stems_);
    *article.mutable_enrichment() = enricher_.Enrich(article, &field_stems_);
    Xapian::Document document = builder.Finish(article);
    if (in_shard || item.repeat) {
      shard.replace_document(id_term, document);
    } else {
      shard.add_document(document);
    }
    ++(replaces ? replaced_ : added_);
    // The spelling counts go into a database only when they grow large (bounding memory) and
    // at the end: each flush writes the dictionary's fragment lists.
    if (builder.spelling_words() >= kMaxSpellingWords) builder.FlushSpelling(shard);
    if (++in_segment_ == segment_articles_) segments_.Close();
    return Status::Ok();
  } catch (const Xapian::Error& e) {
    return IoError("cannot index article " + article.id() + ": " + e.get_description());
  }
}

}  // namespace dyad
