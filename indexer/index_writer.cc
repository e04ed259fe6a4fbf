#include "indexer/index_writer.h"

#include "core/schema.h"

namespace dyad {

StatusOr<std::unique_ptr<IndexWriter>> IndexWriter::Open(const std::string& path,
                                                         const Analyzer& analyzer) {
  try {
    Xapian::WritableDatabase database(path, Xapian::DB_CREATE_OR_OPEN);
    const std::string version = database.get_metadata(schema::kMetaSchemaVersion);
    const std::string expected = std::to_string(schema::kSchemaVersion);
    if (version.empty() && database.get_doccount() == 0) {
      database.set_metadata(schema::kMetaSchemaVersion, expected);
    } else if (version != expected) {
      return FailedPrecondition(path + " holds a Dyad index of schema version '" + version +
                                "', this dyad-index writes version " + expected +
                                "; build into a new directory");
    }
    return std::unique_ptr<IndexWriter>(new IndexWriter(std::move(database), analyzer));
  } catch (const Xapian::Error& e) {
    return IoError("cannot open index " + path + " for writing: " + e.get_description());
  }
}

StatusOr<IndexWriter::Outcome> IndexWriter::Check(const v1::StoredArticle& article) {
  try {
    const std::string id_term = IdTerm(article.id());
    Xapian::PostingIterator existing = database_.postlist_begin(id_term);
    if (existing == database_.postlist_end(id_term)) return Outcome::kAdded;
    v1::StoredArticle stored;
    if (stored.ParseFromString(database_.get_document(*existing).get_data()) &&
        stored.content_hash() == article.content_hash() &&
        stored.origin().path() == article.origin().path()) {
      return Outcome::kUnchanged;
    }
    return Outcome::kReplaced;
  } catch (const Xapian::Error& e) {
    return IoError("cannot read article " + article.id() + ": " + e.get_description());
  }
}

Status IndexWriter::Write(const v1::StoredArticle& article) {
  try {
    database_.replace_document(IdTerm(article.id()), builder_.Build(article));
    return Status::Ok();
  } catch (const Xapian::Error& e) {
    return IoError("cannot write article " + article.id() + ": " + e.get_description());
  }
}

StatusOr<std::uint64_t> IndexWriter::DeleteIf(
    const std::function<bool(const v1::StoredArticle&)>& stale) {
  try {
    std::vector<Xapian::docid> doomed;  // Collected first: no deleting under the iterator.
    for (auto it = database_.postlist_begin(""); it != database_.postlist_end(""); ++it) {
      v1::StoredArticle stored;
      if (stored.ParseFromString(database_.get_document(*it).get_data()) && stale(stored)) {
        doomed.push_back(*it);
      }
    }
    for (Xapian::docid id : doomed) database_.delete_document(id);
    return static_cast<std::uint64_t>(doomed.size());
  } catch (const Xapian::Error& e) {
    return IoError("cannot delete articles: " + e.get_description());
  }
}

Status IndexWriter::Commit() {
  try {
    database_.commit();
    return Status::Ok();
  } catch (const Xapian::Error& e) {
    return IoError("cannot commit index: " + e.get_description());
  }
}

}  // namespace dyad
