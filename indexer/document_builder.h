// Turns a StoredArticle into a Xapian document following core/schema.h.
#ifndef DYAD_INDEXER_DOCUMENT_BUILDER_H_
#define DYAD_INDEXER_DOCUMENT_BUILDER_H_

#include <xapian.h>

#include "core/analyzer.h"
#include "dyad/v1/article.pb.h"

namespace dyad {

// Not thread-safe (owns a TermGenerator); use one per indexing thread.
class DocumentBuilder {
 public:
  explicit DocumentBuilder(const Analyzer& analyzer);

  // The document for `article`: free text with positions, boolean terms (including those of
  // article.enrichment(), which the caller fills in), value slots, and the serialised article
  // as data.
  Xapian::Document Build(const v1::StoredArticle& article);

  // From now on, words of unprefixed text are also added to `database`'s spelling dictionary
  // (what searchd's spelling suggestions draw on). The dictionary only grows: replacing an
  // article adds its words again.
  void EnableSpelling(const Xapian::WritableDatabase& database);

 private:
  const Analyzer& analyzer_;
  Xapian::TermGenerator generator_;
};

// The unique id term of an article (schema::kPrefixId).
std::string IdTerm(std::string_view id);

// YYYYMMDD from "YYYY", "YYYY-MM" or "YYYY-MM-DD" (missing parts count as 01); 0 if empty.
double DateNumber(std::string_view published);

}  // namespace dyad

#endif  // DYAD_INDEXER_DOCUMENT_BUILDER_H_
