// dyad-index: builds a Dyad index from a corpus.
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "core/analyzer.h"
#include "indexer/build.h"

namespace {

constexpr char kUsage[] = R"(Usage: dyad-index build INPUT... --index DIR [--quiet]

Reads articles from files and folders (walked recursively) and adds them to the index in DIR,
creating it if needed. Articles are identified by their id; an article read again replaces the
stored one, and an unchanged article is left alone.

Formats, by extension:
  .txt .md .text .markdown   the seed's plain-text shape, optional '---' front matter
  .jsonl .ndjson             one JSON article per line
  .sgm .sgml                 Reuters-21578 SGML, one article per <REUTERS> record

Problems with single articles are printed as FILE:LINE: warning|error: MESSAGE; the article is
skipped and the rest is indexed. A one-line JSON summary goes to standard output.

Exit status: 0 when the build ran (even with skipped articles), 1 when it could not (no input,
index not writable), 2 for a usage error.

Example:
  dyad-index build corpus/articles corpus/sotu --index build/index
)";

int Usage(const std::string& problem) {
  std::cerr << "dyad-index: " << problem << "\n\n" << kUsage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return Usage("no command given");
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (args[0] != "build") return Usage("unknown command '" + args[0] + "'");

  dyad::BuildOptions options;
  bool quiet = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--index") {
      if (++i == args.size()) return Usage("--index needs a directory");
      options.index_path = args[i];
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
  if (options.index_path.empty()) return Usage("--index DIR is required");
  if (options.inputs.empty()) return Usage("no INPUT given");

  dyad::StatusOr<dyad::Analyzer> analyzer = dyad::Analyzer::Create();
  if (!analyzer.ok()) {
    std::cerr << "dyad-index: " << analyzer.status().message() << "\n";
    return 1;
  }
  dyad::BuildReport report;
  const dyad::Status status = dyad::BuildIndex(options, *analyzer, &report);
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
