// analysis_cost: what dyad-index spends per article besides Xapian's writing, stage by stage, on
// one thread, for comparing with bench/xapian_floor (Xapian's part) and scriptindex.
//
//   build/bench/analysis_cost FILE_OR_DIR... [--passes K]
//
// Each stage runs over every article in memory, as ShardWorker::Process does them, and is timed
// with the thread's CPU clock (best of K passes, default 3):
//
// - read:    ReadCorpus on the inputs (reading files, parsing, content hash), into memory;
// - text:    DocumentBuilder::IndexText with the spelling counts and the enrichment's stems,
//            as in a build; also without them (text-plain), to tell their cost apart;
// - enrich:  Enricher::Enrich with the recorded stems;
// - finish:  DocumentBuilder::Finish (boolean terms, values, serialising the stored article);
// - build:   the three above in turn per article, as a worker does them (the sum, measured).
//
// Nothing is written to a database: what Xapian does with the documents is xapian_floor's.
#include <xapian.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "core/analyzer.h"
#include "core/enricher.h"
#include "indexer/document_builder.h"
#include "indexer/reader.h"

namespace {

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Best CPU seconds of `passes` runs of `pass`.
double Best(int passes, const std::function<void()>& pass) {
  double best = std::numeric_limits<double>::max();
  for (int p = 0; p < passes; ++p) {
    const double start = ThreadCpuSeconds();
    pass();
    best = std::min(best, ThreadCpuSeconds() - start);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> inputs;
  int passes = 3;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--passes") == 0 && i + 1 < argc) {
      passes = std::max(1, std::atoi(argv[++i]));
    } else if (argv[i][0] == '-') {
      std::fprintf(stderr, "usage: analysis_cost FILE_OR_DIR... [--passes K]\n");
      return 2;
    } else {
      inputs.emplace_back(argv[i]);
    }
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "usage: analysis_cost FILE_OR_DIR... [--passes K]\n");
    return 2;
  }
  auto analyzer = dyad::Analyzer::Create();
  if (!analyzer.ok()) return std::fprintf(stderr, "%s\n", analyzer.status().message().c_str()), 1;
  auto enricher = dyad::Enricher::Load(*analyzer);
  if (!enricher.ok()) return std::fprintf(stderr, "%s\n", enricher.status().message().c_str()), 1;

  std::vector<dyad::v1::StoredArticle> articles;
  const double read = Best(passes, [&] {
    articles.clear();
    dyad::ReadReport report;
    const dyad::Status s = dyad::ReadCorpus(
        inputs,
        [&](dyad::v1::StoredArticle&& a) {
          articles.push_back(std::move(a));
          return dyad::Status::Ok();
        },
        &report);
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.message().c_str());
      std::exit(1);
    }
  });
  const double n = static_cast<double>(articles.size());
  if (articles.empty()) return std::fprintf(stderr, "no articles\n"), 1;

  // Enrichment as a build fills it in, for Finish.
  std::vector<dyad::FieldStems> stems(articles.size());
  dyad::DocumentBuilder builder(enricher->get()->analyzer());
  builder.EnableSpelling();
  const double text = Best(passes, [&] {
    for (std::size_t i = 0; i < articles.size(); ++i) {
      builder.IndexText(articles[i], &stems[i]);  // Starts a new document each time.
    }
  });
  dyad::DocumentBuilder plain_builder(enricher->get()->analyzer());
  const double text_plain = Best(passes, [&] {
    for (const auto& article : articles) {
      plain_builder.IndexText(article);
    }
  });
  std::vector<dyad::v1::Enrichment> enrichments(articles.size());
  const double enrich = Best(passes, [&] {
    for (std::size_t i = 0; i < articles.size(); ++i) {
      enrichments[i] = (*enricher)->Enrich(articles[i], &stems[i]);
    }
  });
  for (std::size_t i = 0; i < articles.size(); ++i) {
    *articles[i].mutable_enrichment() = enrichments[i];
  }
  // Finish needs a started document, so each article's text is indexed first; only Finish is
  // timed.
  std::size_t data_bytes = 0;
  double finish = std::numeric_limits<double>::max();
  for (int p = 0; p < passes; ++p) {
    double seconds = 0;
    data_bytes = 0;
    for (const auto& article : articles) {
      plain_builder.IndexText(article);
      const double start = ThreadCpuSeconds();
      data_bytes += plain_builder.Finish(article).get_data().size();
      seconds += ThreadCpuSeconds() - start;
    }
    finish = std::min(finish, seconds);
  }
  dyad::DocumentBuilder worker_builder(enricher->get()->analyzer());
  worker_builder.EnableSpelling();
  dyad::FieldStems field_stems;
  const double all = Best(passes, [&] {
    for (dyad::v1::StoredArticle article : articles) {
      worker_builder.IndexText(article, &field_stems);
      *article.mutable_enrichment() = (*enricher)->Enrich(article, &field_stems);
      (void)worker_builder.Finish(article);
    }
  });

  std::printf("%.0f articles, best of %d passes, one thread, CPU\n", n, passes);
  std::printf("%-12s %9s %12s\n", "stage", "cpu_s", "us/article");
  const auto row = [&](const char* name, double seconds) {
    std::printf("%-12s %9.3f %12.1f\n", name, seconds, seconds / n * 1e6);
  };
  row("read", read);
  row("text", text);
  row("text-plain", text_plain);
  row("enrich", enrich);
  row("finish", finish);
  row("build", all);
  std::printf("stored article data: %.0f bytes per article\n", static_cast<double>(data_bytes) / n);
  return 0;
}
