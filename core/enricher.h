// Enrichment: what Dyad knows about an article beyond its words. Countries (core/countries.h),
// dyads, themes (core/themes.h), the discussed period, eras and decades (core/periods.h), from
// one pass over the article's fields. The indexer stores the result (StoredArticle.enrichment and
// the filter terms of core/schema.h); `dyad-index enrich` prints it.
#ifndef DYAD_CORE_ENRICHER_H_
#define DYAD_CORE_ENRICHER_H_

#include <memory>
#include <string>
#include <vector>

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

// The stems (Analyzer::Stems) of some fields of one article, worked out by the caller: the
// indexer's TermGenerator sees every word of the text it indexes, so Enrich need not tokenise that
// text a second time. A field is known by its address: the entries are valid for one article
// object, unchanged in between. Reused from article to article to keep the vectors' memory; not
// thread-safe (one per indexing thread).
class FieldStems {
 public:
  void Clear() { used_ = next_ = 0; }
  // An empty list for `field`'s stems, to fill.
  std::vector<std::string>& Add(const std::string* field);
  // The stems of `field` (by address), or null when not known.
  const std::vector<std::string>* Find(const std::string& field) const;

 private:
  std::vector<std::pair<const std::string*, std::vector<std::string>>> entries_;
  std::size_t used_ = 0;
  mutable std::size_t next_ = 0;  // Where the next Find starts: fields are asked for in order.
};

class Enricher {
 public:
  // Loads country names, the theme taxonomy and the era catalogue. `analyzer` must outlive it.
  static StatusOr<std::unique_ptr<Enricher>> Load(const Analyzer& analyzer,
                                                  const EnricherOptions& options = {});

  // Thread-safe. `known`: stems of some of `article`'s fields, or null; the result is the same.
  v1::Enrichment Enrich(const v1::StoredArticle& article, const FieldStems* known = nullptr) const;

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
