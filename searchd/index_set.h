// IndexSet: the Xapian database searchd serves, opened from an index path, and what to watch to
// notice that it changed.
//
// The path is one of
//   - a Dyad index directory (built by dyad-index), or a symbolic link to one;
//   - a Xapian stub file listing shards, one per line ('#' starts a comment):
//       auto PATH          a local index directory (relative paths are relative to the stub)
//       glass PATH         the same, naming the backend
//       remote HOST:PORT   a shard served by xapian-tcpsrv ("[::1]:PORT" for IPv6)
//     Xapian itself reads the same syntax, so a stub also works with delve and xapian-tcpsrv.
// Every shard must carry the schema version this build reads. Searching the set gives the
// same hits, scores and facet counts as one index holding all the shards' articles.
//
// Change detection is a stat() per watched path (the index path, following symlinks, and each
// local shard directory): a commit renames a new version file into the directory and an atomic
// publish replaces the stub file or the symlink, and either changes what stat() reports.
// Remote shards cannot be watched; reopen them with SIGHUP.
#ifndef DYAD_SEARCHD_INDEX_SET_H_
#define DYAD_SEARCHD_INDEX_SET_H_

#include <xapian.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace dyad {

struct IndexSetOptions {
  // Timeouts for remote shards.
  std::chrono::milliseconds remote_timeout{10000};
  std::chrono::milliseconds remote_connect_timeout{10000};
};

// What stat() said about the watched paths, in order; equal stamps mean "no change seen".
using IndexStamp = std::vector<std::int64_t>;

class IndexSet {
 public:
  // Opens `path` as above. NotFound when there is nothing at `path` or at a shard's path;
  // InvalidArgument for a stub line that cannot be read (with file and line); FailedPrecondition
  // for a shard of another schema version; Unavailable when a remote shard does not answer.
  static StatusOr<IndexSet> Open(const std::string& path, const IndexSetOptions& options = {});

  // The shards combined, for searching.
  const Xapian::Database& database() const { return database_; }
  Xapian::Database& database() { return database_; }

  std::size_t shard_count() const { return shards_.size(); }
  bool has_remote_shards() const { return has_remote_; }

  // Sum of the shards' revisions: changes whenever a shard commits (0 for remote shards, which
  // do not report one).
  std::uint64_t revision() const;

  // The current stamp of the paths this set watches (cheap: one stat() each), and the stamp
  // taken just before the shards were opened: when they differ, the index may have changed.
  IndexStamp Stamp() const;
  const IndexStamp& opened_stamp() const { return opened_stamp_; }

 private:
  IndexSet() = default;

  Xapian::Database database_;
  std::vector<Xapian::Database> shards_;
  std::vector<std::string> watched_;
  IndexStamp opened_stamp_;
  bool has_remote_ = false;
};

}  // namespace dyad

#endif  // DYAD_SEARCHD_INDEX_SET_H_
