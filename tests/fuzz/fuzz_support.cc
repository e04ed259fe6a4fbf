#include "tests/fuzz/fuzz_support.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <unistd.h>

#include "indexer/build.h"

namespace dyad::fuzz {

Knowledge& Load(bool with_index) {
  static Knowledge* knowledge = [] {
    auto* k = new Knowledge();
    auto analyzer = Analyzer::Create();
    if (!analyzer.ok()) {
      std::fprintf(stderr, "fuzz set-up: %s\n", analyzer.status().message().c_str());
      std::abort();
    }
    k->analyzer = std::make_unique<Analyzer>(std::move(*analyzer));
    auto enricher = Enricher::Load(*k->analyzer);
    if (!enricher.ok()) {
      std::fprintf(stderr, "fuzz set-up: %s\n", enricher.status().message().c_str());
      std::abort();
    }
    k->enricher = std::move(*enricher);
    return k;
  }();
  if (with_index && knowledge->index_path.empty()) {
    const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                      ("dyad-fuzz-index-" + std::to_string(getpid()));
    BuildReport report;
    const Status s = BuildIndex({{DYAD_SOURCE_DIR "/corpus/articles"}, dir.string()},
                                *knowledge->enricher, &report);
    if (!s.ok()) {
      std::fprintf(stderr, "fuzz set-up: %s\n", s.message().c_str());
      std::abort();
    }
    knowledge->index_path = dir.string();
    std::atexit([] { std::filesystem::remove_all(Load(false).index_path); });
  }
  return *knowledge;
}

}  // namespace dyad::fuzz
