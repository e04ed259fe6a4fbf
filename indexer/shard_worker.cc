#include "indexer/shard_worker.h"

#include <filesystem>

#include "core/schema.h"
#include "indexer/document_builder.h"

namespace dyad {
namespace {

// Batches queued per worker before Push blocks: bounds memory when writing is slower than reading.
constexpr std::size_t kMaxQueuedBatches = 16;

// Articles per commit of a shard. Xapian keeps uncommitted postings in ordered maps whose lookups
// slow down as they grow: on Reuters-21578, committing every 500 articles indexes ~35% faster
// than Xapian's default of flushing every 10,000, in a fifth of the memory. Shards are merged
// (and the result flushed to disk) before anything is published, so their commits skip fsync.
constexpr std::uint64_t kCommitEvery = 500;

// Distinct words whose spelling counts a worker keeps in memory (a few tens of MB) before
// adding them to its shard's dictionary. Reuters-21578 has about 40,000.
constexpr std::size_t kMaxSpellingWords = 500000;

}  // namespace

ShardWorker::ShardWorker(const Enricher& enricher, std::string base_path, std::string shard_path,
                         std::atomic<bool>* failed)
    : enricher_(enricher),
      base_path_(std::move(base_path)),
      shard_path_(std::move(shard_path)),
      failed_(failed),
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
  std::optional<Xapian::WritableDatabase> shard;
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
      status_ = Process(item, base, shard, builder);
      if (!status_.ok()) {
        failed_->store(true);
        break;
      }
    }
  }
  if (status_.ok() && shard) {
    try {
      builder.FlushSpelling(*shard);
      shard->commit();
      shard->close();
    } catch (const Xapian::Error& e) {
      status_ = IoError("cannot commit shard " + shard_path_ + ": " + e.get_description());
      failed_->store(true);
    }
  }
}

Status ShardWorker::Process(Item& item, std::optional<Xapian::Database>& base,
                            std::optional<Xapian::WritableDatabase>& shard,
                            DocumentBuilder& builder) {
  v1::StoredArticle& article = item.article;
  try {
    const std::string id_term = IdTerm(article.id());
    bool in_shard = false;
    bool replaces = false;
    if (item.repeat && shard && shard->term_exists(id_term)) {
      in_shard = replaces = true;  // A later record of the id replaces the one of this run.
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
    if (!shard) {          // Created before the first Build, so the builder may write into it.
      std::error_code ec;  // The generation's folder, shared by the workers; made by the first.
      std::filesystem::create_directories(std::filesystem::path(shard_path_).parent_path(), ec);
      if (ec) return IoError("cannot create the folder of " + shard_path_ + ": " + ec.message());
      shard.emplace(shard_path_, Xapian::DB_CREATE | Xapian::DB_NO_SYNC);
      shard->set_metadata(schema::kMetaSchemaVersion, std::to_string(schema::kSchemaVersion));
      builder.EnableSpelling();  // Compaction merges the shards' spelling tables.
      wrote_ = true;
    }
    *article.mutable_enrichment() = enricher_.Enrich(article);
    Xapian::Document document = builder.Build(article);
    if (in_shard || item.repeat) {
      shard->replace_document(id_term, document);
    } else {
      shard->add_document(document);
    }
    ++(replaces ? replaced_ : added_);
    // The spelling counts go into the database only when they grow large (bounding memory) and
    // at the end: each flush rewrites the dictionary's fragment lists.
    if (builder.spelling_words() >= kMaxSpellingWords) builder.FlushSpelling(*shard);
    if ((added_ + replaced_) % kCommitEvery == 0) shard->commit();
    return Status::Ok();
  } catch (const Xapian::Error& e) {
    return IoError("cannot index article " + article.id() + ": " + e.get_description());
  }
}

}  // namespace dyad
