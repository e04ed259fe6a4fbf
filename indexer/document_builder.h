// Turns a StoredArticle into a Xapian document following core/schema.h.
#ifndef DYAD_INDEXER_DOCUMENT_BUILDER_H_
#define DYAD_INDEXER_DOCUMENT_BUILDER_H_

#include <xapian.h>

#include <string>
#include <string_view>
#include <unordered_map>

#include "core/analyzer.h"
#include "core/enricher.h"
#include "dyad/v1/article.pb.h"

namespace dyad {

// Not thread-safe (owns a TermGenerator); use one per indexing thread.
class DocumentBuilder {
 public:
  explicit DocumentBuilder(const Analyzer& analyzer);

  // The document for `article`: free text with positions, boolean terms (including those of
  // article.enrichment(), which the caller fills in), value slots, and the serialised article
  // as data. The same as IndexText(article) then Finish(article).
  Xapian::Document Build(const v1::StoredArticle& article);

  // Build in two steps, so that enrichment can reuse the words indexed instead of tokenising the
  // text again: IndexText indexes the free text of `article` into a new document and, with
  // `stems`, records the stems of the fields Enricher::Enrich reads (for Enrich(article, stems));
  // Finish adds the rest, article.enrichment() included, and returns the document. `article` must
  // not change in between, but for its enrichment.
  void IndexText(const v1::StoredArticle& article, FieldStems* stems = nullptr);
  Xapian::Document Finish(const v1::StoredArticle& article);

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
  // Sees every word the TermGenerator indexes, in order, just before stemming it (as a Stopper
  // under STOP_STEMMED that never stops anything): counts those of unprefixed text for spelling,
  // and records those of a field whose stems are asked for.
  class WordTap : public Xapian::Stopper {
   public:
    bool operator()(const std::string& word) const override {
      if (counting) ++counts[word];
      if (words != nullptr) words->push_back(word);
      return false;
    }
    bool counting = false;
    std::vector<std::string>* words = nullptr;
    mutable std::unordered_map<std::string, Xapian::termcount> counts;
  };

  // Indexes `text` under `prefix` (empty: unprefixed, whose words are counted for spelling).
  // With `stems`, unprefixed, records the stems of `text` as stems->Add(text).
  void Index(const std::string& text, Xapian::termcount wdf, std::string_view prefix = {},
             FieldStems* stems = nullptr);

  const Analyzer& analyzer_;
  bool spelling_enabled_ = false;
  WordTap spelling_;  // Before generator_, which points at it.
  Xapian::TermGenerator generator_;
  Xapian::Document document_;  // Between IndexText and Finish.
};

// The unique id term of an article (schema::kPrefixId).
std::string IdTerm(std::string_view id);

// YYYYMMDD from "YYYY", "YYYY-MM" or "YYYY-MM-DD" (missing parts count as 01); 0 if empty.
double DateNumber(std::string_view published);

}  // namespace dyad

#endif  // DYAD_INDEXER_DOCUMENT_BUILDER_H_
