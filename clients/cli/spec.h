// The dyad command line in one place: its commands, options, help text and examples. The
// argument parser (args.h) reads which options exist and which take a value from here, and the
// help renderers below turn the same tables into `dyad --help`, `dyad COMMAND --help` and the
// Markdown page docs/cli.md (`dyad help --markdown`), so the three never disagree.
#ifndef DYAD_CLIENTS_CLI_SPEC_H_
#define DYAD_CLIENTS_CLI_SPEC_H_

#include <span>
#include <string>
#include <string_view>

namespace dyad::cli {

// Every option the CLI knows.
enum class OptionId {
  kServer,
  kIndex,
  kTokenFile,
  kFormat,
  kJson,
  kColor,
  kPair,
  kCountry,
  kAllCountries,
  kTheme,
  kEra,
  kPeriod,
  kPublished,
  kSource,
  kLang,
  kSort,
  kLimit,
  kOffset,
  kFacets,
  kFacet,
  kExactFacets,
  kExplain,
  kSnippetLength,
  kPageSize,
  kQid,
  kTag,
  kMarkdown,
  kHelp,
  kVersion,
};

// Help groups: a command accepts whole groups of options.
enum OptionGroup : unsigned {
  kGroupConnection = 1u << 0,  // --server, --index, --token-file
  kGroupOutput = 1u << 1,      // --format, --json, --color
  kGroupFilter = 1u << 2,      // --pair, --country, --theme, ..., --sort, --snippet-length
  kGroupPage = 1u << 3,        // --limit, --offset, facets, explain
  kGroupExport = 1u << 4,      // --page-size, --limit
  kGroupTrec = 1u << 5,        // --qid, --tag
  kGroupStats = 1u << 6,       // --limit (values per facet)
  kGroupHelp = 1u << 7,        // --markdown
  kGroupAlways = 1u << 8,      // --help, --version
};

struct OptionSpec {
  OptionId id;
  std::string_view name;   // "--pair"
  std::string_view value;  // "PAIR"; empty for a flag.
  unsigned groups;         // Where it belongs (one or more OptionGroup bits).
  std::string_view help;
};

struct Example {
  std::string_view command;  // "dyad search 'Pakistan Russia' --pair PK-RU"
  std::string_view what;     // What it shows.
};

struct CommandSpec {
  std::string_view name;      // "search"
  std::string_view synopsis;  // Arguments after "dyad NAME": "QUERY... [OPTIONS]"
  std::string_view summary;   // One line for the command list.
  std::string_view description;
  unsigned groups;           // Option groups it accepts (kGroupAlways is implied).
  std::string_view formats;  // Accepted --format values, the default first: "table json ...".
  std::span<const Example> examples;
};

std::span<const OptionSpec> Options();
std::span<const CommandSpec> Commands();

// The option spelled `name` ("--pair"), or nullptr. "-h" is --help.
const OptionSpec* FindOption(std::string_view name);
// The command called `name`, or nullptr.
const CommandSpec* FindCommand(std::string_view name);
// Whether `command` writes `format` ("json"; see CommandSpec::formats).
bool Writes(const CommandSpec& command, std::string_view format);
// Whether `command` accepts `option`.
bool Accepts(const CommandSpec& command, const OptionSpec& option);

// Exit statuses of dyad (documented in the help text).
inline constexpr int kExitOk = 0;
inline constexpr int kExitNoMatch = 1;      // Nothing matched, or no article with that id.
inline constexpr int kExitUsage = 2;        // Bad command line.
inline constexpr int kExitUnreachable = 3;  // No daemon at the address, or no readable index.
inline constexpr int kExitRejected = 4;     // The query or a filter value is wrong, or the token.
inline constexpr int kExitFailure = 5;      // Anything else (corrupt index, server bug, I/O).

// `dyad --help`: every command, option, exit status and an example of each command, in the
// layout help2man reads (Usage:, option lines starting with "  -", "Section:" headings).
std::string MainHelp();
// `dyad COMMAND --help`.
std::string CommandHelp(const CommandSpec& command);
// `dyad --version`.
std::string VersionText();
// docs/cli.md: the same text as Markdown.
std::string MarkdownManual();

}  // namespace dyad::cli

#endif  // DYAD_CLIENTS_CLI_SPEC_H_
