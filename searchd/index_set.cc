#include "searchd/index_set.h"

#include <sys/stat.h>

#include <charconv>
#include <filesystem>
#include <fstream>

#include "core/schema.h"

namespace dyad {
namespace {

namespace fs = std::filesystem;

struct ShardSpec {
  enum class Kind { kLocal, kRemote } kind;
  std::string path;  // Local.
  std::string host;  // Remote.
  unsigned port = 0;
  std::string where;  // "stub:LINE" for messages.
};

std::string Trim(std::string s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && space(s.back())) s.pop_back();
  std::size_t begin = 0;
  while (begin < s.size() && space(s[begin])) ++begin;
  return s.substr(begin);
}

StatusOr<std::vector<ShardSpec>> ReadStub(const std::string& stub) {
  std::ifstream in(stub);
  if (!in) return NotFound("cannot read stub file " + stub);
  std::vector<ShardSpec> shards;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    line = Trim(line);
    if (line.empty() || line[0] == '#') continue;
    const std::string where = stub + ":" + std::to_string(number);
    const std::size_t space = line.find(' ');
    const std::string type = line.substr(0, space);
    const std::string rest = space == std::string::npos ? "" : Trim(line.substr(space + 1));
    if ((type == "auto" || type == "glass") && !rest.empty()) {
      fs::path path(rest);
      if (path.is_relative()) path = fs::path(stub).parent_path() / path;
      shards.push_back({ShardSpec::Kind::kLocal, path.string(), "", 0, where});
    } else if (type == "remote" && !rest.empty() && rest[0] != ':') {
      const std::size_t colon = rest.rfind(':');
      unsigned port = 0;
      const char* digits = rest.data() + (colon == std::string::npos ? 0 : colon + 1);
      const auto [end, error] = std::from_chars(digits, rest.data() + rest.size(), port);
      if (colon == std::string::npos || colon == 0 || error != std::errc() ||
          end != rest.data() + rest.size() || port == 0 || port > 65535) {
        return InvalidArgument(where + ": 'remote " + rest +
                               "' needs HOST:PORT of a xapian-tcpsrv, e.g. remote 10.0.0.2:7800");
      }
      std::string host = rest.substr(0, colon);
      if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
      }
      shards.push_back({ShardSpec::Kind::kRemote, "", host, port, where});
    } else {
      return InvalidArgument(where + ": cannot read '" + line +
                             "'; a stub line is 'auto PATH', 'glass PATH' or 'remote HOST:PORT'");
    }
  }
  if (shards.empty()) return InvalidArgument(stub + ": the stub file lists no shards");
  return shards;
}

Status CheckSchema(const Xapian::Database& shard, const std::string& name) {
  const std::string version = shard.get_metadata(schema::kMetaSchemaVersion);
  if (version != std::to_string(schema::kSchemaVersion)) {
    return FailedPrecondition(name + " is not a Dyad index of schema version " +
                              std::to_string(schema::kSchemaVersion) + " (found '" + version +
                              "'); rebuild it with this version's dyad-index");
  }
  return Status::Ok();
}

}  // namespace

StatusOr<IndexSet> IndexSet::Open(const std::string& path, const IndexSetOptions& options) {
  IndexSet set;
  std::vector<ShardSpec> specs;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (fs::is_regular_file(status)) {
    StatusOr<std::vector<ShardSpec>> stub = ReadStub(path);
    if (!stub.ok()) return stub.status();
    specs = std::move(*stub);
    set.watched_.push_back(path);
  } else {
    // A directory, or nothing: Xapian says which.
    specs.push_back({ShardSpec::Kind::kLocal, path, "", 0, path});
  }
  for (const ShardSpec& spec : specs) {
    if (spec.kind == ShardSpec::Kind::kLocal) set.watched_.push_back(spec.path);
  }
  set.opened_stamp_ = set.Stamp();

  for (const ShardSpec& spec : specs) {
    const std::string name = spec.kind == ShardSpec::Kind::kLocal
                                 ? spec.path
                                 : "remote shard " + spec.host + ":" + std::to_string(spec.port);
    const std::string from = spec.where == spec.path ? "" : " (" + spec.where + ")";
    try {
      Xapian::Database shard;
      if (spec.kind == ShardSpec::Kind::kLocal) {
        shard = Xapian::Database(spec.path);
      } else {
        shard = Xapian::Remote::open(
            spec.host, spec.port, static_cast<useconds_t>(options.remote_timeout.count()),
            static_cast<useconds_t>(options.remote_connect_timeout.count()));
        set.has_remote_ = true;
      }
      if (Status s = CheckSchema(shard, name + from); !s.ok()) return s;
      set.database_.add_database(shard);
      set.shards_.push_back(std::move(shard));
    } catch (const Xapian::DatabaseNotFoundError& e) {
      return NotFound("no index at " + spec.path + from + " (" + e.get_msg() +
                      "); build one with dyad-index build INPUT --index " + spec.path);
    } catch (const Xapian::Error& e) {
      return Unavailable("cannot open " + name + from + ": " + e.get_description());
    }
  }
  return set;
}

std::uint64_t IndexSet::revision() const {
  std::uint64_t sum = 0;
  for (const Xapian::Database& shard : shards_) {
    try {
      sum += shard.get_revision();
    } catch (const Xapian::Error&) {
      // Remote shards do not report a revision.
    }
  }
  return sum;
}

IndexStamp IndexSet::Stamp() const {
  IndexStamp stamp;
  stamp.reserve(watched_.size() * 4);
  for (const std::string& path : watched_) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      stamp.insert(stamp.end(), {-1, -1, -1, -1});
      continue;
    }
    stamp.push_back(static_cast<std::int64_t>(st.st_dev));
    stamp.push_back(static_cast<std::int64_t>(st.st_ino));
    stamp.push_back(static_cast<std::int64_t>(st.st_mtim.tv_sec));
    stamp.push_back(static_cast<std::int64_t>(st.st_mtim.tv_nsec));
  }
  return stamp;
}

}  // namespace dyad
