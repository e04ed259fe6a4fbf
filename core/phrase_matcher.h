// Finds cue phrases in analysed text. Phrases and text go through the same Analyzer::Stems, so
// a cue matches every inflection the stemmer folds together ("energy partnership" also finds
// "energy partnerships").
#ifndef DYAD_CORE_PHRASE_MATCHER_H_
#define DYAD_CORE_PHRASE_MATCHER_H_

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/analyzer.h"

namespace dyad {

class PhraseMatcher {
 public:
  // Registers `phrase` as a cue for `id` with `weight`. Returns false for a phrase with no words.
  bool Add(const Analyzer& analyzer, std::string_view phrase, int id, double weight);

  // Calls found(id, weight) for each match in `stems`, left to right, longest match first: the
  // words of a match are used up, so "post-cold war" does not also match "cold war" and
  // "iran-iraq war" does not also match "iraq war". Among the longest cues at a position, each
  // id counts once, with its heaviest weight. Thread-safe (const).
  void Match(const std::vector<std::string>& stems,
             const std::function<void(int id, double weight)>& found) const;

  std::size_t size() const { return count_; }

 private:
  struct Cue {
    std::vector<std::string> stems;  // All words, the first included.
    int id;
    double weight;
  };
  std::unordered_map<std::string, std::vector<Cue>> by_first_;
  std::size_t count_ = 0;
};

}  // namespace dyad

#endif  // DYAD_CORE_PHRASE_MATCHER_H_
