// `dyad-index stats`: what an index holds, read without changing it.
#ifndef DYAD_INDEXER_INDEX_STATS_H_
#define DYAD_INDEXER_INDEX_STATS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace dyad {

struct IndexStats {
  std::uint64_t articles = 0;
  std::uint64_t bytes_on_disk = 0;   // Files of the published generation's database.
  std::uint64_t generation = 0;      // The published generation (indexer/index_folder.h).
  std::string schema_version;        // As recorded in the index; empty if none.
  std::uint64_t sources = 0;         // Distinct sources.
  std::uint64_t without_source = 0;  // Articles with no source.
  // The most frequent sources (lower case, as indexed) with their article counts, most first,
  // ties by name.
  std::vector<std::pair<std::string, std::uint64_t>> top_sources;

  // One-line JSON, for scripts.
  std::string ToJson() const;
  // A few aligned lines, for people.
  std::string ToText() const;
};

// NotFound when `path` holds no index; DataLoss when Xapian cannot read it.
StatusOr<IndexStats> ReadIndexStats(const std::string& path, std::size_t top_sources);

}  // namespace dyad

#endif  // DYAD_INDEXER_INDEX_STATS_H_
