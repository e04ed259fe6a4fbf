// The on-disk layout of a Dyad index folder, and its atomic publication.
//
//   DIR/XAPIANDB             The published pointer: a Xapian stub file of one line,
//                            "auto gen-000042/index", so that Xapian::Database(DIR) opens the
//                            published generation. It is only ever replaced by rename(2), so a
//                            reader sees either the old generation or the new one, never a mix.
//   DIR/gen-000042/index     The Xapian database of generation 42. Never modified once
//                            published: a build writes a new generation beside it.
//   DIR/gen-000043/...       A generation being built (shard and base databases, then index).
//                            Unpublished generations left by a killed build are removed by the
//                            next build.
//   DIR/dyad-index.lock      flock(2)ed by the one process building into DIR.
//
// After a publish, the published generation and the one before it (for `dyad-index rollback`)
// are kept; older ones are removed.
#ifndef DYAD_INDEXER_INDEX_FOLDER_H_
#define DYAD_INDEXER_INDEX_FOLDER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace dyad {

// Database metadata of a published generation's database: its generation number in decimal, so
// a reader (searchd) can tell which generation it has open.
inline constexpr char kMetaGeneration[] = "dyad.generation";

// The number of the generation that DIR/XAPIANDB publishes; nullopt when DIR has no published
// index (no folder, or no stub). FailedPrecondition when DIR holds something else: a stub not
// written by dyad-index, or a bare Xapian database (the layout of dyad-index before generations).
StatusOr<std::optional<std::uint64_t>> PublishedGeneration(const std::string& dir);

// DIR/gen-NNNNNN/index: the database of a generation.
std::string GenerationDatabasePath(const std::string& dir, std::uint64_t generation);

// A locked index folder: at most one IndexFolder exists for a folder at a time, across
// processes. Not thread-safe.
class IndexFolder {
 public:
  // Creates DIR if needed and takes its lock. Unavailable when another process holds it.
  static StatusOr<IndexFolder> Lock(const std::string& dir);

  IndexFolder(IndexFolder&& other) noexcept;
  IndexFolder& operator=(IndexFolder&&) = delete;
  ~IndexFolder();  // Releases the lock.

  const std::string& dir() const { return dir_; }
  std::optional<std::uint64_t> published() const { return published_; }

  // DIR/gen-NNNNNN and DIR/gen-NNNNNN/index.
  std::string GenerationPath(std::uint64_t generation) const;
  std::string DatabasePath(std::uint64_t generation) const;

  // Removes what a killed build left: generations newer than the published one, and a
  // half-written stub. Returns how many generations went.
  StatusOr<int> RemoveUnpublished();

  // The number for a new generation: one more than any present. Its folder is not created.
  std::uint64_t NextGeneration() const;

  // Makes DatabasePath(generation) (complete, committed) the published index: flushes its files
  // to disk, writes the stub beside the old one and renames it over. Then removes generations
  // other than the new one and the one published before it.
  Status Publish(std::uint64_t generation);

  // Publishes the generation before the published one again; FailedPrecondition if there is none.
  // Returns its number.
  StatusOr<std::uint64_t> Rollback();

  // The generation numbers present in DIR, ascending.
  std::vector<std::uint64_t> Generations() const;

 private:
  IndexFolder(std::string dir, int lock_fd, std::optional<std::uint64_t> published)
      : dir_(std::move(dir)), lock_fd_(lock_fd), published_(published) {}

  Status WriteStub(std::uint64_t generation);
  Status RemoveOld();

  std::string dir_;
  int lock_fd_ = -1;
  std::optional<std::uint64_t> published_;
};

}  // namespace dyad

#endif  // DYAD_INDEXER_INDEX_FOLDER_H_
