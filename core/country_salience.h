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

struct SalienceWeights {
  double title = 2.0;
  double dateline = 1.5;
  double lead = 1.5;
  double first_mention = 0.6;  // Any mention at all.
  double more_mentions = 0.4;  // Each further mention, up to `mention_cap` in all.
  std::uint32_t mention_cap = 5;
  double compound = 0.5;  // Named in a compound ("Sino-Soviet").
  double threshold = 1.5;
};

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
