#include "searchd/facet_spy.h"

#include <algorithm>
#include <unordered_map>

#include "core/schema.h"

namespace dyad {

Xapian::MatchSpy* FacetSpy::clone() const {
  return internal.get() ? new FacetSpy(internal->slot) : new FacetSpy();
}

std::string FacetSpy::name() const { return Xapian::ValueCountMatchSpy::name(); }

std::string FacetSpy::serialise() const { return Xapian::ValueCountMatchSpy::serialise(); }

Xapian::MatchSpy* FacetSpy::unserialise(const std::string& serialised,
                                        const Xapian::Registry& context) const {
  // Validated by the base class (it throws on a bad string); the slot is Xapian's
  // variable-length number: one byte below 255, else 0xff then 7-bit groups, the last with the
  // high bit set, counting from 255.
  delete Xapian::ValueCountMatchSpy::unserialise(serialised, context);
  const auto* p = reinterpret_cast<const unsigned char*>(serialised.data());
  Xapian::valueno slot = p[0];
  if (slot == 0xff) {
    slot = 0;
    for (std::size_t i = 1, shift = 0; i < serialised.size(); ++i, shift += 7) {
      slot |= static_cast<Xapian::valueno>(p[i] & 0x7f) << shift;
      if (p[i] & 0x80) break;
    }
    slot += 255;
  }
  return new FacetSpy(slot);
}

std::string FacetSpy::serialise_results() const {
  return Xapian::ValueCountMatchSpy::serialise_results();
}

void FacetSpy::merge_results(const std::string& serialised) {
  Xapian::ValueCountMatchSpy::merge_results(serialised);
}

std::string FacetSpy::get_description() const {
  return "dyad::FacetSpy(" + Xapian::ValueCountMatchSpy::get_description() + ")";
}

std::vector<FacetCount> FacetSpy::Counts() const {
  std::unordered_map<std::string, Xapian::doccount> totals;
  for (Xapian::TermIterator list = values_begin(); list != values_end(); ++list) {
    const std::string encoded = *list;
    for (std::string_view value : schema::DecodeFacetValues(encoded)) {
      totals[std::string(value)] += list.get_termfreq();
    }
  }
  std::vector<FacetCount> counts;
  counts.reserve(totals.size());
  for (auto& [value, count] : totals) counts.push_back({value, count});
  std::sort(counts.begin(), counts.end(), [](const FacetCount& a, const FacetCount& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  });
  return counts;
}

}  // namespace dyad
