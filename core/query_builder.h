// Turns a query string into a Xapian query the Dyad way: the Analyzer's normalisation and
// QueryParser set-up, plus Dyad's knowledge.
//   country:NAME   articles about a country; NAME is a code, a name in any supported language,
//                  a demonym or a historical name ("country:ussr" is country:RU)
//   pair:A-B       articles whose dyads include the pair ("pair:PK-RU", "pair:pakistan-russia")
//   theme:ID       articles with a theme of the taxonomy ("theme:energy")
//   era:ID         articles in an era of the catalogue ("era:cold-war")
//   decade:1980s   articles published in or discussing that decade
//   1947..1991     articles whose discussed period overlaps these years (either end may be open)
//   published:2001-01..2005   publication date range (YYYY, YYYY-MM or YYYY-MM-DD)
// Words ending in * are wildcards (pak* finds pakistan and pakistani); a wildcard that would
// expand to more terms than SetMaxWildcardExpansion allows fails the search with
// Xapian::WildcardError.
// Country names in free text also match every other name of the country: "USSR Pakistan" finds
// articles that say "Soviet Union" and "Pakistani". An unknown country, theme or era is an
// InvalidArgument naming what is known.
#ifndef DYAD_CORE_QUERY_BUILDER_H_
#define DYAD_CORE_QUERY_BUILDER_H_

#include <xapian.h>

#include <string>
#include <string_view>

#include "core/analyzer.h"
#include "core/enricher.h"
#include "core/status.h"
#include "dyad/v1/search.pb.h"

namespace dyad {

// Not thread-safe (owns a QueryParser); one per thread. `enricher` must outlive it.
class QueryBuilder {
 public:
  QueryBuilder(const Enricher& enricher);

  // Optional: lets the parser expand wildcards and check spellings against `database`.
  void SetDatabase(const Xapian::Database& database) { parser_.set_database(database); }

  // Wildcards expanding to more than `limit` terms make the search throw Xapian::WildcardError
  // (0: no limit, the default).
  void SetMaxWildcardExpansion(Xapian::termcount limit);

  StatusOr<Xapian::Query> Parse(std::string_view query);

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
  static constexpr unsigned kFlags =
      Analyzer::kDefaultQueryFlags | Xapian::QueryParser::FLAG_WILDCARD;

  const Enricher& enricher_;
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
