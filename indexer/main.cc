// dyad-index: builds a Dyad index from a corpus, and reports what an index holds.
#include <google/protobuf/util/json_util.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "core/analyzer.h"
#include "core/enricher.h"
#include "core/version.h"
#include "indexer/build.h"
#include "indexer/index_folder.h"
#include "indexer/index_stats.h"

namespace {

constexpr char kUsage[] = R"(Usage: dyad-index build INPUT... --index DIR [OPTIONS] [KNOWLEDGE]
  or:  dyad-index enrich INPUT... [--format NAME] [--jsonl-fields MAP] [KNOWLEDGE]
  or:  dyad-index stats --index DIR [--top N] [--json]
  or:  dyad-index rollback --index DIR
  or:  dyad-index --help | --version

Commands:
  build    Reads articles from files and folders (walked recursively), enriches them (countries,
           dyads, themes, period, eras: docs/enrichment.md) and publishes a new generation of the
           index folder DIR, creating it if needed (docs/indexing.md). Articles are identified by
           their id; an article read again replaces the stored one, and an unchanged article is
           left alone. The published index is never modified: the new generation appears at once
           (Xapian::Database(DIR) opens it), a run that changes nothing publishes nothing, and a
           build that is interrupted, even by kill -9, leaves the last published index intact.
  enrich   Prints what enrichment finds in each article, one JSON object per line: id, title,
           published, countries (ISO codes, mentions, salience, salient), dyads (pair, weight),
           themes (id, score), period (from, to), eras, decades. Writes no index.

KNOWLEDGE options (defaults: the data files themes.textproto and eras.textproto):
  --themes FILE        theme taxonomy (dyad.v1.ThemeTaxonomy, Protobuf text format)
  --eras FILE          era catalogue (dyad.v1.EraCatalog, Protobuf text format)

Formats (docs/formats.md), by extension, else by the first non-blank bytes of the file:
  text  .txt .md .text .markdown  the seed's plain-text shape, optional '---' front matter
  jsonl .jsonl .ndjson  '{'       one JSON article per line
  trec  .trec           '<DOC>'   TREC files: <DOC><DOCNO>id</DOCNO>...<TEXT>...</TEXT></DOC>
  smart                 '.I '     SMART records (.I id .T title .A author .W text), as CISI.ALL
  glasgow               '*TEXT'   Glasgow records (*TEXT 017 01/04/63 PAGE 020 ... *STOP),
                                  as the 1963 TIME collection
  sgml  .sgm .sgml      '<REUTERS' or '<!DOCTYPE lewis'   Reuters-21578
Any of them may be gzip-compressed (FILE.gz, or gzip magic bytes). In folders, files whose
format cannot be told are counted as ignored; a named file of unknown format is an error.

Options:
  --index DIR          the index to create or update (required)
  --format NAME        read every file as NAME (text, md, jsonl, trec, smart, glasgow, sgml),
                       whatever its extension or content; 'auto' (the default) detects
  --jsonl-fields MAP   JSON Lines field names, FIELD=NAME[,FIELD=NAME...], for example
                       id=doc_id,title=headline,body=text,published=date. Fields and their
                       default names: id=id title=title body=body published=published
                       authors=authors source=source url=url language=language
  --prune              after reading, delete the articles whose source file is gone, among
                       those whose file was under one of the INPUTs (their stored origin);
                       the summary then has a "pruned" count
  --shards N           build N shards concurrently, one thread each, then merge them
                       (default: one per core); --threads N is the same
  --quiet, -q          print errors only, not warnings, and no progress line

Problems with single articles are printed as FILE:LINE: warning|error: MESSAGE; the article is
skipped and the rest is indexed. When standard error is a terminal, a progress line shows
articles/s, MB/s and the time left. A one-line JSON summary goes to standard output: files,
read, added, replaced, unchanged, skipped, ignored_files, warnings, pruned (with --prune), total,
shards, published (whether a new generation was published) and generation.

`rollback` publishes the generation before the published one again (each build keeps it).

`stats` prints the number of articles, the published generation, its size on disk, the schema
version and the N (default 10) most frequent sources; --json prints it as one JSON line.

Exit status: 0 when the build ran (even with skipped articles), 1 when it could not (no input,
index not writable; for stats: no index), 2 for a usage error.

Examples:
  dyad-index build corpus/articles corpus/sotu --index build/index
  dyad-index enrich corpus/articles/pak-russia-relations.txt
  dyad-index build ../shared/corpora/cisi/CISI.ALL --index build/cisi
  dyad-index build feed.jsonl.gz --jsonl-fields id=doc_id,body=text --index build/feed
  dyad-index build corpus/articles --index build/index --prune
  dyad-index build ../shared/corpora/reuters21578/*.sgm --index build/reuters --shards 2
  dyad-index stats --index build/index
)";

int Usage(const std::string& problem) {
  std::cerr << "dyad-index: " << problem << "\n\n" << kUsage;
  return 2;
}

int Stats(const std::vector<std::string>& args) {
  std::string index;
  std::size_t top = 10;
  bool json = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--index") {
      if (++i == args.size()) return Usage("--index needs a directory");
      index = args[i];
    } else if (args[i] == "--top") {
      if (++i == args.size() || args[i].empty() ||
          args[i].find_first_not_of("0123456789") != std::string::npos || args[i].size() > 6) {
        return Usage("--top needs a number");
      }
      top = std::stoul(args[i]);
    } else if (args[i] == "--json") {
      json = true;
    } else {
      return Usage("unknown stats argument '" + args[i] + "'");
    }
  }
  if (index.empty()) return Usage("--index DIR is required");
  const dyad::StatusOr<dyad::IndexStats> stats = dyad::ReadIndexStats(index, top);
  if (!stats.ok()) {
    std::cerr << "dyad-index: " << stats.status().message() << "\n";
    return 1;
  }
  std::cout << (json ? stats->ToJson() + "\n" : stats->ToText());
  return 0;
}

int Rollback(const std::vector<std::string>& args) {
  if (args.size() != 3 || args[1] != "--index") return Usage("rollback needs --index DIR");
  dyad::StatusOr<dyad::IndexFolder> folder = dyad::IndexFolder::Lock(args[2]);
  if (!folder.ok()) {
    std::cerr << "dyad-index: " << folder.status().message() << "\n";
    return 1;
  }
  const dyad::StatusOr<std::uint64_t> generation = folder->Rollback();
  if (!generation.ok()) {
    std::cerr << "dyad-index: " << generation.status().message() << "\n";
    return 1;
  }
  std::cout << "{\"generation\":" << *generation << "}\n";
  return 0;
}

// A progress line on standard error, rewritten in place at most a few times a second.
class TerminalProgress {
 public:
  void operator()(const dyad::BuildProgress& progress) {
    const auto now = Clock::now();
    if (!progress.merging && now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    if (seconds <= 0) return;
    const double rate = static_cast<double>(progress.bytes) / seconds;
    char eta[32] = "";
    if (progress.merging) {
      std::snprintf(eta, sizeof eta, "merging shards");
    } else if (rate > 0 && progress.total_bytes >= progress.bytes) {
      const auto left =
          static_cast<long>(static_cast<double>(progress.total_bytes - progress.bytes) / rate);
      std::snprintf(eta, sizeof eta, "ETA %ld:%02ld", left / 60, left % 60);
    }
    std::fprintf(stderr, "\r%llu articles  %.0f articles/s  %.1f MB/s  %3.0f%%  %s\x1b[K",
                 static_cast<unsigned long long>(progress.articles),
                 static_cast<double>(progress.articles) / seconds, rate / 1e6,
                 progress.total_bytes == 0 ? 100.0
                                           : 100.0 * static_cast<double>(progress.bytes) /
                                                 static_cast<double>(progress.total_bytes),
                 eta);
    shown_ = true;
  }
  // Clears the line before other output.
  void Clear() {
    if (shown_) std::fprintf(stderr, "\r\x1b[K");
    shown_ = false;
  }

 private:
  using Clock = std::chrono::steady_clock;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_ = start_;
  bool shown_ = false;
};

int Enrich(const std::vector<std::string>& inputs, const dyad::ReadOptions& read,
           const dyad::Enricher& enricher) {
  dyad::ReadReport report;
  google::protobuf::util::JsonPrintOptions json;
  json.preserve_proto_field_names = true;
  const dyad::Status status = dyad::ReadCorpus(
      inputs, read,
      [&](dyad::v1::StoredArticle&& article) {
        const dyad::v1::Enrichment e = enricher.Enrich(article);
        dyad::v1::EnrichmentRecord record;
        record.set_id(article.id());
        record.set_title(article.title());
        record.set_published(article.published());
        *record.mutable_countries() = e.countries();
        *record.mutable_dyads() = e.dyads();
        *record.mutable_themes() = e.themes();
        *record.mutable_period() = e.period();
        *record.mutable_eras() = e.eras();
        *record.mutable_decades() = e.decades();
        std::string line;
        (void)google::protobuf::util::MessageToJsonString(record, &line, json);
        std::cout << line << "\n";
        return dyad::Status::Ok();
      },
      &report);
  for (const dyad::ReadIssue& issue : report.issues) std::cerr << issue.ToString() << "\n";
  if (!status.ok()) {
    std::cerr << "dyad-index: " << status.message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return Usage("no command given");
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (args[0] == "--version") {
    std::cout << "dyad-index (Dyad) " << dyad::Version() << "\n";
    return 0;
  }
  if (args[0] == "stats") return Stats(args);
  if (args[0] == "rollback") return Rollback(args);
  const std::string command = args[0];
  if (command != "build" && command != "enrich") return Usage("unknown command '" + command + "'");

  dyad::BuildOptions options;
  dyad::BuildExtras extras;
  dyad::EnricherOptions knowledge;
  bool quiet = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--index") {
      if (++i == args.size()) return Usage("--index needs a directory");
      options.index_path = args[i];
    } else if (args[i] == "--format") {
      if (++i == args.size()) return Usage("--format needs a format name");
      const std::optional<dyad::CorpusFormat> format = dyad::ParseCorpusFormat(args[i]);
      if (!format) {
        return Usage("unknown format '" + args[i] +
                     "' (known: auto, text, md, jsonl, trec, smart, glasgow, sgml)");
      }
      extras.read.format = *format;
    } else if (args[i] == "--jsonl-fields") {
      if (++i == args.size()) return Usage("--jsonl-fields needs FIELD=NAME[,FIELD=NAME...]");
      dyad::StatusOr<dyad::JsonLinesFields> fields = dyad::ParseJsonLinesFields(args[i]);
      if (!fields.ok()) return Usage(fields.status().message());
      extras.read.jsonl_fields = *fields;
    } else if (args[i] == "--themes") {
      if (++i == args.size()) return Usage("--themes needs a file");
      knowledge.themes_path = args[i];
    } else if (args[i] == "--eras") {
      if (++i == args.size()) return Usage("--eras needs a file");
      knowledge.eras_path = args[i];
    } else if (args[i] == "--prune") {
      extras.prune = true;
    } else if (args[i] == "--shards" || args[i] == "--threads") {
      if (++i == args.size() || args[i].empty() || args[i].size() > 3 ||
          args[i].find_first_not_of("0123456789") != std::string::npos || args[i] == "0" ||
          std::stoul(args[i]) > 256) {
        return Usage(args[i - 1] + " needs a number from 1 to 256");
      }
      extras.shards = static_cast<unsigned>(std::stoul(args[i]));
    } else if (args[i] == "--quiet" || args[i] == "-q") {
      quiet = true;
    } else if (args[i] == "--help" || args[i] == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (args[i].starts_with("--")) {
      return Usage("unknown option '" + args[i] + "'");
    } else {
      options.inputs.push_back(args[i]);
    }
  }
  if (command == "build" && options.index_path.empty()) return Usage("--index DIR is required");
  if (options.inputs.empty()) return Usage("no INPUT given");

  dyad::StatusOr<dyad::Analyzer> analyzer = dyad::Analyzer::Create();
  if (!analyzer.ok()) {
    std::cerr << "dyad-index: " << analyzer.status().message() << "\n";
    return 1;
  }
  auto enricher = dyad::Enricher::Load(*analyzer, knowledge);
  if (!enricher.ok()) {
    std::cerr << "dyad-index: " << enricher.status().message() << "\n";
    return 1;
  }
  if (command == "enrich") return Enrich(options.inputs, extras.read, **enricher);

  TerminalProgress progress;
  if (!quiet && isatty(STDERR_FILENO)) {
    extras.progress = [&](const dyad::BuildProgress& p) { progress(p); };
  }
  dyad::BuildReport report;
  const dyad::Status status = dyad::BuildIndex(options, extras, **enricher, &report);
  progress.Clear();
  for (const dyad::ReadIssue& issue : report.read.issues) {
    if (!quiet || issue.severity == dyad::ReadIssue::Severity::kError) {
      std::cerr << issue.ToString() << "\n";
    }
  }
  if (!status.ok()) {
    std::cerr << "dyad-index: " << status.message() << "\n";
    return 1;
  }
  std::cout << report.ToJson() << "\n";
  return 0;
}
