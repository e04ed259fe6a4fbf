#include "indexer/index_folder.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace dyad {
namespace {

namespace fs = std::filesystem;

constexpr char kStubName[] = "XAPIANDB";
constexpr char kStubTempName[] = "XAPIANDB.tmp";
constexpr char kLockName[] = "dyad-index.lock";
constexpr char kGenerationPrefix[] = "gen-";
constexpr char kDatabaseName[] = "index";

std::string GenerationName(std::uint64_t generation) {
  char name[32];
  std::snprintf(name, sizeof name, "%s%06llu", kGenerationPrefix,
                static_cast<unsigned long long>(generation));
  return name;
}

// "gen-000042" -> 42; nullopt for any other name.
std::optional<std::uint64_t> ParseGenerationName(std::string_view name) {
  const std::string_view prefix = kGenerationPrefix;
  if (!name.starts_with(prefix) || name.size() == prefix.size()) return std::nullopt;
  name.remove_prefix(prefix.size());
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), value);
  if (ec != std::errc() || end != name.data() + name.size()) return std::nullopt;
  return value;
}

std::string ErrnoText() { return std::strerror(errno); }

// fsync of a file or directory; directories need it for renames and new entries to be durable.
Status SyncPath(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
  if (fd < 0) return IoError("cannot open " + path.string() + ": " + ErrnoText());
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return IoError("cannot flush " + path.string() + " to disk: " + ErrnoText());
  return Status::Ok();
}

Status RemoveTree(const fs::path& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  if (ec) return IoError("cannot remove " + path.string() + ": " + ec.message());
  return Status::Ok();
}

}  // namespace

StatusOr<std::optional<std::uint64_t>> PublishedGeneration(const std::string& dir) {
  std::error_code ec;
  if (fs::exists(fs::path(dir) / "iamglass", ec) || fs::exists(fs::path(dir) / "iamchert", ec)) {
    return FailedPrecondition(
        dir +
        " holds a bare Xapian database (the layout of dyad-index before generations); "
        "move it away and build again into an empty folder");
  }
  const fs::path stub = fs::path(dir) / kStubName;
  if (!fs::exists(stub, ec)) return std::optional<std::uint64_t>();
  std::ifstream in(stub);
  if (!in) return IoError("cannot read " + stub.string());
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.front() == '#') continue;
    // "auto gen-000042/index"
    std::istringstream words(line);
    std::string backend, path;
    words >> backend >> path;
    const std::string suffix = std::string("/") + kDatabaseName;
    if (backend == "auto" && path.ends_with(suffix)) {
      if (auto generation = ParseGenerationName(path.substr(0, path.size() - suffix.size()))) {
        return std::optional<std::uint64_t>(*generation);
      }
    }
    break;
  }
  return FailedPrecondition(stub.string() +
                            " was not written by dyad-index (expected a line 'auto "
                            "gen-NNNNNN/index'); build into an empty folder");
}

StatusOr<IndexFolder> IndexFolder::Lock(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return IoError("cannot create index folder " + dir + ": " + ec.message());
  const std::string lock_path = (fs::path(dir) / kLockName).string();
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("cannot open " + lock_path + ": " + ErrnoText());
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const bool busy = errno == EWOULDBLOCK;
    const std::string why = ErrnoText();
    ::close(fd);
    if (busy) return Unavailable("another dyad-index is building " + dir + "; try again later");
    return IoError("cannot lock " + lock_path + ": " + why);
  }
  StatusOr<std::optional<std::uint64_t>> published = PublishedGeneration(dir);
  if (!published.ok()) {
    ::close(fd);
    return published.status();
  }
  return IndexFolder(dir, fd, *published);
}

IndexFolder::IndexFolder(IndexFolder&& other) noexcept
    : dir_(std::move(other.dir_)), lock_fd_(other.lock_fd_), published_(other.published_) {
  other.lock_fd_ = -1;
}

IndexFolder::~IndexFolder() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // Closing the descriptor releases the flock.
}

std::string IndexFolder::GenerationPath(std::uint64_t generation) const {
  return (fs::path(dir_) / GenerationName(generation)).string();
}

std::string IndexFolder::DatabasePath(std::uint64_t generation) const {
  return GenerationDatabasePath(dir_, generation);
}

std::string GenerationDatabasePath(const std::string& dir, std::uint64_t generation) {
  return (fs::path(dir) / GenerationName(generation) / kDatabaseName).string();
}

std::vector<std::uint64_t> IndexFolder::Generations() const {
  std::vector<std::uint64_t> generations;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir_, ec)) {
    if (auto generation = ParseGenerationName(entry.path().filename().string())) {
      generations.push_back(*generation);
    }
  }
  std::sort(generations.begin(), generations.end());
  return generations;
}

StatusOr<int> IndexFolder::RemoveUnpublished() {
  int removed = 0;
  for (std::uint64_t generation : Generations()) {
    if (published_ && generation <= *published_) continue;
    if (Status s = RemoveTree(GenerationPath(generation)); !s.ok()) return s;
    ++removed;
  }
  std::error_code ec;
  fs::remove(fs::path(dir_) / kStubTempName, ec);
  return removed;
}

std::uint64_t IndexFolder::NextGeneration() const {
  const std::vector<std::uint64_t> present = Generations();
  std::uint64_t next = published_.value_or(0) + 1;
  if (!present.empty()) next = std::max(next, present.back() + 1);
  return next;
}

Status IndexFolder::WriteStub(std::uint64_t generation) {
  const fs::path temp = fs::path(dir_) / kStubTempName;
  {
    std::ofstream out(temp, std::ios::trunc);
    out << "# Dyad index: the generation that dyad-index published last (Xapian stub file).\n"
        << "auto " << GenerationName(generation) << "/" << kDatabaseName << "\n";
    out.close();
    if (!out) return IoError("cannot write " + temp.string());
  }
  if (Status s = SyncPath(temp, false); !s.ok()) return s;
  std::error_code ec;
  fs::rename(temp, fs::path(dir_) / kStubName, ec);  // rename(2): atomic replacement.
  if (ec) return IoError("cannot publish " + temp.string() + ": " + ec.message());
  if (Status s = SyncPath(dir_, true); !s.ok()) return s;
  published_ = generation;
  return Status::Ok();
}

Status IndexFolder::Publish(std::uint64_t generation) {
  const fs::path database = DatabasePath(generation);
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(database, ec)) {
    if (!entry.is_regular_file()) continue;
    if (Status s = SyncPath(entry.path(), false); !s.ok()) return s;
  }
  if (ec) return IoError("cannot list " + database.string() + ": " + ec.message());
  if (Status s = SyncPath(database, true); !s.ok()) return s;
  if (Status s = SyncPath(GenerationPath(generation), true); !s.ok()) return s;
  if (Status s = WriteStub(generation); !s.ok()) return s;
  return RemoveOld();
}

Status IndexFolder::RemoveOld() {
  const std::vector<std::uint64_t> present = Generations();
  std::optional<std::uint64_t> previous;
  for (std::uint64_t generation : present) {
    if (generation < *published_) previous = generation;
  }
  for (std::uint64_t generation : present) {
    if (generation == *published_ || generation == previous) continue;
    if (generation > *published_) continue;  // A rolled-back generation: the next build's.
    if (Status s = RemoveTree(GenerationPath(generation)); !s.ok()) return s;
  }
  return Status::Ok();
}

StatusOr<std::uint64_t> IndexFolder::Rollback() {
  if (!published_) return FailedPrecondition(dir_ + " has no published index");
  std::optional<std::uint64_t> previous;
  for (std::uint64_t generation : Generations()) {
    std::error_code ec;
    if (generation < *published_ && fs::exists(DatabasePath(generation), ec)) {
      previous = generation;
    }
  }
  if (!previous) {
    return FailedPrecondition(dir_ + " keeps no generation before " + GenerationName(*published_) +
                              " to roll back to");
  }
  if (Status s = WriteStub(*previous); !s.ok()) return s;
  return *previous;
}

}  // namespace dyad
