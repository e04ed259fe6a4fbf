// Writes articles into a Dyad index (a Xapian database directory).
#ifndef DYAD_INDEXER_INDEX_WRITER_H_
#define DYAD_INDEXER_INDEX_WRITER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <xapian.h>

#include "core/analyzer.h"
#include "core/status.h"
#include "dyad/v1/article.pb.h"
#include "indexer/document_builder.h"

namespace dyad {

class IndexWriter {
 public:
  // Opens or creates the index at `path`. FailedPrecondition when it holds a different schema
  // version; IoError when Xapian cannot open it (message says why, e.g. locked by a writer).
  static StatusOr<std::unique_ptr<IndexWriter>> Open(const std::string& path,
                                                     const Analyzer& analyzer);

  enum class Outcome { kAdded, kReplaced, kUnchanged };

  // Unchanged when the index holds an article with this id, source path and content hash
  // (then there is nothing to do, not even enrichment); otherwise kAdded or kReplaced, what
  // Write would do.
  StatusOr<Outcome> Check(const v1::StoredArticle& article);

  // Adds the article, or replaces the one with the same id.
  Status Write(const v1::StoredArticle& article);

  // Deletes every article for which `stale` is true and returns how many went. An article whose
  // stored data cannot be parsed is kept.
  StatusOr<std::uint64_t> DeleteIf(const std::function<bool(const v1::StoredArticle&)>& stale);

  // Makes everything written so far durable and visible to readers.
  Status Commit();

  Xapian::doccount article_count() const { return database_.get_doccount(); }

 private:
  IndexWriter(Xapian::WritableDatabase database, const Analyzer& analyzer)
      : database_(std::move(database)), builder_(analyzer) {
    builder_.EnableSpelling(database_);
  }

  Xapian::WritableDatabase database_;
  DocumentBuilder builder_;
};

}  // namespace dyad

#endif  // DYAD_INDEXER_INDEX_WRITER_H_
