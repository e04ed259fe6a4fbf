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
// Country names in free text also match every other name of the country: "USSR Pakistan" finds
// articles that say "Soviet Union" and "Pakistani". An unknown country, theme or era is an
// InvalidArgument naming what is known.
#ifndef DYAD_CORE_QUERY_BUILDER_H_
#define DYAD_CORE_QUERY_BUILDER_H_

#include <string>
#include <string_view>

#include <xapian.h>

#include "core/analyzer.h"
#include "core/enricher.h"
#include "core/status.h"

namespace dyad {

// Not thread-safe (owns a QueryParser); one per thread. `enricher` must outlive it.
class QueryBuilder {
 public:
  QueryBuilder(const Enricher& enricher);

  // Optional: lets the parser expand wildcards and check spellings against `database`.
  void SetDatabase(const Xapian::Database& database) { parser_.set_database(database); }

  StatusOr<Xapian::Query> Parse(std::string_view query);

  // The query string after country expansion (for explain and tests).
  std::string Expand(std::string_view query) const;

 private:
  const Enricher& enricher_;
  Xapian::QueryParser parser_;
};

}  // namespace dyad

#endif  // DYAD_CORE_QUERY_BUILDER_H_
