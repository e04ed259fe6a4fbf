// The dyad command line parsed into what to do. Which options exist, which take a value and
// which commands accept them comes from spec.h; this file turns their values into a
// SearchRequest and output settings, and says precisely what is wrong with a bad command line.
#ifndef DYAD_CLIENTS_CLI_ARGS_H_
#define DYAD_CLIENTS_CLI_ARGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clients/cli/spec.h"
#include "core/status.h"
#include "dyad/v1/search.pb.h"

namespace dyad::cli {

enum class Format { kTable, kJson, kJsonl, kCsv, kTrec };
enum class ColorMode { kAuto, kAlways, kNever };

struct Invocation {
  const CommandSpec* command = nullptr;  // Null for a bare `dyad --help` or `dyad --version`.
  std::vector<std::string> arguments;    // Words after the command (query words, an id).
  std::string server;                    // --server; empty: $DYAD_SERVER or the default.
  std::string index;                     // --index; empty: ask a daemon.
  std::string token_file;
  Format format = Format::kTable;  // The command's default unless --format was given.
  ColorMode color = ColorMode::kAuto;
  // Filters, sort, limit, offset, facets, explain and snippet length from the options; the
  // query, more_like and highlight markers are the command's business.
  v1::SearchRequest request;
  bool limit_given = false;
  std::uint32_t page_size = 500;  // export
  std::string qid = "1";          // trec
  std::string tag = "dyad";
  bool help = false;
  bool version = false;
  bool markdown = false;
};

// Parses the arguments after the program name. InvalidArgument with a message for the user
// (naming the option and what it needs) for anything wrong: unknown command or option, an option
// the command does not take, a missing or malformed value, a format the command cannot write,
// missing or extra arguments.
StatusOr<Invocation> ParseCommandLine(const std::vector<std::string>& args);

// "1947..1991", "1980..", "..1945" or "1962" -> a span (0 leaves an end open).
StatusOr<v1::YearSpan> ParseYearSpan(const std::string& text);

}  // namespace dyad::cli

#endif  // DYAD_CLIENTS_CLI_ARGS_H_
