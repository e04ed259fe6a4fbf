// `dyad-index build`: read a corpus and publish a new generation of an index folder.
//
// A build never modifies the published index (indexer/index_folder.h). It reads every input on
// the calling thread and hands each article to one of N shard workers, chosen by a hash of the
// article id (ShardOf), so an id always lands in the same shard. Each worker, with its own
// DocumentBuilder, checks the article against the published generation (same id, source path
// and content hash: unchanged, nothing to do), enriches and builds the new or changed ones and
// adds them to its shard database. Then the published database (copied first when articles
// must leave it: replaced or pruned) and the shards are merged with Xapian's compaction into
// the new generation's single database, which is published by renaming a stub file. A run
// that changes nothing writes nothing and publishes nothing.
#ifndef DYAD_INDEXER_BUILD_H_
#define DYAD_INDEXER_BUILD_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
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

struct BuildProgress {
  std::uint64_t articles = 0;     // Read so far.
  std::uint64_t bytes = 0;        // Size on disk of the input files read so far.
  std::uint64_t total_bytes = 0;  // Size on disk of all input files.
  bool merging = false;           // Reading is over; the shards are being merged.
};

// What a build does beyond BuildOptions (a separate struct so that BuildOptions{inputs, index}
// keeps compiling without warnings).
struct BuildExtras {
  ReadOptions read;  // Format override and JSON Lines field names.
  // After reading, delete the articles whose source file (Origin.path) no longer exists, among
  // those whose file lies under one of the inputs. Articles from elsewhere are never touched.
  bool prune = false;
  // Shards built concurrently, one thread each; 0 means one per core.
  unsigned shards = 0;
  // How a shard is written (indexer/shard_worker.h): articles per segment, and segments of one
  // level before they are compacted into one; 0 means the defaults (500 and 32). For tests.
  unsigned segment_articles = 0;
  unsigned max_segments = 0;
  // Called on the reading thread after each article, and when the build moves on to merging;
  // for progress displays. May be empty.
  std::function<void(const BuildProgress&)> progress;
};

struct BuildReport {
  ReadReport read;
  std::uint64_t added = 0;
  std::uint64_t replaced = 0;
  std::uint64_t unchanged = 0;
  std::uint64_t total = 0;              // Articles in the index afterwards.
  std::optional<std::uint64_t> pruned;  // Set when the build pruned (BuildExtras::prune).
  unsigned shards = 0;                  // Shards the build used.
  bool published = false;               // Whether this run published a new generation.
  std::uint64_t generation = 0;         // The published generation afterwards.

  // One-line JSON summary for scripts.
  std::string ToJson() const;
};

// Reads every input, enriches each new or changed article and publishes the result in the index
// folder options.index_path (created if needed). Problems with single articles are recorded in
// report->read.issues and do not fail the build; an error Status means the build could not do
// its job (no input, index folder not writable or locked by another build), and then nothing is
// published.
Status BuildIndex(const BuildOptions& options, const Enricher& enricher, BuildReport* report);
Status BuildIndex(const BuildOptions& options, const BuildExtras& extras, const Enricher& enricher,
                  BuildReport* report);

// The shard of an article: FNV-1a (64 bits) of its id modulo `shards`. Stable across runs and
// machines.
unsigned ShardOf(std::string_view id, unsigned shards);

}  // namespace dyad

#endif  // DYAD_INDEXER_BUILD_H_
