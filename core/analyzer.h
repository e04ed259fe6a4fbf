// The text analyser: the one place that decides how Dyad turns text into terms, used by the
// indexer (through a Xapian::TermGenerator) and by searchd (through a Xapian::QueryParser), so
// index-time and query-time analysis cannot diverge.
//
// Analysis of a text:
//  1. ICU NFKC with Unicode case folding ("ＰＡＫＩＳＴＡＮ" and "PAKISTAN" become "pakistan").
//  2. Apostrophes (’ ‘ ʼ ＇ ´ `) become ', and a possessive 's or plural s' is dropped, so
//     "Pakistan’s", "Pakistan's" and "Pakistan" give the same terms.
//  3. Hyphens and en dashes (‐ ‑ ‒ – −) become '-', which Xapian treats as a word break that
//     keeps the parts adjacent: "Pak-Russia" and "Pakistan–Russia" yield both parts and match as a
//     phrase. Em dashes become spaces; soft hyphens are removed.
//  4. Xapian's tokeniser, English Snowball stemming (STEM_SOME: stemmed terms carry a "Z"
//     prefix, unstemmed terms keep positions for phrases) and CJK n-grams.
// Stop words are dropped from queries (outside phrases) but kept in documents.
//
// Thread-safety: an Analyzer is immutable after Create and may be shared between threads. The
// TermGenerator and QueryParser it configures are not thread-safe; give each thread its own.
#ifndef DYAD_CORE_ANALYZER_H_
#define DYAD_CORE_ANALYZER_H_

#include <xapian.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace dyad {

struct AnalyzerOptions {
  std::string language = "english";  // Snowball stemmer name.
  // Stop-word file; empty means the data file "stopwords/en.txt".
  std::string stopwords_path;
};

class Analyzer {
 public:
  static StatusOr<Analyzer> Create(const AnalyzerOptions& options = {});

  // Steps 1-3 above. Invalid UTF-8 becomes U+FFFD.
  std::string Normalize(std::string_view text) const;

  // The general path of Normalize (case_fold) and NormalizeForDisplay (!case_fold) through ICU,
  // which they skip for ASCII text; public so that tests can compare the two on any input.
  static std::string NormalizeWithIcu(std::string_view text, bool case_fold);

  // Normalize for query strings: the upper-case operators AND, OR, NOT, XOR, NEAR and ADJ are
  // kept as they are so the query parser still sees them, and typographic double quotes (U+201C,
  // U+201D) become '"'.
  std::string NormalizeQuery(std::string_view query) const;

  // Steps 2-3 plus NFKC without case folding: text for people (snippets) whose words match
  // the terms that Normalize gives.
  std::string NormalizeForDisplay(std::string_view text) const;

  // Sets stemmer, stemming strategy and flags. `generator` must be dedicated to one thread.
  void ConfigureTermGenerator(Xapian::TermGenerator& generator) const;

  // Sets stemmer, stop words, default operator and the field prefixes of core/schema.h.
  void ConfigureQueryParser(Xapian::QueryParser& parser) const;

  // A stopper of this analyser's stop words, for a parser that switches them on and off. Like
  // a QueryParser, it must not be shared between threads (Xapian's reference counts are not
  // atomic).
  std::unique_ptr<Xapian::Stopper> MakeStopper() const;

  // Whether `word` (normalised, unstemmed) is one of the query stop words.
  bool IsStopWord(std::string_view word) const;

  // Normalizes `text` and indexes it with `prefix` (empty for unprefixed) and `wdf_inc`, then
  // leaves a positional gap so phrases never match across calls.
  void IndexText(Xapian::TermGenerator& generator, std::string_view text,
                 Xapian::termcount wdf_inc = 1, std::string_view prefix = {}) const;

  // Normalizes and parses a query string. InvalidArgument with Xapian's explanation when the
  // syntax is wrong. `flags` are Xapian::QueryParser flags. `rewrite`, if given, sees the
  // normalized query (what Xapian would parse) and returns what Xapian parses instead, or an
  // error returned as is.
  using QueryRewrite = std::function<StatusOr<std::string>(std::string normalized)>;
  StatusOr<Xapian::Query> ParseQuery(Xapian::QueryParser& parser, std::string_view query,
                                     unsigned flags = kDefaultQueryFlags,
                                     const QueryRewrite& rewrite = {}) const;

  // A stemmer for this language, e.g. for MSet::snippet, which stems every word of the text
  // it is given. It remembers the stems of recent words (bounded), so a long-lived one stems a
  // recurring word once. Not thread-safe to share, so each call returns a new one.
  Xapian::Stem MakeStemmer() const;

  // The words of `text` in order, normalised but not stemmed, exactly as the index sees them
  // (Xapian's tokeniser after Normalize). CJK text gives its n-grams.
  std::vector<std::string> Words(std::string_view text) const;

  // Words() stemmed with this analyser's stemmer: what phrase cues (themes, era names) match on.
  std::vector<std::string> Stems(std::string_view text) const;

  // Stems `words` (as Words() gives them) in place, as Stems() does: for a caller that has the
  // words already (the indexer's TermGenerator sees each of them) and need not tokenise again.
  void StemWords(std::vector<std::string>& words) const;

  // The terms indexing `text` would add to a document (unprefixed, sorted, unique), and the
  // terms a query for `text` would look up (sorted, unique). Used to check that the two agree.
  std::vector<std::string> IndexTerms(std::string_view text) const;
  StatusOr<std::vector<std::string>> QueryTerms(std::string_view text) const;

  static constexpr unsigned kDefaultQueryFlags =
      Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_CJK_NGRAM;

 private:
  Analyzer(std::string language, std::shared_ptr<const std::vector<std::string>> stopwords)
      : language_(std::move(language)), stopwords_(std::move(stopwords)) {}

  std::string language_;
  std::shared_ptr<const std::vector<std::string>> stopwords_;  // Sorted, unique.
};

}  // namespace dyad

#endif  // DYAD_CORE_ANALYZER_H_
