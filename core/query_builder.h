// Turns a query string into a Xapian query the Dyad way: the Analyzer's normalisation and
// QueryParser set-up, plus Dyad's knowledge.
//   country:NAME   articles about a country; NAME is a code, a name in any supported language,
//                  a demonym or a historical name ("country:ussr" is country:RU)
//   country:NAME_1922_1991   ... whose discussed period overlaps the years or is unknown;
//                  also NAME_from_1992, NAME_to_1921, and several joined by _or_
//                  ("country:RU_to_1921_or_from_1992")
//   pair:A-B       articles whose dyads include the pair ("pair:PK-RU", "pair:pakistan-russia")
//   theme:ID       articles with a theme of the taxonomy ("theme:energy")
//   era:ID         articles in an era of the catalogue ("era:cold-war")
//   decade:1980s   articles published in or discussing that decade
//   1947..1991     articles whose discussed period overlaps these years (either end may be open)
//   published:2001-01..2005   publication date range (YYYY, YYYY-MM or YYYY-MM-DD)
// Words ending in * are wildcards (pak* finds pakistan and pakistani, title:pak* in titles),
// expanded against the whole database (all shards) into a synonym of the matching words; one
// that would stand for more words than SetMaxWildcardExpansion allows is an InvalidArgument.
// Country names in free text also match every other name of the country: "USSR Pakistan" finds
// articles that say "Soviet Union" and "Pakistani". A name bound to periods
// (corpus/data/countries/name_periods.tsv) matches the country only in them: "USSR" is
// country:RU_1922_1991, "Russian Federation" country:RU_from_1992. An unknown country, theme or era
// is an InvalidArgument naming what is known.
#ifndef DYAD_CORE_QUERY_BUILDER_H_
#define DYAD_CORE_QUERY_BUILDER_H_

#include <xapian.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/analyzer.h"
#include "core/enricher.h"
#include "core/status.h"
#include "dyad/v1/search.pb.h"

namespace dyad {

// Not thread-safe (owns a QueryParser); one per thread. `enricher` must outlive it.
class QueryBuilder {
 public:
  QueryBuilder(const Enricher& enricher);

  // Lets the parser expand wildcards and check spellings against `database` (without one, a
  // wildcard is an error).
  void SetDatabase(const Xapian::Database& database);

  // A wildcard may stand for at most `limit` words (0: no limit, the default).
  void SetMaxWildcardExpansion(Xapian::termcount limit);

  struct WildcardState {
    std::optional<Xapian::Database> database;
    Xapian::termcount limit = 0;
  };

  // What a ranking configuration (core/ranking.h) may change in parsing.
  struct ParseOptions {
    bool stopwords = true;         // Drop stop words outside phrases.
    bool expand_countries = true;  // Country names also match country:XX (Expand).
  };

  StatusOr<Xapian::Query> Parse(std::string_view query, const ParseOptions& options);
  StatusOr<Xapian::Query> Parse(std::string_view query) { return Parse(query, ParseOptions()); }

  // The query with misspelt words replaced by the closest words of the database's spelling
  // dictionary (normalised, as Analyzer::NormalizeQuery gives it); empty when nothing changes,
  // the query does not parse, or the database has no spelling data. Needs SetDatabase.
  std::string CorrectedQuery(std::string_view query);

  // The request filters as one boolean query (see SearchRequest.filters in search.proto), or
  // an empty Xapian::Query when there are none. InvalidArgument for an unknown country, dyad,
  // theme or era, a reversed range or a malformed date.
  StatusOr<Xapian::Query> Filter(const v1::Filters& filters) const;

  // The query string after country expansion (for explain and tests).
  std::string Expand(std::string_view query) const;

 private:
  // No FLAG_WILDCARD: Expand turns wildcards into wildcard: fields (see query_builder.cc).
  static constexpr unsigned kFlags = Analyzer::kDefaultQueryFlags;

  // Rewrites the values of processor_fields_ so Xapian hands each to its field processor
  // (ProtectFieldValues in query_builder.cc); `encoded`, if given, gets (encoded, original).
  // `query` is what the user wrote, for the error message.
  StatusOr<std::string> ProtectFieldValues(
      std::string_view query, std::string normalized,
      std::vector<std::pair<std::string, std::string>>* encoded) const;

  const Enricher& enricher_;
  std::vector<std::string> processor_fields_;  // Free-text fields with a FieldProcessor.
  std::shared_ptr<WildcardState> wildcards_;   // Shared with the wildcard field processor.
  std::unique_ptr<Xapian::Stopper> stopper_;   // Set on parser_ when ParseOptions::stopwords.
  Xapian::QueryParser parser_;
};

// The discussed period overlaps [from, to] (years): start <= to and end >= from on the period
// slots. What `1947..1991` and Filters.period both mean. InvalidArgument when from > to.
StatusOr<Xapian::Query> PeriodOverlapQuery(int from, int to);

// Publication date within [begin, end] (YYYY, YYYY-MM or YYYY-MM-DD; empty is open; an upper
// bound's missing month and day are its last). What published:A..B and the filters mean.
StatusOr<Xapian::Query> PublishedRangeQuery(std::string_view begin, std::string_view end);

}  // namespace dyad

#endif  // DYAD_CORE_QUERY_BUILDER_H_
