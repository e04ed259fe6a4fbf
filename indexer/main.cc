// dyad-index: builds a Dyad index from a corpus.
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include <google/protobuf/util/json_util.h>

#include "core/analyzer.h"
#include "core/enricher.h"
#include "indexer/build.h"

namespace {

constexpr char kUsage[] = R"(Usage: dyad-index build INPUT... --index DIR [--quiet] [KNOWLEDGE]
       dyad-index enrich INPUT... [KNOWLEDGE]

build   Reads articles from files and folders (walked recursively), enriches them and adds them
        to the index in DIR, creating it if needed. Articles are identified by their id; an
        article read again replaces the stored one, and an unchanged article is left alone.
enrich  Prints what enrichment finds in each article, one JSON object per line: id, title,
        published, countries (ISO codes, mentions, salience), dyads (pair, weight), themes
        (id, score), period (from, to), eras, decades. Writes no index.

KNOWLEDGE options (defaults: the data files themes.textproto and eras.textproto):
  --themes FILE   theme taxonomy (dyad.v1.ThemeTaxonomy, Protobuf text format)
  --eras FILE     era catalogue (dyad.v1.EraCatalog, Protobuf text format)

Formats, by extension:
  .txt .md .text .markdown   the seed's plain-text shape, optional '---' front matter
  .jsonl .ndjson             one JSON article per line
  .sgm .sgml                 Reuters-21578 SGML, one article per <REUTERS> record

Problems with single articles are printed as FILE:LINE: warning|error: MESSAGE; the article is
skipped and the rest is indexed. A one-line JSON summary goes to standard output.

Exit status: 0 when the build ran (even with skipped articles), 1 when it could not (no input,
index not writable), 2 for a usage error.

Examples:
  dyad-index build corpus/articles corpus/sotu --index build/index
  dyad-index enrich corpus/articles/pak-russia-relations.txt
)";

int Usage(const std::string& problem) {
  std::cerr << "dyad-index: " << problem << "\n\n" << kUsage;
  return 2;
}

}  // namespace

int Enrich(const std::vector<std::string>& inputs, const dyad::Enricher& enricher) {
  dyad::ReadReport report;
  google::protobuf::util::JsonPrintOptions json;
  json.preserve_proto_field_names = true;
  const dyad::Status status = dyad::ReadCorpus(
      inputs,
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

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return Usage("no command given");
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return 0;
  }
  const std::string command = args[0];
  if (command != "build" && command != "enrich") return Usage("unknown command '" + command + "'");

  dyad::BuildOptions options;
  dyad::EnricherOptions knowledge;
  bool quiet = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const auto value = [&](std::string* out) {
      if (i + 1 == args.size()) return false;
      *out = args[++i];
      return true;
    };
    if (args[i] == "--index") {
      if (!value(&options.index_path)) return Usage("--index needs a directory");
    } else if (args[i] == "--themes") {
      if (!value(&knowledge.themes_path)) return Usage("--themes needs a file");
    } else if (args[i] == "--eras") {
      if (!value(&knowledge.eras_path)) return Usage("--eras needs a file");
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
  if (command == "enrich") return Enrich(options.inputs, **enricher);

  dyad::BuildReport report;
  const dyad::Status status = dyad::BuildIndex(options, **enricher, &report);
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
