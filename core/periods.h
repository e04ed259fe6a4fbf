// Period recognition: the years an article discusses (from years, decades and dates in its
// text), its decades, and the named eras of an era catalogue (dyad.v1.EraCatalog, by default
// corpus/data/eras.textproto).
#ifndef DYAD_CORE_PERIODS_H_
#define DYAD_CORE_PERIODS_H_

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/analyzer.h"
#include "core/phrase_matcher.h"
#include "core/status.h"
#include "dyad/v1/knowledge.pb.h"

namespace dyad {

// Years mentioned in `text`, in order. A year is a 4-digit number from 1500 to 2100 standing
// alone or inside a date ("1947", "26-FEB-1987", "1987/88"), not an amount ("$1990",
// "1,987", "2000 tonnes"); a decade ("the 1980s", "mid-1980s") gives its first and last year.
std::vector<int> YearsIn(std::string_view text);

class PeriodRecognizer {
 public:
  // Loads the era catalogue at `path` (empty: the data file eras.textproto).
  static StatusOr<PeriodRecognizer> Load(const Analyzer& analyzer, const std::string& path = {});

  struct Tally {
    std::map<int, int> years;    // Year -> mentions.
    std::set<int> named_eras;    // Indexes into the catalogue.
  };

  // Adds one field: years from its raw text, era names from its stems.
  void Add(std::string_view text, const std::vector<std::string>& stems, Tally* tally) const;

  // Sets period, eras and decades of `enrichment` from the tally and the publication date
  // ("YYYY[-MM[-DD]]" or empty). The period is the span of mentioned years, or the publication
  // year when no year is mentioned. An article is in an era when it names it; unless the era is
  // named_only, also when it was published in it or when at least two, and a quarter, of the
  // years it mentions fall inside it.
  void Finish(const Tally& tally, std::string_view published, v1::Enrichment* enrichment) const;

  const v1::EraCatalog& catalog() const { return catalog_; }
  bool HasEra(std::string_view id) const;

 private:
  v1::EraCatalog catalog_;
  PhraseMatcher names_;
};

}  // namespace dyad

#endif  // DYAD_CORE_PERIODS_H_
