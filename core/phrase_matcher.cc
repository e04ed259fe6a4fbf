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
  std::vector<std::pair<int, double>> best;  // Per position: heaviest weight per id.
  for (std::size_t i = 0; i < stems.size(); ++i) {
    const auto it = by_first_.find(stems[i]);
    if (it == by_first_.end()) continue;
    best.clear();
    for (const Cue& cue : it->second) {
      if (i + cue.stems.size() > stems.size()) continue;
      if (!std::equal(cue.stems.begin() + 1, cue.stems.end(), stems.begin() + i + 1)) continue;
      auto same = std::find_if(best.begin(), best.end(),
                               [&](const auto& b) { return b.first == cue.id; });
      if (same == best.end()) {
        best.emplace_back(cue.id, cue.weight);
      } else {
        same->second = std::max(same->second, cue.weight);
      }
    }
    for (const auto& [id, weight] : best) found(id, weight);
  }
}

}  // namespace dyad
