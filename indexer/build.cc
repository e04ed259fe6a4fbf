#include "indexer/build.h"

#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <memory>
#include <thread>
#include <unordered_map>

#include "core/schema.h"
#include "indexer/document_builder.h"
#include "indexer/index_folder.h"
#include "indexer/shard_worker.h"

namespace dyad {

std::string BuildReport::ToJson() const {
  std::uint64_t warnings = 0;
  for (const ReadIssue& issue : read.issues) {
    if (issue.severity == ReadIssue::Severity::kWarning) ++warnings;
  }
  return "{\"files\":" + std::to_string(read.files) + ",\"read\":" + std::to_string(read.articles) +
         ",\"added\":" + std::to_string(added) + ",\"replaced\":" + std::to_string(replaced) +
         ",\"unchanged\":" + std::to_string(unchanged) +
         ",\"skipped\":" + std::to_string(read.skipped) +
         ",\"ignored_files\":" + std::to_string(read.ignored_files) +
         ",\"warnings\":" + std::to_string(warnings) +
         (pruned ? ",\"pruned\":" + std::to_string(*pruned) : std::string()) +
         ",\"total\":" + std::to_string(total) + ",\"shards\":" + std::to_string(shards) +
         ",\"published\":" + (published ? "true" : "false") +
         ",\"generation\":" + std::to_string(generation) + "}";
}

unsigned ShardOf(std::string_view id, unsigned shards) {
  std::uint64_t hash = 14695981039346656037ull;  // FNV-1a, 64 bits.
  for (unsigned char c : id) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return shards <= 1 ? 0 : static_cast<unsigned>(hash % shards);
}

namespace {

namespace fs = std::filesystem;

// Articles handed to a worker at once: amortises the queue's locking.
constexpr std::size_t kBatchSize = 32;

// Whether `path` is one of `inputs` or lies in a folder among them. Both sides are made absolute
// against the current directory and normalised, so "corpus/a.txt" is under "./corpus/".
bool IsUnderAny(const std::string& path, const std::vector<std::string>& inputs) {
  if (path.empty()) return false;
  const fs::path file = fs::absolute(path).lexically_normal();
  for (const std::string& input : inputs) {
    fs::path root = fs::absolute(input).lexically_normal();
    if (!root.has_filename()) root = root.parent_path();  // "corpus/" -> "corpus".
    const fs::path relative = file.lexically_relative(root);
    if (relative.empty()) continue;
    if (relative == "." || *relative.begin() != "..") return true;
  }
  return false;
}

// Total size of the files under the inputs (hidden ones left out, as the walk does): the
// denominator of the progress display.
std::uint64_t InputBytes(const std::vector<std::string>& inputs) {
  std::uint64_t total = 0;
  std::error_code ec;
  for (const std::string& input : inputs) {
    if (fs::is_regular_file(input, ec)) {
      total += fs::file_size(input, ec);
      continue;
    }
    for (auto it = fs::recursive_directory_iterator(
             input, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (!name.empty() && name.front() == '.') {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(ec)) total += it->file_size(ec);
    }
  }
  return total;
}

// Documents of `base` whose articles' source files are gone (BuildExtras::prune), among those
// not already leaving.
StatusOr<std::vector<Xapian::docid>> StaleDocuments(const std::string& base_path,
                                                    const std::vector<std::string>& inputs,
                                                    const std::vector<Xapian::docid>& leaving) {
  std::vector<Xapian::docid> stale;
  try {
    Xapian::Database base(base_path);
    for (auto it = base.postlist_begin(""); it != base.postlist_end(""); ++it) {
      if (std::binary_search(leaving.begin(), leaving.end(), *it)) continue;
      v1::StoredArticle stored;
      if (stored.ParseFromString(base.get_document(*it).get_data()) &&
          IsUnderAny(stored.origin().path(), inputs) && !fs::exists(stored.origin().path())) {
        stale.push_back(*it);
      }
    }
  } catch (const Xapian::Error& e) {
    return IoError("cannot read index " + base_path + ": " + e.get_description());
  }
  return stale;
}

Status CheckSchema(const std::string& path) {
  try {
    const Xapian::Database database(path);
    const std::string version = database.get_metadata(schema::kMetaSchemaVersion);
    const std::string expected = std::to_string(schema::kSchemaVersion);
    if (version != expected) {
      return FailedPrecondition(path + " holds a Dyad index of schema version '" + version +
                                "', this dyad-index writes version " + expected +
                                "; build into a new folder");
    }
    return Status::Ok();
  } catch (const Xapian::Error& e) {
    return IoError("cannot open index " + path + ": " + e.get_description());
  }
}

// The published database minus `leaving`, as a new database at `copy`: a file copy (the
// published one is never written), then the deletions.
Status CopyWithout(const std::string& published, const std::string& copy,
                   const std::vector<Xapian::docid>& leaving) {
  std::error_code ec;
  fs::copy(published, copy, fs::copy_options::recursive, ec);
  if (ec) return IoError("cannot copy " + published + " to " + copy + ": " + ec.message());
  try {
    // No fsync: the copy is only an input of the merge, whose output is flushed by Publish.
    Xapian::WritableDatabase database(copy, Xapian::DB_OPEN | Xapian::DB_NO_SYNC);
    for (Xapian::docid id : leaving) database.delete_document(id);
    database.commit();
    return Status::Ok();
  } catch (const Xapian::Error& e) {
    return IoError("cannot delete articles from " + copy + ": " + e.get_description());
  }
}

// Merges `sources` into one compact database at `output` and records the schema version and
// generation in it.
Status Merge(const std::vector<std::string>& sources, const std::string& output,
             std::uint64_t generation) {
  try {
    if (sources.empty()) {
      Xapian::WritableDatabase(output, Xapian::DB_CREATE).commit();
    } else {
      Xapian::Database all;
      for (const std::string& source : sources) all.add_database(Xapian::Database(source));
      all.compact(output, Xapian::Compactor::FULL);
    }
    Xapian::WritableDatabase merged(output, Xapian::DB_OPEN);
    merged.set_metadata(schema::kMetaSchemaVersion, std::to_string(schema::kSchemaVersion));
    merged.set_metadata(kMetaGeneration, std::to_string(generation));
    merged.commit();
    return Status::Ok();
  } catch (const Xapian::Error& e) {
    return IoError("cannot merge shards into " + output + ": " + e.get_description());
  }
}

}  // namespace

Status BuildIndex(const BuildOptions& options, const Enricher& enricher, BuildReport* report) {
  return BuildIndex(options, BuildExtras(), enricher, report);
}

Status BuildIndex(const BuildOptions& options, const BuildExtras& extras, const Enricher& enricher,
                  BuildReport* report) {
  if (options.inputs.empty()) return InvalidArgument("no input files or folders given");
  StatusOr<IndexFolder> folder = IndexFolder::Lock(options.index_path);
  if (!folder.ok()) return folder.status();
  if (StatusOr<int> removed = folder->RemoveUnpublished(); !removed.ok()) {
    return removed.status();
  }
  const std::optional<std::uint64_t> published = folder->published();
  const std::string base_path = published ? folder->DatabasePath(*published) : std::string();
  if (published) {
    if (Status s = CheckSchema(base_path); !s.ok()) return s;
  }
  // The new generation's folder is only created when something is written (ShardWorker, or the
  // merge below), so a run that changes nothing leaves the folder as it was.
  const std::uint64_t generation = folder->NextGeneration();
  const fs::path generation_dir = folder->GenerationPath(generation);
  // On any failure the unfinished generation goes; the published one was never touched.
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ignored;
      if (!dir.empty()) fs::remove_all(dir, ignored);
    }
  } cleanup{generation_dir};

  const unsigned shards =
      extras.shards > 0 ? extras.shards : std::max(1u, std::thread::hardware_concurrency());
  report->shards = shards;
  std::atomic<bool> failed = false;
  std::vector<std::unique_ptr<ShardWorker>> workers;
  for (unsigned i = 0; i < shards; ++i) {
    workers.push_back(std::make_unique<ShardWorker>(
        enricher, base_path, (generation_dir / ("shard-" + std::to_string(i))).string(), &failed,
        extras.segment_articles, extras.max_segments));
  }
  std::vector<std::vector<ShardWorker::Item>> batches(shards);

  // Where each id of this run came from, so a duplicate is reported instead of silently
  // replacing the earlier article. Paths are stored once.
  std::vector<std::string> paths;
  std::unordered_map<std::string, std::pair<std::uint32_t, std::uint32_t>> seen;
  BuildProgress progress;
  if (extras.progress) progress.total_bytes = InputBytes(options.inputs);
  const ArticleSink sink = [&](v1::StoredArticle&& article) -> Status {
    if (failed.load()) return Internal("a shard worker failed");  // Its status is returned below.
    if (paths.empty() || paths.back() != article.origin().path()) {
      paths.push_back(article.origin().path());
      std::error_code ec;
      if (extras.progress) progress.bytes += fs::file_size(paths.back(), ec);
    }
    auto [it, inserted] = seen.try_emplace(
        article.id(), static_cast<std::uint32_t>(paths.size() - 1), article.origin().line());
    if (!inserted) {
      report->read.issues.push_back(
          {ReadIssue::Severity::kWarning, article.origin().path(), article.origin().line(),
           "id '" + article.id() + "' was already used at " + paths[it->second.first] + ":" +
               std::to_string(it->second.second) + "; this article replaces it"});
    }
    const unsigned shard = ShardOf(article.id(), shards);
    batches[shard].push_back({std::move(article), !inserted});
    if (batches[shard].size() == kBatchSize) {
      workers[shard]->Push(std::move(batches[shard]));
      batches[shard].clear();
    }
    if (extras.progress) {
      ++progress.articles;
      extras.progress(progress);
    }
    return Status::Ok();
  };
  Status read = ReadCorpus(options.inputs, extras.read, sink, &report->read);
  for (unsigned i = 0; i < shards; ++i) {
    if (!batches[i].empty()) workers[i]->Push(std::move(batches[i]));
  }
  std::vector<Xapian::docid> leaving;
  bool wrote = false;
  Status work;
  for (auto& worker : workers) {
    Status s = worker->Finish();
    if (!s.ok() && work.ok()) work = s;
    report->added += worker->added();
    report->replaced += worker->replaced();
    report->unchanged += worker->unchanged();
    wrote |= worker->wrote();
    leaving.insert(leaving.end(), worker->replaced_in_base().begin(),
                   worker->replaced_in_base().end());
  }
  if (!work.ok()) return work;
  if (!read.ok()) return read;
  std::sort(leaving.begin(), leaving.end());
  leaving.erase(std::unique(leaving.begin(), leaving.end()), leaving.end());

  if (extras.prune) {
    std::uint64_t pruned = 0;
    if (published) {
      StatusOr<std::vector<Xapian::docid>> stale =
          StaleDocuments(base_path, options.inputs, leaving);
      if (!stale.ok()) return stale.status();
      pruned = stale->size();
      leaving.insert(leaving.end(), stale->begin(), stale->end());
      std::sort(leaving.begin(), leaving.end());
    }
    report->pruned = pruned;
  }

  if (published && !wrote && leaving.empty()) {  // Nothing changed: nothing to publish.
    try {
      report->total = Xapian::Database(base_path).get_doccount();
    } catch (const Xapian::Error& e) {
      return IoError("cannot read index " + base_path + ": " + e.get_description());
    }
    report->generation = *published;
    return Status::Ok();
  }

  if (extras.progress) {
    progress.merging = true;
    extras.progress(progress);
  }
  std::error_code ec;
  fs::create_directories(generation_dir, ec);
  if (ec) return IoError("cannot create " + generation_dir.string() + ": " + ec.message());
  std::vector<std::string> sources;
  if (published && !leaving.empty()) {
    const std::string copy = (generation_dir / "base").string();
    if (Status s = CopyWithout(base_path, copy, leaving); !s.ok()) return s;
    sources.push_back(copy);
  } else if (published) {
    sources.push_back(base_path);
  }
  for (auto& worker : workers) {
    for (std::string& segment : worker->segments()) sources.push_back(std::move(segment));
  }
  const std::string output = folder->DatabasePath(generation);
  if (Status s = Merge(sources, output, generation); !s.ok()) return s;
  for (const std::string& source : sources) {
    if (source != base_path) fs::remove_all(source, ec);
  }
  try {
    report->total = Xapian::Database(output).get_doccount();
  } catch (const Xapian::Error& e) {
    return IoError("cannot read index " + output + ": " + e.get_description());
  }
  if (Status s = folder->Publish(generation); !s.ok()) return s;
  cleanup.dir.clear();
  report->published = true;
  report->generation = generation;
  return Status::Ok();
}

}  // namespace dyad
