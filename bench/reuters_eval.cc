#include "bench/reuters_eval.h"

#include <cstdio>

#include "core/data_files.h"
#include "indexer/reader.h"

namespace dyad::bench {

double SetScores::Precision() const {
  const auto predicted = true_positives + false_positives;
  return predicted == 0 ? 0 : static_cast<double>(true_positives) / static_cast<double>(predicted);
}

double SetScores::Recall() const {
  const auto gold = true_positives + false_negatives;
  return gold == 0 ? 0 : static_cast<double>(true_positives) / static_cast<double>(gold);
}

double SetScores::F1() const {
  const double p = Precision(), r = Recall();
  return p + r == 0 ? 0 : 2 * p * r / (p + r);
}

StatusOr<std::map<std::string, std::string>> LoadReutersPlaces() {
  StatusOr<std::string> path = FindDataFile("countries/reuters-places.tsv");
  if (!path.ok()) return path.status();
  auto lines = ReadDataLines(*path);
  if (!lines.ok()) return lines.status();
  std::map<std::string, std::string> places;
  for (const std::string& line : *lines) {
    const std::size_t tab = line.find('\t');
    if (tab == std::string::npos) return InvalidArgument(*path + ": line without a tab: " + line);
    places[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return places;
}

StatusOr<std::vector<v1::StoredArticle>> ReadReuters(const std::string& dir, int first, int last) {
  std::vector<v1::StoredArticle> articles;
  for (int i = first; i <= last; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "/reut2-%03d.sgm", i);
    const std::string path = dir + name;
    StatusOr<std::string> content = ReadFileToString(path);
    if (!content.ok()) return content.status();
    std::vector<ReadIssue> issues;
    for (auto& article : ParseReutersSgml(*content, path, &issues)) {
      articles.push_back(std::move(article));
    }
    for (const ReadIssue& issue : issues) {
      if (issue.severity == ReadIssue::Severity::kError) return DataLoss(issue.ToString());
    }
  }
  return articles;
}

StatusOr<std::set<std::string>> GoldCountries(const v1::StoredArticle& article,
                                              const std::map<std::string, std::string>& places) {
  std::set<std::string> gold;
  const auto found = article.metadata().find("places");
  if (found == article.metadata().end() || found->second.empty()) return gold;
  std::string_view list = found->second;
  while (!list.empty()) {
    const std::size_t cut = list.find(';');
    const std::string name(list.substr(0, cut));
    list.remove_prefix(cut == std::string_view::npos ? list.size() : cut + 1);
    const auto code = places.find(name);
    if (code == places.end()) return InvalidArgument("PLACES name '" + name + "' is not mapped");
    gold.insert(code->second);
  }
  return gold;
}

StatusOr<SetScores> ScoreArticles(const std::vector<v1::StoredArticle>& articles,
                                  const CountryRecognizer& recognizer,
                                  const std::map<std::string, std::string>& places,
                                  bool labelled_only, const SalienceWeights& weights) {
  SetScores scores;
  for (const v1::StoredArticle& article : articles) {
    StatusOr<std::set<std::string>> gold = GoldCountries(article, places);
    if (!gold.ok()) return gold.status();
    if (labelled_only && gold->empty()) continue;
    ++scores.articles;
    std::set<std::string> predicted;
    for (std::string& code : SalientCountries(article, recognizer, weights)) {
      predicted.insert(std::move(code));
    }
    for (const std::string& code : predicted) {
      if (gold->contains(code)) {
        ++scores.true_positives;
      } else {
        ++scores.false_positives;
      }
    }
    for (const std::string& code : *gold) {
      if (!predicted.contains(code)) ++scores.false_negatives;
    }
  }
  return scores;
}

}  // namespace dyad::bench
