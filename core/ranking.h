// Named ranking configurations (proto/dyad/v1/ranking.proto, corpus/data/rankings.textproto) and
// their application to one search: how the query is parsed (stop words, country expansion), the
// BM25 parameters, query-time boosts (field weights, proximity of query words, the dyad of two
// countries the query names) and pseudo-relevance feedback. The boosts only add weight: the
// articles a query matches are the same under every configuration, except with feedback that
// `widen`s. docs/relevance.md lists the configurations and what each is worth on CISI.
#ifndef DYAD_CORE_RANKING_H_
#define DYAD_CORE_RANKING_H_

#include <xapian.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/enricher.h"
#include "core/expansion.h"
#include "core/query_builder.h"
#include "core/status.h"
#include "dyad/v1/ranking.pb.h"

namespace dyad {

// A catalogue of ranking configurations, each resolved against its base. Immutable after Load;
// may be shared between threads.
class Rankings {
 public:
  // Reads a RankingCatalog in Protobuf text format; an empty path means the data file
  // "rankings.textproto". InvalidArgument naming the file (and line, for syntax errors) when it
  // is malformed, a configuration has no or a bad name, a name is used twice, a base is unknown
  // or defined later, the default names no configuration, or a parameter is out of range.
  static StatusOr<Rankings> Load(const std::string& path = "");

  // The same checks on a catalogue in memory; `origin` names it in errors.
  static StatusOr<Rankings> FromCatalog(const v1::RankingCatalog& catalog,
                                        const std::string& origin);

  // The configuration called `name`, or the default one for an empty name. InvalidArgument
  // listing the known names otherwise. The pointer lives as long as this catalogue.
  StatusOr<const v1::RankingConfig*> Find(std::string_view name) const;

  const std::string& default_name() const { return default_name_; }
  const std::vector<v1::RankingConfig>& configs() const { return configs_; }

 private:
  std::vector<v1::RankingConfig> configs_;  // Resolved: each holds its base's settings too.
  std::string default_name_;
};

// Where Ranker::Feedback may compute expansion terms itself: the database searched, which must
// be one local shard, and a cache of its term frequencies.
struct LocalExpansion {
  const Xapian::Database* database = nullptr;
  TermFreqCache* freqs = nullptr;
};

// Applies one configuration to searches. Holds references only: cheap to make per request.
// Not thread-safe in use (it works on the caller's QueryBuilder and Enquire).
class Ranker {
 public:
  // `enricher` and `config` must outlive the ranker.
  Ranker(const Enricher& enricher, const v1::RankingConfig& config)
      : enricher_(enricher), config_(config) {}

  // `query` (Dyad's query syntax) parsed by `builder` with the configuration's stop-word and
  // country settings, with its field, proximity and dyad boosts. Errors are the builder's.
  StatusOr<Xapian::Query> Parse(QueryBuilder& builder, std::string_view query) const;

  // The weighting scheme: Xapian::BM25Weight with the configuration's parameters.
  Xapian::BM25Weight Weight() const;

  bool has_feedback() const { return config_.has_feedback(); }
  // Whether Feedback may add matches (`widen`); without, the expanded query matches exactly the
  // articles the query does.
  bool feedback_widens() const { return config_.has_feedback() && config_.feedback().widen(); }

  // Pseudo-relevance feedback: runs `weighted` restricted by `filter` (empty: no filter) on
  // `enquire`, whose weighting scheme must be Weight(), and returns `weighted` with the expansion
  // terms of the top documents added. Returns `weighted` unchanged when the configuration has no
  // feedback, the query has too few words or the first pass finds nothing. Leaves `enquire`'s
  // query set to the first pass. With `scales`, records each expansion term's scale factor (its
  // weight in an article is that times its BM25 weight there). Throws Xapian::Error like any
  // search. With `local` (the database `enquire` searches, which must be one local shard, and a
  // cache of its term frequencies), the "trad" expansion terms are computed by TradExpansion
  // (core/expansion.h): the same terms and weights, fewer index lookups.
  Xapian::Query Feedback(Xapian::Enquire& enquire, const Xapian::Query& weighted,
                         const Xapian::Query& filter,
                         std::map<std::string, double>* scales = nullptr,
                         const LocalExpansion& local = {}) const;

  // The boosts alone, for tests: what Parse adds to the parsed query `parsed` of `query`.
  std::vector<Xapian::Query> FieldBoosts(const Xapian::Query& parsed) const;
  std::vector<Xapian::Query> ProximityBoosts(std::string_view query) const;
  std::vector<Xapian::Query> DyadBoosts(std::string_view query) const;

 private:
  const Enricher& enricher_;
  const v1::RankingConfig& config_;
};

// Whether a term of a parsed query is free text of the unprefixed field: a word ("pipeline")
// or its stem ("Zpipelin"), not a field or filter term ("Spipelin", "XCru").
bool IsPlainTextTerm(std::string_view term);

}  // namespace dyad

#endif  // DYAD_CORE_RANKING_H_
