// Turns a StoredArticle into a Xapian document following core/schema.h.
#ifndef DYAD_INDEXER_DOCUMENT_BUILDER_H_
#define DYAD_INDEXER_DOCUMENT_BUILDER_H_

#include <xapian.h>

#include <string>
#include <string_view>
#include <unordered_map>

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

  // From now on, the words of unprefixed text are counted for the spelling dictionary (what
  // searchd's spelling suggestions draw on): exactly the words, CJK n-grams included, and as many
  // times, as Xapian's TermGenerator::FLAG_SPELLING would add (tests/indexer/
  // document_builder_test.cc compares the two). The dictionary only grows: replacing an article
  // counts its words again.
  void EnableSpelling();

  // Adds the words counted so far to `database`'s spelling dictionary (written at its next
  // commit) and forgets them. Xapian's own FLAG_SPELLING updates the dictionary word by word and
  // rewrites every fragment list a batch touches at each commit, which cost about a third of a
  // build; counting here and adding each distinct word once is the same dictionary for much less.
  void FlushSpelling(Xapian::WritableDatabase& database);

  // Distinct words counted and not yet flushed.
  std::size_t spelling_words() const { return spelling_.counts.size(); }

 private:
  // Sees every word the TermGenerator indexes, just before stemming it (as a Stopper under
  // STOP_STEMMED that never stops anything), and counts those of unprefixed text.
  class SpellingCounter : public Xapian::Stopper {
   public:
    bool operator()(const std::string& word) const override {
      if (counting) ++counts[word];
      return false;
    }
    bool counting = false;
    mutable std::unordered_map<std::string, Xapian::termcount> counts;
  };

  // Indexes `text` under `prefix` (empty: unprefixed, whose words are counted for spelling).
  void Index(std::string_view text, Xapian::termcount wdf, std::string_view prefix = {});

  const Analyzer& analyzer_;
  bool spelling_enabled_ = false;
  SpellingCounter spelling_;  // Before generator_, which points at it.
  Xapian::TermGenerator generator_;
};

// The unique id term of an article (schema::kPrefixId).
std::string IdTerm(std::string_view id);

// YYYYMMDD from "YYYY", "YYYY-MM" or "YYYY-MM-DD" (missing parts count as 01); 0 if empty.
double DateNumber(std::string_view published);

}  // namespace dyad

#endif  // DYAD_INDEXER_DOCUMENT_BUILDER_H_
