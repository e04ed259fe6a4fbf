// xapian_floor: what Xapian alone costs to write a given index's documents, the way dyad-index
// writes them or the way scriptindex does: a lower bound ("the floor") for any indexer that
// produces those documents with Xapian, whatever its analysis costs.
//
//   build/bench/xapian_floor --index DIR [--mode segments|single] [--threads N]
//                            [--segment 500] [--max-segments 32] [--work DIR] [--repeat K]
//                            [--keep] [--build-documents]
//
// DIR is opened as searchd opens an index (Xapian::Database(DIR)): a folder published by
// `dyad-index build` (its XAPIANDB stub) or a plain database, e.g. scriptindex's. Before any
// timing, every document is copied into memory as a fresh Xapian::Document (terms with wdf,
// positions, values, data) and the spelling dictionary as (word, frequency) pairs; the source is
// then closed. The written index is left in --work DIR (default: a temporary folder) with --keep,
// else removed. Timed:
//
// - segments (dyad-index's way, indexer/shard_worker.cc and indexer/build.cc): N threads, each
//   taking the documents ShardOf(id, N) gives it, in docid order, into its own series of
//   segments: a fresh database (DB_CREATE | DB_NO_SYNC, schema version metadata) per --segment
//   documents filled with add_document and committed once, runs of --max-segments segments of
//   one level compacted into one. Then the final merge: all segments, shard by shard, compacted
//   with Compactor::FULL into one database, whose metadata is then set and committed (synced).
//   The spelling words go into a segment of their own, written by the first thread after its
//   documents (dyad-index has each worker add its own words to its last segment: the same
//   dictionary after the merge, but a separate segment lets its cost be told apart).
// - single (scriptindex's way, xapian-omega's scriptindex.cc): one thread, one WritableDatabase,
//   for each document a postlist lookup of its unique term then add_document, Xapian's automatic
//   flush every XAPIAN_FLUSH_THRESHOLD (default 10,000) documents, one commit at the end. Spelling
//   words, if the source has any, are added before that commit.
//
// The segments are written by indexer/segment_series.h, as ShardWorker writes them (ShardWorker
// itself builds and enriches documents from StoredArticles, which this leaves out).
//
// --build-documents keeps each document as plain data instead (its terms, each term's wdf and
// positions, values, data) and times building the Xapian::Document from it too, in the "build"
// phase, before add_document: positional terms through add_posting in position order (as a
// TermGenerator adds them), the rest through one add_term each. That is the least any indexer that
// hands Xapian these documents through its public API must do besides analysing the text.
//
// Reported, for the timed part only: wall time, process CPU (getrusage) and each thread's CPU
// (CLOCK_THREAD_CPUTIME_ID) split into phases: adds (add_document and, in single mode, the unique
// term lookup), commits (creating, committing and closing segments, compacting runs of them; in
// single mode the automatic flushes and the final commit), spelling, final merge.
#include <sys/resource.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/schema.h"
#include "indexer/build.h"
#include "indexer/index_folder.h"
#include "indexer/segment_series.h"

namespace {

namespace fs = std::filesystem;

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// Thread CPU seconds of each phase.
struct Phases {
  double build = 0;  // --build-documents: making the Xapian::Documents.
  double adds = 0;
  double commits = 0;
  double spelling = 0;
  double merge = 0;
  double wall = 0;  // Of the thread's whole work.
  // The busiest thread's CPU (adds + commits + spelling): with a free core per thread, the
  // workers' wall time cannot be less.
  double busiest = 0;

  void Add(const Phases& other) {
    build += other.build;
    adds += other.adds;
    commits += other.commits;
    spelling += other.spelling;
    merge += other.merge;
    wall = std::max(wall, other.wall);
    busiest = std::max(busiest, other.build + other.adds + other.commits + other.spelling);
  }
};

// Accumulates the calling thread's CPU time into *into while alive.
class CpuTimer {
 public:
  explicit CpuTimer(double* into) : into_(into), start_(ThreadCpuSeconds()) {}
  ~CpuTimer() { *into_ += ThreadCpuSeconds() - start_; }
  CpuTimer(const CpuTimer&) = delete;
  CpuTimer& operator=(const CpuTimer&) = delete;

 private:
  double* into_;
  double start_;
};

// A document as plain data, for --build-documents.
struct PlainDocument {
  std::vector<std::string> terms;
  std::vector<Xapian::termcount> extra_wdf;  // Per term: wdf less its number of positions.
  std::vector<std::pair<Xapian::termpos, std::uint32_t>> postings;  // (position, term), sorted.
  std::vector<bool> positional;  // Per term: whether it has positions.
  std::vector<std::pair<Xapian::valueno, std::string>> values;
  std::string data;

  Xapian::Document Build() const {
    Xapian::Document document;
    for (const auto& [position, term] : postings) document.add_posting(terms[term], position);
    for (std::size_t i = 0; i < terms.size(); ++i) {
      if (extra_wdf[i] > 0 || !positional[i]) document.add_term(terms[i], extra_wdf[i]);
    }
    for (const auto& [slot, value] : values) document.add_value(slot, value);
    document.set_data(data);
    return document;
  }
};

struct Source {
  std::vector<Xapian::Document> documents;
  std::vector<PlainDocument> plain;       // --build-documents: instead of `documents`.
  std::vector<std::string> unique_terms;  // Per document; empty if it has none.
  std::vector<std::pair<std::string, Xapian::termcount>> spellings;
};

// Copies every document of `path` into memory, detached from the database: as Xapian::Documents,
// or with `plain` as PlainDocuments.
Source Materialise(const std::string& path, bool plain) {
  Source source;
  Xapian::Database db(path);
  const std::string prefix = dyad::schema::kPrefixId;
  source.documents.reserve(db.get_doccount());
  for (auto id = db.postlist_begin(""); id != db.postlist_end(""); ++id) {
    const Xapian::Document stored = db.get_document(*id);
    Xapian::Document copy;
    PlainDocument flat;
    std::string unique;
    for (auto term = stored.termlist_begin(); term != stored.termlist_end(); ++term) {
      const std::string name = *term;
      Xapian::termcount positions = 0;
      for (auto pos = term.positionlist_begin(); pos != term.positionlist_end(); ++pos) {
        copy.add_posting(name, *pos, 0);
        flat.postings.emplace_back(*pos, static_cast<std::uint32_t>(flat.terms.size()));
        ++positions;
      }
      copy.add_term(name, term.get_wdf());
      flat.terms.push_back(name);
      flat.extra_wdf.push_back(term.get_wdf() > positions ? term.get_wdf() - positions : 0);
      flat.positional.push_back(positions > 0);
      if (unique.empty() && name.size() > prefix.size() && name.starts_with(prefix)) unique = name;
    }
    for (auto value = stored.values_begin(); value != stored.values_end(); ++value) {
      copy.add_value(value.get_valueno(), *value);
      flat.values.emplace_back(value.get_valueno(), *value);
    }
    copy.set_data(stored.get_data());
    flat.data = stored.get_data();
    if (plain) {
      std::sort(flat.postings.begin(), flat.postings.end());
      source.plain.push_back(std::move(flat));
      source.documents.emplace_back();
    } else {
      source.documents.push_back(std::move(copy));
    }
    source.unique_terms.push_back(std::move(unique));
  }
  for (auto word = db.spellings_begin(); word != db.spellings_end(); ++word) {
    source.spellings.emplace_back(*word, word.get_termfreq());
  }
  return source;
}

// One shard's segments, written as ShardWorker writes them (indexer/segment_series.h).
class SegmentWriter {
 public:
  SegmentWriter(std::string shard_path, std::size_t segment_articles, std::size_t max_segments)
      : segment_articles_(segment_articles), series_(std::move(shard_path), max_segments) {}

  // Writes `documents` (indexes into `all`) and, if given, the spelling words; then finishes the
  // series, as ShardWorker::Run does.
  Phases Write(const Source& source, const std::vector<std::size_t>& documents,
               const std::vector<std::pair<std::string, Xapian::termcount>>* spellings) {
    const std::vector<Xapian::Document>& all = source.documents;
    Phases phases;
    const auto start = Clock::now();
    for (std::size_t i = 0; i < documents.size(); i += segment_articles_) {
      const std::size_t end = std::min(documents.size(), i + segment_articles_);
      Xapian::WritableDatabase* shard = nullptr;
      {
        CpuTimer timer(&phases.commits);
        shard = &series_.Open();
      }
      if (source.plain.empty()) {
        CpuTimer timer(&phases.adds);
        for (std::size_t j = i; j < end; ++j) shard->add_document(all[documents[j]]);
      } else {
        for (std::size_t j = i; j < end; ++j) {
          Xapian::Document document;
          {
            CpuTimer timer(&phases.build);
            document = source.plain[documents[j]].Build();
          }
          CpuTimer timer(&phases.adds);
          shard->add_document(document);
        }
      }
      CpuTimer timer(&phases.commits);
      series_.Close();
    }
    if (spellings != nullptr && !spellings->empty()) {
      CpuTimer timer(&phases.spelling);
      Xapian::WritableDatabase& shard = series_.Open();
      for (const auto& [word, frequency] : *spellings) shard.add_spelling(word, frequency);
      series_.Close();
    }
    {
      CpuTimer timer(&phases.commits);
      series_.Finish();
    }
    phases.wall = Seconds(start);
    return phases;
  }

  std::vector<std::string> segments() const { return series_.paths(); }

 private:
  const std::size_t segment_articles_;
  dyad::SegmentSeries series_;
};

// The segments mode; returns the per-thread phases summed (merge on the calling thread).
Phases RunSegments(const Source& source, unsigned threads, std::size_t segment_articles,
                   std::size_t max_segments, const fs::path& work, const std::string& output) {
  std::vector<std::vector<std::size_t>> shard_documents(threads);
  for (std::size_t i = 0; i < source.documents.size(); ++i) {
    const std::string& unique = source.unique_terms[i];
    const std::string_view id =
        std::string_view(unique).substr(unique.empty() ? 0 : std::strlen(dyad::schema::kPrefixId));
    shard_documents[dyad::ShardOf(id, threads)].push_back(i);
  }
  std::vector<SegmentWriter> writers;
  for (unsigned t = 0; t < threads; ++t) {
    writers.emplace_back((work / ("shard-" + std::to_string(t))).string(), segment_articles,
                         max_segments);
  }
  std::vector<Phases> phases(threads);
  std::vector<std::string> errors(threads);
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      try {
        phases[t] =
            writers[t].Write(source, shard_documents[t], t == 0 ? &source.spellings : nullptr);
      } catch (const Xapian::Error& e) {
        errors[t] = e.get_description();
      } catch (const std::exception& e) {  // std::filesystem, from the compactions.
        errors[t] = e.what();
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  for (const std::string& error : errors) {
    if (!error.empty()) throw Xapian::DatabaseError("shard: " + error);
  }
  Phases total;
  for (const Phases& p : phases) total.Add(p);

  // indexer/build.cc's Merge.
  const auto start = Clock::now();
  {
    CpuTimer timer(&total.merge);
    Xapian::Database all;
    for (const SegmentWriter& writer : writers) {
      for (const std::string& segment : writer.segments()) {
        all.add_database(Xapian::Database(segment));
      }
    }
    all.compact(output, Xapian::Compactor::FULL);
    Xapian::WritableDatabase merged(output, Xapian::DB_OPEN);
    merged.set_metadata(dyad::schema::kMetaSchemaVersion,
                        std::to_string(dyad::schema::kSchemaVersion));
    merged.set_metadata(dyad::kMetaGeneration, "1");
    merged.commit();
  }
  std::printf(
      "  workers: wall %.2f s, busiest thread %.2f s CPU; final merge: wall %.2f s, CPU %.2f s; "
      "critical path (busiest worker + merge) %.2f s CPU\n",
      total.wall, total.busiest, Seconds(start), total.merge, total.busiest + total.merge);
  return total;
}

// What scriptindex does with a record that has a unique term: looks the term up, replaces the
// document holding it if any, adds a new one otherwise.
void AddOrReplace(Xapian::WritableDatabase& db, const Source& source, std::size_t i,
                  double* build) {
  Xapian::Document built;
  if (!source.plain.empty()) {
    CpuTimer timer(build);
    built = source.plain[i].Build();
  }
  const Xapian::Document& document = source.plain.empty() ? source.documents[i] : built;
  const std::string& unique = source.unique_terms[i];
  if (!unique.empty()) {
    if (Xapian::PostingIterator p = db.postlist_begin(unique); p != db.postlist_end(unique)) {
      db.replace_document(*p, document);
      return;
    }
  }
  db.add_document(document);
}

// The single mode (scriptindex).
Phases RunSingle(const Source& source, const std::string& output) {
  Phases phases;
  const auto start = Clock::now();
  // Xapian's (glass) automatic flush: when a document brings the count of uncommitted changes to
  // the threshold, within that add_document.
  std::size_t threshold = 10000;
  if (const char* env = std::getenv("XAPIAN_FLUSH_THRESHOLD"); env != nullptr) {
    if (const long n = std::atol(env); n > 0) threshold = static_cast<std::size_t>(n);
  }
  Xapian::WritableDatabase db;
  {
    CpuTimer timer(&phases.commits);
    db = Xapian::WritableDatabase(output, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_RETRY_LOCK);
  }
  const std::size_t n = source.documents.size();
  for (std::size_t i = 0; i < n;) {
    // Documents up to the next flush, then the one that flushes.
    const std::size_t flush_at = (i / threshold + 1) * threshold - 1;
    {
      CpuTimer timer(&phases.adds);
      for (; i < std::min(n, flush_at); ++i) AddOrReplace(db, source, i, &phases.build);
    }
    if (i < n) {
      CpuTimer timer(&phases.commits);
      AddOrReplace(db, source, i++, &phases.build);
    }
  }
  if (!source.spellings.empty()) {
    CpuTimer timer(&phases.spelling);
    for (const auto& [word, frequency] : source.spellings) db.add_spelling(word, frequency);
  }
  {
    CpuTimer timer(&phases.commits);
    db.commit();
    db.close();
  }
  phases.wall = Seconds(start);
  return phases;
}

std::uint64_t TreeBytes(const fs::path& path) {
  std::uint64_t bytes = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(path, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) bytes += it->file_size(ec);
  }
  return bytes;
}

int Usage() {
  std::fprintf(stderr,
               "usage: xapian_floor --index DIR [--mode segments|single] [--threads N]\n"
               "                    [--segment 500] [--max-segments 32] [--work DIR] "
               "[--repeat K] [--keep] [--build-documents]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string index;
  std::string mode = "segments";
  std::string work_arg;
  unsigned threads = 2;
  std::size_t segment_articles = 500;
  std::size_t max_segments = 32;
  int repeat = 1;
  bool keep = false;
  bool build_documents = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--keep" || arg == "--build-documents") {
      (arg == "--keep" ? keep : build_documents) = true;
      continue;
    }
    if (i + 1 >= argc) return Usage();
    const char* value = argv[++i];
    if (arg == "--index") {
      index = value;
    } else if (arg == "--mode") {
      mode = value;
    } else if (arg == "--threads") {
      threads = static_cast<unsigned>(std::atoi(value));
    } else if (arg == "--segment") {
      segment_articles = static_cast<std::size_t>(std::atol(value));
    } else if (arg == "--max-segments") {
      max_segments = static_cast<std::size_t>(std::atol(value));
    } else if (arg == "--work") {
      work_arg = value;
    } else if (arg == "--repeat") {
      repeat = std::atoi(value);
    } else {
      return Usage();
    }
  }
  if (index.empty() || (mode != "segments" && mode != "single") || threads < 1 ||
      segment_articles < 1 || max_segments < 2 || repeat < 1) {
    return Usage();
  }
  if (mode == "single") threads = 1;

  try {
    const auto load_start = Clock::now();
    const Source source = Materialise(index, build_documents);
    std::printf("%s: %zu documents, %zu spelling words, copied into memory in %.2f s (not timed)\n",
                index.c_str(), source.documents.size(), source.spellings.size(),
                Seconds(load_start));
    const fs::path work =
        work_arg.empty() ? fs::temp_directory_path() / ("xapian-floor-" + std::to_string(getpid()))
                         : fs::path(work_arg);
    std::printf("%-8s %7s %8s %7s %7s %7s %7s %8s %8s %8s %7s %9s\n", "mode", "threads", "articles",
                "wall_s", "cpu_s", "build_s", "adds_s", "commit_s", "spell_s", "merge_s", "ms/art",
                "index_MB");
    for (int r = 0; r < repeat; ++r) {
      fs::remove_all(work);
      fs::create_directories(work);
      const std::string output = (work / "index").string();
      const double cpu_start = ProcessCpuSeconds();
      const auto wall_start = Clock::now();
      const Phases phases = mode == "single" ? RunSingle(source, output)
                                             : RunSegments(source, threads, segment_articles,
                                                           max_segments, work, output);
      const double wall = Seconds(wall_start);
      const double cpu = ProcessCpuSeconds() - cpu_start;
      const double articles = static_cast<double>(source.documents.size());
      std::printf("%-8s %7u %8zu %7.2f %7.2f %7.2f %7.2f %8.2f %8.2f %8.2f %7.3f %9.1f\n",
                  mode.c_str(), threads, source.documents.size(), wall, cpu, phases.build,
                  phases.adds, phases.commits, phases.spelling, phases.merge,
                  articles > 0 ? cpu * 1000 / articles : 0.0,
                  static_cast<double>(TreeBytes(output)) / 1048576);
      std::fflush(stdout);
      if (!keep || r + 1 < repeat) fs::remove_all(work);
    }
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "xapian_floor: %s\n", e.get_description().c_str());
    return 1;
  } catch (const fs::filesystem_error& e) {
    std::fprintf(stderr, "xapian_floor: %s\n", e.what());
    return 1;
  }
  return 0;
}
