// enrichment_cost: what enrichment adds to indexing, measured on Reuters-21578.
//
//   build/bench/enrichment_cost [--shared DIR] [--files FIRST LAST]
//
// Reads reut2-FIRST..LAST (default 000..010, the development split) into memory, then indexes
// them twice into fresh on-disk Xapian databases with the same DocumentBuilder: once without
// enrichment and once with Enricher::Enrich before each document. Reading is not timed; building
// documents, enrichment and writing (with one final commit) are. Prints articles per second of
// both runs, their ratio, and the enrichment cost per article split into its parts.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include <unistd.h>

#include "bench/reuters_eval.h"
#include "core/country_salience.h"
#include "core/enricher.h"
#include "indexer/document_builder.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

double IndexAll(const std::vector<dyad::v1::StoredArticle>& articles, const dyad::Enricher& enricher,
                bool enrich, const std::string& path) {
  std::filesystem::remove_all(path);
  Xapian::WritableDatabase db(path, Xapian::DB_CREATE);
  dyad::DocumentBuilder builder(enricher.analyzer());
  const auto start = Clock::now();
  for (dyad::v1::StoredArticle article : articles) {
    if (enrich) *article.mutable_enrichment() = enricher.Enrich(article);
    db.replace_document(dyad::IdTerm(article.id()), builder.Build(article));
  }
  db.commit();
  const double seconds = Seconds(start);
  std::filesystem::remove_all(path);
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  std::string shared = DYAD_SHARED_DIR;
  int first = 0, last = 10;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--shared") == 0 && i + 1 < argc) {
      shared = argv[++i];
    } else if (std::strcmp(argv[i], "--files") == 0 && i + 2 < argc) {
      first = std::atoi(argv[++i]);
      last = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: enrichment_cost [--shared DIR] [--files FIRST LAST]\n");
      return 2;
    }
  }
  auto analyzer = dyad::Analyzer::Create();
  if (!analyzer.ok()) return std::fprintf(stderr, "%s\n", analyzer.status().message().c_str()), 1;
  const auto load_start = Clock::now();
  auto enricher = dyad::Enricher::Load(*analyzer);
  if (!enricher.ok()) return std::fprintf(stderr, "%s\n", enricher.status().message().c_str()), 1;
  const double load_seconds = Seconds(load_start);
  auto articles = dyad::bench::ReadReuters(shared + "/corpora/reuters21578", first, last);
  if (!articles.ok()) return std::fprintf(stderr, "%s\n", articles.status().message().c_str()), 1;
  const double n = static_cast<double>(articles->size());

  const std::string scratch =
      (std::filesystem::temp_directory_path() / ("dyad-enrichment-cost-" + std::to_string(getpid())))
          .string();
  const double plain = IndexAll(*articles, **enricher, false, scratch);
  const double enriched = IndexAll(*articles, **enricher, true, scratch);

  // Parts of enrichment, each over all articles.
  auto start = Clock::now();
  for (const auto& a : *articles) (void)dyad::ScoreCountries(a, (*enricher)->countries());
  const double countries = Seconds(start);
  start = Clock::now();
  for (const auto& a : *articles) (void)(*enricher)->Enrich(a);
  const double all = Seconds(start);

  std::printf("articles                  %.0f (reut2-%03d..%03d), knowledge loaded in %.0f ms\n", n,
              first, last, load_seconds * 1000);
  std::printf("index without enrichment  %.2f s  %.0f articles/s\n", plain, n / plain);
  std::printf("index with enrichment     %.2f s  %.0f articles/s\n", enriched, n / enriched);
  std::printf("throughput ratio          %.2f (with / without)\n", plain / enriched);
  std::printf("enrichment per article    %.1f us (country salience alone %.1f us)\n",
              all / n * 1e6, countries / n * 1e6);
  return 0;
}
