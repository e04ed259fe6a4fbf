// Theme recognition: scores an article against a theme taxonomy (dyad.v1.ThemeTaxonomy, by
// default corpus/data/themes.textproto) by counting cue phrases in its analysed text.
#ifndef DYAD_CORE_THEMES_H_
#define DYAD_CORE_THEMES_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/analyzer.h"
#include "core/phrase_matcher.h"
#include "core/status.h"
#include "dyad/v1/knowledge.pb.h"

namespace dyad {

// Reads a Protobuf text format file into `message`; InvalidArgument names the file and line.
Status ReadTextProto(const std::string& path, google::protobuf::Message* message);

class ThemeMatcher {
 public:
  // Loads the taxonomy at `path` (empty: the data file themes.textproto). InvalidArgument for a
  // file that does not parse, a theme without id or cues, or a repeated id.
  static StatusOr<ThemeMatcher> Load(const Analyzer& analyzer, const std::string& path = {});

  // Running totals for one article.
  struct Tally {
    std::vector<double> scores;  // Per theme, in taxonomy order.
    std::size_t words = 0;
  };
  Tally NewTally() const { return Tally{std::vector<double>(taxonomy_.themes_size(), 0.0), 0}; }

  // Adds the cue matches of one field's stems, each counted `field_weight` times.
  void Add(const std::vector<std::string>& stems, double field_weight, Tally* tally) const;

  // The themes whose score passes the taxonomy's thresholds, highest first.
  std::vector<v1::ThemeScore> Assign(const Tally& tally) const;

  const v1::ThemeTaxonomy& taxonomy() const { return taxonomy_; }
  bool Has(std::string_view id) const;

 private:
  v1::ThemeTaxonomy taxonomy_;
  PhraseMatcher matcher_;
};

}  // namespace dyad

#endif  // DYAD_CORE_THEMES_H_
