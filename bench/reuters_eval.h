// Scoring of country recognition against the PLACES labels of Reuters-21578, shared by
// bench/country_quality.cc and the test that keeps the quality floor.
//
// Each article's recognised country set (SalientCountries) is compared with its PLACES labels
// mapped to ISO codes by corpus/data/countries/reuters-places.tsv; true positives, false
// positives and false negatives are summed over the articles (micro averaging). Articles with no
// PLACES label are left out by default: README.txt of the collection explains that many stories
// were never indexed (briefs, TOPICS="BYPASS"), so an empty list is no evidence of "no country".
#ifndef DYAD_BENCH_REUTERS_EVAL_H_
#define DYAD_BENCH_REUTERS_EVAL_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/country_salience.h"
#include "core/status.h"
#include "dyad/v1/article.pb.h"

namespace dyad::bench {

struct SetScores {
  std::uint64_t articles = 0;
  std::uint64_t true_positives = 0;
  std::uint64_t false_positives = 0;
  std::uint64_t false_negatives = 0;
  double Precision() const;
  double Recall() const;
  double F1() const;
};

// PLACES name -> ISO code, from reuters-places.tsv.
StatusOr<std::map<std::string, std::string>> LoadReutersPlaces();

// Articles of reut2-FIRST.sgm .. reut2-LAST.sgm in `dir`; an error if a file cannot be read or
// has an error issue.
StatusOr<std::vector<v1::StoredArticle>> ReadReuters(const std::string& dir, int first, int last);

// The article's PLACES labels as ISO codes (unknown names are an error).
StatusOr<std::set<std::string>> GoldCountries(const v1::StoredArticle& article,
                                              const std::map<std::string, std::string>& places);

// Micro-averaged scores of SalientCountries over `articles`.
StatusOr<SetScores> ScoreArticles(const std::vector<v1::StoredArticle>& articles,
                                  const CountryRecognizer& recognizer,
                                  const std::map<std::string, std::string>& places,
                                  bool labelled_only = true, const SalienceWeights& weights = {});

}  // namespace dyad::bench

#endif  // DYAD_BENCH_REUTERS_EVAL_H_
