// FacetSpy: counts the values of a multi-valued facet (country, dyad, theme, era, decade,
// source) over the documents the matcher looks at, exactly, on one index, on several shards and
// on remote shards served by a stock xapian-tcpsrv.
//
// How: each document holds its facet values as one list in a value slot (core/schema.h). Per
// document the spy counts that whole list (one map update, no decoding), which is what
// Xapian::ValueCountMatchSpy does; after the match, Counts() splits each distinct list into its
// values and adds up: a value's count is the sum of the counts of the lists that hold it. List
// counts add across shards, so the split totals are exact wherever the lists were counted.
//
// Wire identity: the remote backend rebuilds a match spy on the server by name, from the
// server's registry. xapian-tcpsrv only knows Xapian's own spies, so a spy registered under a
// new name fails there ("Match spy ... not registered"). FacetSpy therefore keeps the name,
// serialisation and result format of Xapian::ValueCountMatchSpy: the server counts lists with
// the built-in class, and the client-side FacetSpy merges those results and splits them.
#ifndef DYAD_SEARCHD_FACET_SPY_H_
#define DYAD_SEARCHD_FACET_SPY_H_

#include <xapian.h>

#include <cstdint>
#include <string>
#include <vector>

namespace dyad {

struct FacetCount {
  std::string value;
  Xapian::doccount count = 0;
};

class FacetSpy : public Xapian::ValueCountMatchSpy {
 public:
  FacetSpy() = default;
  explicit FacetSpy(Xapian::valueno slot) : Xapian::ValueCountMatchSpy(slot) {}

  // Xapian::MatchSpy. name(), serialise(), serialise_results() and merge_results() are those
  // of ValueCountMatchSpy (see above); clone() and unserialise() give a FacetSpy.
  Xapian::MatchSpy* clone() const override;
  std::string name() const override;
  std::string serialise() const override;
  Xapian::MatchSpy* unserialise(const std::string& serialised,
                                const Xapian::Registry& context) const override;
  std::string serialise_results() const override;
  void merge_results(const std::string& serialised) override;
  std::string get_description() const override;

  // Every value seen with its number of documents: most frequent first, ties by value.
  std::vector<FacetCount> Counts() const;

  // Documents the spy saw (locally and merged from shards).
  Xapian::doccount documents() const { return static_cast<Xapian::doccount>(get_total()); }
};

}  // namespace dyad

#endif  // DYAD_SEARCHD_FACET_SPY_H_
