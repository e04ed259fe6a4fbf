// Query expansion terms computed as Xapian's ESet computes them with the "trad" scheme, with the
// term frequencies taken from a cache that outlives one search.
//
// Why: Enquire::get_eset looks up the term frequency of every candidate term of the relevant
// documents (a B-tree lookup in the postlist table, often a block read), afresh for each search;
// with pseudo-relevance feedback on every query that was a third of a search's CPU time on
// Reuters-21578. The same words recur from one search to the next, so a cache of their
// frequencies removes most of those lookups.
//
// Identity: the terms and weights are those of Xapian 1.4's ESet::Internal::expand with
// TradEWeight and USE_EXACT_TERMFREQ, bit for bit: the relevant documents' term lists are merged
// in the order of Xapian's termlist tree (built like a Huffman tree on the lists' sizes), which
// fixes the order in which each term's per-document parts are added, and the terms are selected
// by the same steps, which matter when weights tie. tests/core/expansion_test.cc compares the two
// on a real index. Valid for a database of one local shard only (term lists of several shards
// are merged differently).
#ifndef DYAD_CORE_EXPANSION_H_
#define DYAD_CORE_EXPANSION_H_

#include <xapian.h>

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace dyad {

// Term frequencies of one database revision. Not thread-safe: one per QueryService.
class TermFreqCache {
 public:
  // Up to this many terms are kept; the cache empties when it would hold more.
  static constexpr std::size_t kMaxTerms = 1 << 20;

  // The term frequency of `term` in `database`, looked up once per revision. The caller must
  // call Reset when `database` is reopened or replaced.
  Xapian::doccount Get(const Xapian::Database& database, const std::string& term);

  // Forgets every frequency; `revision` identifies the database state they will come from.
  void Reset(std::uint64_t revision);
  std::uint64_t revision() const { return revision_; }
  std::size_t size() const { return freqs_.size(); }

 private:
  std::unordered_map<std::string, Xapian::doccount> freqs_;
  std::uint64_t revision_ = 0;
};

struct ExpansionTerm {
  std::string term;
  double weight = 0;
};

// The best `max_terms` expansion terms of the relevant documents `rset` (document ids of
// `database`, ascending, no repeats) that `accept` accepts, best first, as
// Enquire::get_eset(max_terms, rset, USE_EXACT_TERMFREQ, decider) gives them after
// set_expansion_scheme("trad", expand_k), where `accept` must say what the decider and the
// exclusion of the query's terms say together. Terms weighing 0 or less are left out.
// Equal weights are ordered lexically larger term first, as Xapian orders them. `database` must
// be one local shard. Throws Xapian::Error like a search.
std::vector<ExpansionTerm> TradExpansion(const Xapian::Database& database,
                                         const std::vector<Xapian::docid>& rset,
                                         std::size_t max_terms,
                                         const std::function<bool(const std::string&)>& accept,
                                         TermFreqCache& freqs, double expand_k = 1.0);

}  // namespace dyad

#endif  // DYAD_CORE_EXPANSION_H_
