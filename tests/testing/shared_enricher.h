// The analyser and enricher of Dyad's bundled data (corpus/data), loaded once per test binary and
// shared by its tests: both are read-only once loaded, and loading them costs far more than most
// tests. A load failure ends the binary with the reason, as no test could run without them.
#ifndef DYAD_TESTS_TESTING_SHARED_ENRICHER_H_
#define DYAD_TESTS_TESTING_SHARED_ENRICHER_H_

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <utility>

#include "core/analyzer.h"
#include "core/enricher.h"

namespace dyad::testutil {

inline const Enricher& SharedEnricher() {
  static const Enricher* const enricher = [] {
    const auto die = [](const Status& status) {
      std::fprintf(stderr, "cannot load the enricher: %s\n", status.ToString().c_str());
      std::abort();
    };
    StatusOr<Analyzer> created = Analyzer::Create();
    if (!created.ok()) die(created.status());
    static const Analyzer analyzer(std::move(*created));  // The enricher keeps a reference.
    StatusOr<std::unique_ptr<Enricher>> loaded = Enricher::Load(analyzer);
    if (!loaded.ok()) die(loaded.status());
    return loaded->release();
  }();
  return *enricher;
}

}  // namespace dyad::testutil

#endif  // DYAD_TESTS_TESTING_SHARED_ENRICHER_H_
