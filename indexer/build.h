// `dyad-index build`: read a corpus and write it into an index.
#ifndef DYAD_INDEXER_BUILD_H_
#define DYAD_INDEXER_BUILD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/analyzer.h"
#include "core/enricher.h"
#include "core/status.h"
#include "indexer/reader.h"

namespace dyad {

struct BuildOptions {
  std::vector<std::string> inputs;
  std::string index_path;
};

// What a build does beyond BuildOptions (a separate struct so that BuildOptions{inputs, index}
// keeps compiling without warnings).
struct BuildExtras {
  ReadOptions read;  // Format override and JSON Lines field names.
  // After reading, delete the articles whose source file (Origin.path) no longer exists, among
  // those whose file lies under one of the inputs. Articles from elsewhere are never touched.
  bool prune = false;
};

struct BuildReport {
  ReadReport read;
  std::uint64_t added = 0;
  std::uint64_t replaced = 0;
  std::uint64_t unchanged = 0;
  std::uint64_t total = 0;  // Articles in the index afterwards.
  std::optional<std::uint64_t> pruned;  // Set when the build pruned (BuildExtras::prune).

  // One-line JSON summary for scripts.
  std::string ToJson() const;
};

// Reads every input, enriches each new or changed article and writes it; commits once at the end. Problems with single
// articles are recorded in report->read.issues and do not fail the build; an error Status means
// the build could not do its job (no input, index not writable).
Status BuildIndex(const BuildOptions& options, const Enricher& enricher, BuildReport* report);
Status BuildIndex(const BuildOptions& options, const BuildExtras& extras, const Enricher& enricher,
                  BuildReport* report);

}  // namespace dyad

#endif  // DYAD_INDEXER_BUILD_H_
