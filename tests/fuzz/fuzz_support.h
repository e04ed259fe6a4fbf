// Shared set-up for Dyad's libFuzzer targets: the knowledge files and, where a target needs one,
// a small index of the bundled seed article in a temporary folder, made once per process.
#ifndef DYAD_TESTS_FUZZ_FUZZ_SUPPORT_H_
#define DYAD_TESTS_FUZZ_FUZZ_SUPPORT_H_

#include <memory>
#include <string>

#include "core/analyzer.h"
#include "core/enricher.h"

namespace dyad::fuzz {

struct Knowledge {
  std::unique_ptr<Analyzer> analyzer;
  std::unique_ptr<Enricher> enricher;
  std::string index_path;  // Empty unless asked for.
};

// Loads the analyser and enricher (aborting with a message if the data files are missing) and,
// with `with_index`, builds an index of corpus/articles under $TMPDIR.
Knowledge& Load(bool with_index);

}  // namespace dyad::fuzz

#endif  // DYAD_TESTS_FUZZ_FUZZ_SUPPORT_H_
