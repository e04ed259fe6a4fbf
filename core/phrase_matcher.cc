#include "core/phrase_matcher.h"

#include <algorithm>

namespace dyad {

bool PhraseMatcher::Add(const Analyzer& analyzer, std::string_view phrase, int id, double weight) {
  std::vector<std::string> stems = analyzer.Stems(phrase);
  if (stems.empty()) return false;
  std::string first = stems.front();
  by_first_[first].push_back({std::move(stems), id, weight});
  ++count_;
  return true;
}

void PhraseMatcher::Match(const std::vector<std::string>& stems,
                          const std::function<void(int id, double weight)>& found) const {
  std::vector<std::pair<int, double>> best;  // At one position: heaviest weight per id.
  for (std::size_t i = 0; i < stems.size();) {
    const auto it = by_first_.find(stems[i]);
    std::size_t longest = 0;
    if (it != by_first_.end()) {
      for (const Cue& cue : it->second) {
        if (cue.stems.size() < longest || i + cue.stems.size() > stems.size()) continue;
        if (!std::equal(cue.stems.begin() + 1, cue.stems.end(), stems.begin() + i + 1)) continue;
        if (cue.stems.size() > longest) {
          longest = cue.stems.size();
          best.clear();
        }
        auto same = std::find_if(best.begin(), best.end(),
                                 [&](const auto& b) { return b.first == cue.id; });
        if (same == best.end()) {
          best.emplace_back(cue.id, cue.weight);
        } else {
          same->second = std::max(same->second, cue.weight);
        }
      }
    }
    if (longest == 0) {
      ++i;
      continue;
    }
    for (const auto& [id, weight] : best) found(id, weight);
    best.clear();
    i += longest;  // The words of a match are used up: "post-cold war" is not also "cold war".
  }
}

}  // namespace dyad
