// Article-level country salience: which of the countries an article mentions it is about.
//
// A mention in the title, the dateline or the lead (first paragraph or first key point) weighs
// more than one further down, and repeated mentions add up with diminishing returns. The weights
// were tuned on Reuters-21578 reut2-000..010 against the PLACES labels and checked on
// reut2-011..021 (bench/country_quality.cc; docs/enrichment.md, "Countries").
#ifndef DYAD_CORE_COUNTRY_SALIENCE_H_
#define DYAD_CORE_COUNTRY_SALIENCE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "core/countries.h"
#include "dyad/v1/article.pb.h"

namespace dyad {

struct CountrySalience {
  std::string code;  // ISO 3166-1 alpha-2.
  double score = 0;  // Sum of the weights below; SalientCountries keeps score >= threshold.
  std::uint32_t mentions = 0;  // In title, key points, headings and paragraphs.
  std::uint32_t title_mentions = 0;
  std::uint32_t lead_mentions = 0;  // First paragraph, or the key points.
  std::uint32_t compound_mentions = 0;
  bool dateline = false;  // metadata["dateline"] names it ("MOSCOW, March 3").
};

// Tuned by grid search on reut2-000..010 (`country_quality --tune`); the test split was not used.
struct SalienceWeights {
  double title = 2.0;
  double dateline = 2.5;
  double lead = 0.5;
  double first_mention = 0.3;  // Any mention at all.
  double more_mentions = 0.6;  // Each further mention, up to `mention_cap` in all.
  std::uint32_t mention_cap = 5;
  double compound = 0.5;  // Named in a compound ("Sino-Soviet").
  double threshold = 1.5;
  // Kept only when at least this fraction of the best score of the article: a country named once
  // in passing in an article that is plainly about another one is left out.
  double relative = 0.3;
};

// The score of one country's features under `weights`.
double SalienceScore(const CountrySalience& features, const SalienceWeights& weights);

// Codes from ScoreCountries' result that pass the threshold and the relative cut, best first.
std::vector<std::string> SelectSalient(const std::vector<CountrySalience>& scored,
                                       const SalienceWeights& weights);

// Every country the article mentions, most salient first (ties by code).
std::vector<CountrySalience> ScoreCountries(const v1::StoredArticle& article,
                                            const CountryRecognizer& recognizer,
                                            const SalienceWeights& weights = {});

// Codes of the countries the article is about: score >= weights.threshold, most salient first.
std::vector<std::string> SalientCountries(const v1::StoredArticle& article,
                                          const CountryRecognizer& recognizer,
                                          const SalienceWeights& weights = {});

}  // namespace dyad

#endif  // DYAD_CORE_COUNTRY_SALIENCE_H_
