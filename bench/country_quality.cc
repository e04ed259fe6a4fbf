// country_quality: how well Dyad's country recognition agrees with the PLACES labels of
// Reuters-21578, and what it costs per article.
//
//   build/bench/country_quality [--shared DIR] [--errors N] [--no-timing]
//
// Prints micro precision, recall and F1 of each article's salient country set (core/
// country_salience.h) against its PLACES labels, for the development split reut2-000..010 (the
// only one used for tuning) and the test split reut2-011..021, over labelled articles (see
// bench/reuters_eval.h) and over all articles. Then the cost per article of country salience
// (recognition included) next to the cost of building its Xapian document. --errors N prints N
// development articles whose set differs from the labels.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <string>

#include "bench/reuters_eval.h"
#include "core/analyzer.h"
#include "indexer/document_builder.h"

namespace {

using Clock = std::chrono::steady_clock;

void PrintScores(const char* label, const dyad::bench::SetScores& s) {
  std::printf("%-28s articles %6llu  P %.4f  R %.4f  F1 %.4f  (tp %llu fp %llu fn %llu)\n", label,
              static_cast<unsigned long long>(s.articles), s.Precision(), s.Recall(), s.F1(),
              static_cast<unsigned long long>(s.true_positives),
              static_cast<unsigned long long>(s.false_positives),
              static_cast<unsigned long long>(s.false_negatives));
}

// Grid search of the salience weights on the development split only.
int Tune(const std::vector<dyad::v1::StoredArticle>& dev, const dyad::CountryRecognizer& recognizer,
         const std::map<std::string, std::string>& places) {
  struct Item {
    std::vector<dyad::CountrySalience> features;
    std::set<std::string> gold;
  };
  std::vector<Item> items;
  for (const auto& article : dev) {
    auto gold = dyad::bench::GoldCountries(article, places);
    if (!gold.ok() || gold->empty()) continue;
    items.push_back({dyad::ScoreCountries(article, recognizer), *gold});
  }
  double best_f1 = 0;
  dyad::SalienceWeights best;
  dyad::SalienceWeights w;
  const double titles[] = {1.0, 1.5, 2.0, 2.5, 3.0};
  const double datelines[] = {0.5, 1.0, 1.5, 2.0, 2.5};
  const double leads[] = {0.5, 1.0, 1.5, 2.0};
  const double firsts[] = {0.3, 0.6, 1.0};
  const double mores[] = {0.2, 0.3, 0.4, 0.6};
  const double relatives[] = {0.0, 0.2, 0.3, 0.4};
  for (double title : titles)
    for (double dateline : datelines)
      for (double lead : leads)
        for (double first : firsts)
          for (double more : mores)
            for (double relative : relatives) {
              w.title = title;
              w.dateline = dateline;
              w.lead = lead;
              w.first_mention = first;
              w.more_mentions = more;
              w.relative = relative;
              dyad::bench::SetScores s;
              for (Item& item : items) {
                for (auto& f : item.features) f.score = dyad::SalienceScore(f, w);
                const auto codes = dyad::SelectSalient(item.features, w);
                for (const auto& code : codes) {
                  if (item.gold.contains(code)) {
                    ++s.true_positives;
                  } else {
                    ++s.false_positives;
                  }
                }
                s.false_negatives += item.gold.size();
                for (const auto& code : codes)
                  if (item.gold.contains(code)) --s.false_negatives;
              }
              if (s.F1() > best_f1) {
                best_f1 = s.F1();
                best = w;
                std::printf(
                    "dev F1 %.4f P %.4f R %.4f: title %.1f dateline %.1f lead %.1f first %.1f more "
                    "%.1f relative %.1f\n",
                    s.F1(), s.Precision(), s.Recall(), title, dateline, lead, first, more,
                    relative);
              }
            }
  return 0;
}

int Fail(const dyad::Status& status) {
  std::fprintf(stderr, "country_quality: %s\n", status.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string shared = DYAD_SHARED_DIR;
  int errors = 0;
  bool timing = true;
  bool tune = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--shared") == 0 && i + 1 < argc) {
      shared = argv[++i];
    } else if (std::strcmp(argv[i], "--errors") == 0 && i + 1 < argc) {
      errors = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--tune") == 0) {
      tune = true;
    } else if (std::strcmp(argv[i], "--no-timing") == 0) {
      timing = false;
    } else {
      std::fprintf(stderr,
                   "usage: country_quality [--shared DIR] [--errors N] [--tune] [--no-timing]\n");
      return 2;
    }
  }
  const std::string dir = shared + "/corpora/reuters21578";

  const auto load_start = Clock::now();
  auto recognizer = dyad::CountryRecognizer::Load();
  if (!recognizer.ok()) return Fail(recognizer.status());
  const double load_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - load_start).count();
  auto places = dyad::bench::LoadReutersPlaces();
  if (!places.ok()) return Fail(places.status());
  auto dev = dyad::bench::ReadReuters(dir, 0, 10);
  if (!dev.ok()) return Fail(dev.status());
  auto test = dyad::bench::ReadReuters(dir, 11, 21);
  if (!test.ok()) return Fail(test.status());
  std::printf("recogniser: %zu names, loaded in %.0f ms\n", recognizer->NameCount(), load_ms);

  if (tune) return Tune(*dev, *recognizer, *places);

  struct Run {
    const char* label;
    const std::vector<dyad::v1::StoredArticle>* articles;
    bool labelled_only;
  };
  for (const Run& run :
       {Run{"dev  (000-010, labelled)", &*dev, true}, Run{"test (011-021, labelled)", &*test, true},
        Run{"dev  (000-010, all)", &*dev, false}, Run{"test (011-021, all)", &*test, false}}) {
    auto scores =
        dyad::bench::ScoreArticles(*run.articles, *recognizer, *places, run.labelled_only);
    if (!scores.ok()) return Fail(scores.status());
    PrintScores(run.label, *scores);
  }

  for (const auto& article : *dev) {
    if (errors <= 0) break;
    auto gold = dyad::bench::GoldCountries(article, *places);
    if (!gold.ok() || gold->empty()) continue;
    const auto scored = dyad::ScoreCountries(article, *recognizer);
    std::set<std::string> predicted;
    for (const auto& code : dyad::SalientCountries(article, *recognizer)) predicted.insert(code);
    if (predicted == *gold) continue;
    --errors;
    std::string g, p;
    for (const auto& code : *gold) g += code + " ";
    for (const auto& s : scored) {
      char buffer[96];
      std::snprintf(buffer, sizeof buffer, "%s%s:%.1f[t%u d%d l%u m%u] ",
                    predicted.contains(s.code) ? "+" : "", s.code.c_str(), s.score,
                    s.title_mentions, s.dateline ? 1 : 0, s.lead_mentions, s.mentions);
      p += buffer;
    }
    // The text of each mention of a wrongly predicted or missed country, for tuning.
    std::string text = article.title() + "\n\n";
    for (const auto& section : article.sections()) {
      for (const auto& paragraph : section.paragraphs()) text += paragraph + "\n\n";
    }
    std::string wrong;
    for (const auto& m : recognizer->Find(text)) {
      if (predicted.contains(m.code) == gold->contains(m.code)) continue;
      wrong += m.code + "='" + text.substr(m.begin, m.end - m.begin) + "' ";
    }
    p += "| " + wrong;
    const auto dateline = article.metadata().find("dateline");
    std::printf("#%s gold: %s| got: %s| %s | %s\n", article.id().c_str(), g.c_str(), p.c_str(),
                dateline == article.metadata().end() ? "" : dateline->second.c_str(),
                article.title().c_str());
  }

  if (!timing) return 0;
  auto analyzer = dyad::Analyzer::Create();
  if (!analyzer.ok()) return Fail(analyzer.status());
  dyad::DocumentBuilder builder(*analyzer);
  std::vector<const dyad::v1::StoredArticle*> all;
  for (const auto& a : *dev) all.push_back(&a);
  for (const auto& a : *test) all.push_back(&a);
  std::size_t sink = 0;
  const auto salience_start = Clock::now();
  for (const auto* a : all) sink += dyad::ScoreCountries(*a, *recognizer).size();
  const double salience_s = std::chrono::duration<double>(Clock::now() - salience_start).count();
  const auto build_start = Clock::now();
  for (const auto* a : all) sink += builder.Build(*a).termlist_count();
  const double build_s = std::chrono::duration<double>(Clock::now() - build_start).count();
  const double n = static_cast<double>(all.size());
  std::printf(
      "per article (%zu articles): country salience %.1f us, document build %.1f us "
      "(salience adds %.0f%%)  [%zu]\n",
      all.size(), 1e6 * salience_s / n, 1e6 * build_s / n, 100 * salience_s / build_s, sink % 10);
  return 0;
}
