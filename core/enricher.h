// Enrichment: what Dyad knows about an article beyond its words. Countries (core/countries.h),
// dyads, themes (core/themes.h), the discussed period, eras and decades (core/periods.h), from
// one pass over the article's fields. The indexer stores the result (StoredArticle.enrichment and
// the filter terms of core/schema.h); `dyad-index enrich` prints it.
#ifndef DYAD_CORE_ENRICHER_H_
#define DYAD_CORE_ENRICHER_H_

#include <memory>
#include <string>

#include "core/analyzer.h"
#include "core/countries.h"
#include "core/periods.h"
#include "core/status.h"
#include "core/themes.h"
#include "dyad/v1/article.pb.h"

namespace dyad {

struct EnricherOptions {
  std::string themes_path;  // Empty: the data file themes.textproto.
  std::string eras_path;    // Empty: the data file eras.textproto.
};

// How much a mention counts, by where it is: the title says what an article is about more than
// its tenth paragraph does.
inline constexpr double kWeightTitle = 3.0;
inline constexpr double kWeightKeyPoints = 2.0;
inline constexpr double kWeightLead = 1.5;  // The first two paragraphs.
inline constexpr double kWeightBody = 1.0;

// Weight of a compound such as "Pak-Russia": it names the pair itself.
inline constexpr double kCompoundPairWeight = 3.0;
inline constexpr int kMaxDyads = 5;

class Enricher {
 public:
  // Loads country names, the theme taxonomy and the era catalogue. `analyzer` must outlive it.
  static StatusOr<std::unique_ptr<Enricher>> Load(const Analyzer& analyzer,
                                                  const EnricherOptions& options = {});

  // Thread-safe.
  v1::Enrichment Enrich(const v1::StoredArticle& article) const;

  const CountryRecognizer& countries() const { return countries_; }
  const ThemeMatcher& themes() const { return themes_; }
  const PeriodRecognizer& periods() const { return periods_; }
  const Analyzer& analyzer() const { return analyzer_; }

 private:
  Enricher(const Analyzer& analyzer, CountryRecognizer countries, ThemeMatcher themes,
           PeriodRecognizer periods)
      : analyzer_(analyzer),
        countries_(std::move(countries)),
        themes_(std::move(themes)),
        periods_(std::move(periods)) {}

  const Analyzer& analyzer_;
  CountryRecognizer countries_;
  ThemeMatcher themes_;
  PeriodRecognizer periods_;
};

// "pk", "RU" -> "PK-RU": the canonical dyad (codes upper-cased and sorted).
std::string DyadOf(std::string_view a, std::string_view b);

}  // namespace dyad

#endif  // DYAD_CORE_ENRICHER_H_
