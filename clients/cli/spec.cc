#include "clients/cli/spec.h"

#include <algorithm>
#include <array>
#include <sstream>
#include <vector>

#ifndef DYAD_VERSION
#define DYAD_VERSION "unknown"
#endif

namespace dyad::cli {
namespace {

constexpr unsigned kResultGroups = kGroupConnection | kGroupOutput | kGroupFilter | kGroupPage;

constexpr std::array kOptions = {
    // Connection.
    OptionSpec{OptionId::kServer, "--server", "HOST:PORT", kGroupConnection,
               "ask the dyad-searchd at HOST:PORT (default: $DYAD_SERVER, else 127.0.0.1:7700)"},
    OptionSpec{OptionId::kIndex, "--index", "DIR", kGroupConnection,
               "open the index in DIR directly (no daemon; the same engine and the same results)"},
    OptionSpec{OptionId::kTokenFile, "--token-file", "FILE", kGroupConnection,
               "send the bearer token in FILE (for a daemon started with --token-file; "
               "default: $DYAD_TOKEN)"},
    // Output.
    OptionSpec{OptionId::kFormat, "--format", "FORMAT", kGroupOutput,
               "table (for people), json (the whole response), jsonl (one result per line), "
               "csv or trec (qid Q0 id rank score tag); each command lists the formats it "
               "writes"},
    OptionSpec{OptionId::kJson, "--json", "", kGroupOutput, "the same as --format json"},
    OptionSpec{OptionId::kColor, "--color", "WHEN", kGroupOutput,
               "auto (default: bold highlights and bars only on a terminal, and not with "
               "$NO_COLOR), always or never"},
    // Filters.
    OptionSpec{OptionId::kPair, "--pair", "PAIR", kGroupFilter,
               "articles about a country pair: PK-RU, pakistan-russia (repeat: any of them)"},
    OptionSpec{OptionId::kCountry, "--country", "COUNTRY", kGroupFilter,
               "articles about a country: PK, Pakistan, USSR (repeat: any of them)"},
    OptionSpec{OptionId::kAllCountries, "--all-countries", "", kGroupFilter,
               "with several --country: articles about every one of them"},
    OptionSpec{OptionId::kTheme, "--theme", "THEME", kGroupFilter,
               "a theme of the taxonomy: energy, defense, nuclear, trade-economy, "
               "counterterrorism... (repeat: any of them)"},
    OptionSpec{OptionId::kEra, "--era", "ERA", kGroupFilter,
               "a named era: cold-war, post-cold-war, war-on-terror, soviet-afghan-war... "
               "(repeat: any of them)"},
    OptionSpec{OptionId::kPeriod, "--period", "FROM..TO", kGroupFilter,
               "the period the article discusses overlaps these years: 1947..1991, 1980.., "
               "..1945, 1962"},
    OptionSpec{OptionId::kPublished, "--published", "FROM..TO", kGroupFilter,
               "published between these dates (YYYY, YYYY-MM or YYYY-MM-DD; either end may be "
               "left out): 2001..2005-06"},
    OptionSpec{OptionId::kSource, "--source", "NAME", kGroupFilter,
               "articles from this source (repeat: any of them)"},
    OptionSpec{OptionId::kLang, "--lang", "TAG", kGroupFilter,
               "articles in this language: en (repeat: any of them)"},
    // Result pages.
    OptionSpec{OptionId::kSort, "--sort", "ORDER", kGroupFilter,
               "relevance (default), date (newest first) or date-asc (oldest first)"},
    OptionSpec{OptionId::kLimit, "--limit", "N", kGroupPage | kGroupExport | kGroupStats,
               "results per page (default 10); export: stop after N results; stats: values per "
               "field (default 10)"},
    OptionSpec{OptionId::kOffset, "--offset", "N", kGroupPage,
               "results to skip first (default 0); for more than a few pages use export"},
    OptionSpec{OptionId::kFacets, "--facets", "", kGroupPage,
               "count the matches by country, dyad, theme, era and decade"},
    OptionSpec{OptionId::kFacet, "--facet", "FIELD[:N]", kGroupPage,
               "count the matches by one field (country, dyad, theme, era, decade, source), "
               "its N most frequent values (default 10); repeatable"},
    OptionSpec{OptionId::kExactFacets, "--exact-facets", "", kGroupPage,
               "count facets over every match (default: over at least the first 1000)"},
    OptionSpec{OptionId::kExplain, "--explain", "", kGroupPage,
               "show what each query term adds to each result's score"},
    OptionSpec{OptionId::kSnippetLength, "--snippet-length", "N", kGroupFilter,
               "characters of snippet per result (default 200)"},
    OptionSpec{OptionId::kPageSize, "--page-size", "N", kGroupExport,
               "results fetched per request while exporting (default 500)"},
    OptionSpec{OptionId::kQid, "--qid", "ID", kGroupTrec, "topic id for --format trec (default 1)"},
    OptionSpec{OptionId::kTag, "--tag", "TAG", kGroupTrec,
               "run tag for --format trec (default dyad)"},
    // Help.
    OptionSpec{OptionId::kMarkdown, "--markdown", "", kGroupHelp,
               "print the whole manual as Markdown (docs/cli.md)"},
    OptionSpec{OptionId::kHelp, "--help", "", kGroupAlways,
               "print help (for one command after its name) and exit"},
    OptionSpec{OptionId::kVersion, "--version", "", kGroupAlways, "print the version and exit"},
};

constexpr std::array kSearchExamples = {
    Example{"dyad search Pakistan Russia relations", "ranked articles with highlighted snippets"},
    Example{"dyad search energy --pair PK-RU --facets", "one country pair, with facet counts"},
    Example{"dyad search 'nuclear arms' --country USSR --period 1947..1991 --sort date",
            "Soviet articles about a Cold War span, newest first"},
    Example{"dyad search '\"Soviet Union\" AND title:union' --format json",
            "the whole response as JSON (jq-friendly)"},
    Example{"dyad search trade --theme trade-economy --format csv --limit 50 > trade.csv",
            "a spreadsheet of 50 results"},
    Example{"dyad search 'Afghanistan era:war-on-terror' --explain --limit 3",
            "query syntax filters, with per-term weights"},
    Example{"dyad search Pakistan --index build/index", "no daemon: open the index directly"},
};
constexpr std::array kSimilarExamples = {
    Example{"dyad similar pak-russia-relations", "articles like the seed article"},
    Example{"dyad similar pak-russia-relations --theme energy --format jsonl",
            "only energy articles, one JSON object per line"},
};
constexpr std::array kGetExamples = {
    Example{"dyad get pak-russia-relations", "the article: metadata, key points, sections"},
    Example{"dyad get pak-russia-relations --format json", "everything stored, as JSON"},
};
constexpr std::array kExportExamples = {
    Example{"dyad export 'theme:nuclear' > nuclear.jsonl", "every match, one JSON line each"},
    Example{"dyad export --pair US-RU --format csv > us-ru.csv", "every article of a pair, as CSV"},
    Example{"dyad export 'arms control' --format trec --qid 7 --tag baseline > run.txt",
            "a TREC run for dyad-eval score"},
};
constexpr std::array kStatsExamples = {
    Example{"dyad stats", "article count and the most frequent countries, dyads, themes..."},
    Example{"dyad stats --limit 30 --format csv", "30 values per field as CSV"},
};
constexpr std::array kHealthExamples = {
    Example{"dyad health --server 127.0.0.1:7700", "is the daemon up, and what does it serve?"},
};
constexpr std::array kHelpExamples = {
    Example{"dyad help export", "the options of one command"},
    Example{"dyad help --markdown > docs/cli.md", "regenerate this manual"},
};

constexpr std::array kCommands = {
    CommandSpec{"search", "QUERY... [OPTIONS]",
                "ranked articles for QUERY, with snippets and facets",
                "Searches the index and prints one page of results, best first: title, id, "
                "score, date, countries, country pair, themes and eras of each, and a snippet "
                "with the query's words highlighted. QUERY is in Dyad's query syntax (below); "
                "the filter options select without ranking. Exit status 1 when nothing matches.",
                kResultGroups | kGroupTrec, "table json jsonl csv trec", kSearchExamples},
    CommandSpec{"similar", "ID [OPTIONS]", "articles like the article ID",
                "Finds the articles most like the article ID (its most telling terms; itself "
                "excluded). Takes the same filters, page and output options as search.",
                kResultGroups | kGroupTrec, "table json jsonl csv trec", kSimilarExamples},
    CommandSpec{"get", "ID [OPTIONS]", "one article by id",
                "Prints the stored article ID: title, metadata, enrichment (countries, dyads, "
                "themes, period, eras), key points and the text by section. Ids are matched "
                "without regard to case. Exit status 1 when there is no such article.",
                kGroupConnection | kGroupOutput, "table json jsonl", kGetExamples},
    CommandSpec{"export", "[QUERY...] [OPTIONS]", "every match, streamed page by page",
                "Writes every article that matches QUERY and the filters (all articles when "
                "both are empty), in rank order, fetching pages through a cursor so the depth "
                "is unlimited and no result is repeated or skipped. Exit status 1 when nothing "
                "matches.",
                kGroupConnection | kGroupOutput | kGroupFilter | kGroupExport | kGroupTrec,
                "jsonl csv trec", kExportExamples},
    CommandSpec{"stats", "[OPTIONS]", "what the index holds, counted by field",
                "Prints the number of articles, the schema version and index revision, and the "
                "most frequent countries, dyads, themes, eras, decades and sources over every "
                "article (exact counts).",
                kGroupConnection | kGroupOutput | kGroupStats, "table json jsonl csv",
                kStatsExamples},
    CommandSpec{"health", "[OPTIONS]", "whether the index answers, and its size",
                "Prints the article count, schema version and revision of the index; exit "
                "status 3 when it cannot be reached.",
                kGroupConnection | kGroupOutput, "table json jsonl", kHealthExamples},
    CommandSpec{"help", "[COMMAND] [--markdown]", "help for one command, or the whole manual",
                "Prints the help of COMMAND, or this help. With --markdown, the whole manual as "
                "Markdown.",
                kGroupHelp, "", kHelpExamples},
};

constexpr std::string_view kDescription =
    "Searches Dyad's index of international-relations writing from a terminal: ranked "
    "articles with highlighted snippets, filtered and counted by country, country pair, theme, "
    "era and period. Talks to a dyad-searchd daemon, or opens an index directly with --index.";

constexpr std::string_view kQuerySyntax[] = {
    "words        any may match, best first: Pakistan Russia energy",
    "\"a phrase\"   the words in this order",
    "AND OR NOT   upper case: nuclear AND (treaty OR agreement) NOT Iran",
    "+word -word  must or must not appear",
    "pak*         a wildcard (also title:pak*)",
    "title: keypoints: heading: author: id: source:   search one field",
    "country:PK   about a country (code or name: country:pakistan, country:ussr)",
    "pair:PK-RU   about a country pair",
    "theme:ID era:ID decade:1980s   Dyad's enrichment",
    "1947..1991   the discussed period overlaps these years",
    "published:2001..2005-06   publication dates",
};
constexpr std::string_view kQueryNote =
    "Country names match all their forms: USSR also finds Soviet Union and Russia.";

constexpr std::string_view kEnvironment[] = {
    "DYAD_SERVER  the daemon to ask when neither --server nor --index is given",
    "DYAD_TOKEN   the bearer token when --token-file is not given",
    "NO_COLOR     when set, never print colour or bold (as --color never)",
};

constexpr std::string_view kExitStatus[] = {
    "0  success",
    "1  nothing matched (search, similar, export), or no article with that id (get, similar)",
    "2  usage error: unknown command or option, missing or malformed value",
    "3  the index cannot be reached: no daemon at the address, or no readable index at --index",
    "4  the request was refused: query syntax, unknown country, pair, theme or era, limits, token",
    "5  any other failure: corrupt index, server error, output cannot be written",
};

// "  --pair PAIR" and its help, which starts at column 26 and wraps at 100.
void AppendOptionLine(const OptionSpec& option, std::ostringstream& out) {
  constexpr std::size_t kIndent = 26;
  constexpr std::size_t kWidth = 100;
  std::string line = "  " + std::string(option.name);
  if (!option.value.empty()) line.append(" ").append(option.value);
  if (line.size() + 2 > kIndent) {
    out << line << '\n';
    line.clear();
  }
  line.resize(kIndent, ' ');
  bool empty = true;
  std::istringstream words{std::string(option.help)};
  std::string word;
  while (words >> word) {
    if (!empty && line.size() + 1 + word.size() > kWidth) {
      out << line << '\n';
      line = std::string(kIndent, ' ');
      empty = true;
    }
    if (!empty) line += ' ';
    line += word;
    empty = false;
  }
  out << line << '\n';
}

// Groups in the order the help lists them, with their headings.
struct GroupHeading {
  unsigned group;
  std::string_view heading;
};
constexpr std::array kGroupHeadings = {
    GroupHeading{kGroupFilter, "Search options"},
    GroupHeading{kGroupPage, "Page options"},
    GroupHeading{kGroupExport, "Export options"},
    GroupHeading{kGroupStats, "Stats options"},
    GroupHeading{kGroupTrec, "TREC options"},
    GroupHeading{kGroupConnection, "Connection options"},
    GroupHeading{kGroupOutput, "Output options"},
    GroupHeading{kGroupHelp, "Help options"},
    GroupHeading{kGroupAlways, "Other options"},
};

// The options of `group` that `allowed` lets through, each listed once under its first group.
std::vector<const OptionSpec*> OptionsOf(unsigned group, unsigned allowed) {
  std::vector<const OptionSpec*> out;
  for (const OptionSpec& option : kOptions) {
    if ((option.groups & group) == 0) continue;
    // Listed under the first of its groups that is allowed.
    unsigned first = 0;
    for (const GroupHeading& heading : kGroupHeadings) {
      if ((option.groups & heading.group) != 0 && (allowed & heading.group) != 0) {
        first = heading.group;
        break;
      }
    }
    if (first == group) out.push_back(&option);
  }
  return out;
}

std::string CommandsUsing(unsigned group) {
  std::string names;
  for (const CommandSpec& command : kCommands) {
    if ((command.groups & group) == 0) continue;
    names += (names.empty() ? "" : ", ") + std::string(command.name);
  }
  return names;
}

// Wraps `text` at 100 columns with `indent` spaces before each line.
std::string Wrap(std::string_view text, std::size_t indent = 0) {
  std::ostringstream out;
  std::istringstream words{std::string(text)};
  std::string word;
  std::size_t column = 0;
  while (words >> word) {
    if (column > 0 && column + 1 + word.size() > 100) {
      out << '\n';
      column = 0;
    }
    if (column == 0) {
      out << std::string(indent, ' ');
      column = indent;
    } else {
      out << ' ';
      ++column;
    }
    out << word;
    column += word.size();
  }
  out << '\n';
  return out.str();
}

void AppendLines(std::string_view heading, std::span<const std::string_view> lines,
                 std::ostringstream& out) {
  out << '\n' << heading << ":\n";
  for (std::string_view line : lines) out << "  " << line << '\n';
}

std::string MarkdownOption(const OptionSpec& option) {
  std::ostringstream row;
  row << "| `" << option.name << (option.value.empty() ? "" : " ") << option.value << "` | "
      << option.help << " |\n";
  return row.str();
}

}  // namespace

std::span<const OptionSpec> Options() { return kOptions; }
std::span<const CommandSpec> Commands() { return kCommands; }

const OptionSpec* FindOption(std::string_view name) {
  if (name == "-h") name = "--help";
  for (const OptionSpec& option : kOptions) {
    if (option.name == name) return &option;
  }
  return nullptr;
}

const CommandSpec* FindCommand(std::string_view name) {
  for (const CommandSpec& command : kCommands) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

bool Writes(const CommandSpec& command, std::string_view format) {
  std::string_view formats = command.formats;
  while (!formats.empty()) {
    const std::size_t space = formats.find(' ');
    if (formats.substr(0, space) == format) return true;
    if (space == std::string_view::npos) break;
    formats.remove_prefix(space + 1);
  }
  return false;
}

bool Accepts(const CommandSpec& command, const OptionSpec& option) {
  return (option.groups & (command.groups | kGroupAlways)) != 0;
}

std::string MainHelp() {
  std::ostringstream out;
  out << "Usage: dyad COMMAND [ARGUMENTS] [OPTIONS]\n" << Wrap(kDescription);
  out << "\nCommands:\n";
  for (const CommandSpec& command : kCommands) {
    std::string left = "  " + std::string(command.name) + " " + std::string(command.synopsis);
    if (left.size() > 30) {
      out << left << '\n' << std::string(32, ' ') << command.summary << '\n';
    } else {
      out << left << std::string(32 - left.size(), ' ') << command.summary << '\n';
    }
  }
  out << "'dyad COMMAND --help' shows the options of one command.\n";
  constexpr unsigned kAll = ~0u;
  for (const GroupHeading& heading : kGroupHeadings) {
    const std::vector<const OptionSpec*> options = OptionsOf(heading.group, kAll);
    if (options.empty()) continue;
    out << '\n' << heading.heading;
    if (heading.group != kGroupAlways) out << " (" << CommandsUsing(heading.group) << ")";
    out << ":\n";
    for (const OptionSpec* option : options) AppendOptionLine(*option, out);
  }
  AppendLines("Query syntax", kQuerySyntax, out);
  out << '\n' << kQueryNote << '\n';
  // Exit status before Environment: help2man files a heading it does not know under the section
  // before it, and it knows Environment (ENVIRONMENT) but not Exit status.
  AppendLines("Exit status", kExitStatus, out);
  AppendLines("Environment", kEnvironment, out);
  out << "\nExamples:\n";
  for (const CommandSpec& command : kCommands) {
    for (const Example& example : command.examples) {
      out << "  " << example.command << "\n      " << example.what << '\n';
    }
  }
  return out.str();
}

std::string CommandHelp(const CommandSpec& command) {
  std::ostringstream out;
  out << "Usage: dyad " << command.name << ' ' << command.synopsis << '\n'
      << Wrap(command.description);
  if (!command.formats.empty()) {
    const std::string formats(command.formats);
    out << "Formats: " << formats << " (default " << formats.substr(0, formats.find(' ')) << ").\n";
  }
  for (const GroupHeading& heading : kGroupHeadings) {
    const unsigned allowed = command.groups | kGroupAlways;
    if ((allowed & heading.group) == 0) continue;
    const std::vector<const OptionSpec*> options = OptionsOf(heading.group, allowed);
    if (options.empty()) continue;
    out << '\n' << heading.heading << ":\n";
    for (const OptionSpec* option : options) {
      if (option->id == OptionId::kJson && !Writes(command, "json")) continue;
      AppendOptionLine(*option, out);
    }
  }
  if (command.name == "search" || command.name == "export") {
    AppendLines("Query syntax", kQuerySyntax, out);
    out << '\n' << kQueryNote << '\n';
  }
  AppendLines("Exit status", kExitStatus, out);
  out << "\nExamples:\n";
  for (const Example& example : command.examples) {
    out << "  " << example.command << "\n      " << example.what << '\n';
  }
  return out.str();
}

std::string VersionText() {
  return "dyad (Dyad) " DYAD_VERSION
         "\nCommand-line client of Dyad, a search engine for international-relations writing.\n";
}

std::string MarkdownManual() {
  std::ostringstream out;
  out << "# dyad: the command-line client\n\n"
      << "<!-- Generated by `dyad help --markdown` from clients/cli/spec.cc; a test checks that "
         "they match. Edit spec.cc, then: build/clients/dyad help --markdown > docs/cli.md -->\n\n"
      << kDescription << "\n\n"
      << "```text\ndyad COMMAND [ARGUMENTS] [OPTIONS]\n```\n\n"
      << "| command | what it does |\n| --- | --- |\n";
  for (const CommandSpec& command : kCommands) {
    out << "| [`" << command.name << "`](#dyad-" << command.name << ") | " << command.summary
        << " |\n";
  }
  out << "\nOptions may come before or after the arguments; `--name=value` works too, and `--` "
         "ends the options (for a query word that starts with `--`). A query word may start "
         "with `-` (`-mustnot`).\n";
  for (const CommandSpec& command : kCommands) {
    out << "\n## dyad " << command.name << "\n\n```text\ndyad " << command.name << ' '
        << command.synopsis << "\n```\n\n"
        << command.description << "\n";
    if (!command.formats.empty()) {
      const std::string formats(command.formats);
      out << "\nFormats: `" << formats << "` (default `" << formats.substr(0, formats.find(' '))
          << "`).\n";
    }
    // The options it takes, and the sections of the Options chapter that describe them.
    std::ostringstream names;
    std::ostringstream sections;
    for (const GroupHeading& heading : kGroupHeadings) {
      bool used = false;
      for (const OptionSpec* option : OptionsOf(heading.group, ~0u)) {
        if (!Accepts(command, *option) || option->id == OptionId::kHelp ||
            option->id == OptionId::kVersion ||
            (option->id == OptionId::kJson && !Writes(command, "json"))) {
          continue;
        }
        names << (names.tellp() > 0 ? ", " : "") << '`' << option->name << '`';
        used = true;
      }
      if (!used) continue;
      std::string anchor(heading.heading);
      std::transform(anchor.begin(), anchor.end(), anchor.begin(),
                     [](char c) { return c == ' ' ? '-' : static_cast<char>(std::tolower(c)); });
      sections << (sections.tellp() > 0 ? ", " : "") << '[' << heading.heading << "](#" << anchor
               << ')';
    }
    if (names.tellp() > 0) {
      out << "\nOptions: " << names.str() << " (see " << sections.str() << ").\n";
    }
    out << "\n```sh\n";
    for (const Example& example : command.examples) {
      out << example.command << "    # " << example.what << '\n';
    }
    out << "```\n";
  }
  out << "\n## Options\n";
  for (const GroupHeading& heading : kGroupHeadings) {
    const std::vector<const OptionSpec*> options = OptionsOf(heading.group, ~0u);
    if (options.empty()) continue;
    out << "\n### " << heading.heading << "\n\n";
    if (heading.group != kGroupAlways) out << "For " << CommandsUsing(heading.group) << ".\n\n";
    out << "| option | meaning |\n| --- | --- |\n";
    for (const OptionSpec* option : options) out << MarkdownOption(*option);
  }
  const auto code_block = [&](std::string_view heading, std::span<const std::string_view> lines) {
    out << "\n## " << heading << "\n\n```text\n";
    for (std::string_view line : lines) out << line << '\n';
    out << "```\n";
  };
  code_block("Query syntax", kQuerySyntax);
  out << '\n' << kQueryNote << " The full syntax is in [query-syntax.md](query-syntax.md).\n";
  code_block("Environment", kEnvironment);
  code_block("Exit status", kExitStatus);
  out << "\n## Output\n\n"
      << "- `table`: for people. On a terminal, matched words are bold and facet counts are "
         "bars; piped into a file or another program it is plain text (matched words in "
         "`[brackets]`, bars of `#`).\n"
      << "- `json`: the whole response (`SearchResponse`, `StoredArticle`, `HealthResponse` or "
         "`IndexStats` of `proto/dyad/v1/`) in Protobuf's JSON mapping with the `.proto` field "
         "names and every field present, as the HTTP API writes it; indented on a terminal, one "
         "line otherwise.\n"
      << "- `jsonl`: one `Hit` per line (search, similar, export); one line otherwise.\n"
      << "- `csv`: RFC 4180 with a header row: "
         "`rank,id,score,title,published,source,countries,dyads,themes,eras,snippet` "
         "(lists separated by spaces); stats writes `field,value,count`.\n"
      << "- `trec`: a TREC run, `qid Q0 id rank score tag`, as `dyad-eval score` reads it.\n"
      << "\nSnippets mark matched words with `[` and `]` except in a table on a terminal.\n";
  return out.str();
}

}  // namespace dyad::cli
