// The dyad command line without running anything: what the parser makes of arguments, what it
// refuses and how it says so, and that the help text, the Markdown manual and docs/cli.md agree.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "clients/cli/args.h"
#include "clients/cli/spec.h"

namespace dyad::cli {
namespace {

std::vector<std::string> Split(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  std::string word;
  while (in >> word) words.push_back(word);
  return words;
}

TEST(CliArgs, OptionsFillTheRequest) {
  StatusOr<Invocation> parsed = ParseCommandLine(
      Split("search --pair PK-RU nuclear --country=USSR --country IN --all-countries --theme "
            "energy --era cold-war --period 1947..1991 --published 2001..2005-06 --sort date "
            "--limit 5 --offset 10 --facet theme:3 --exact-facets --explain arms "
            "--snippet-length 80 --format csv --server host:1"));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->command->name, "search");
  EXPECT_EQ(parsed->arguments, (std::vector<std::string>{"nuclear", "arms"}));
  const v1::SearchRequest& r = parsed->request;
  EXPECT_EQ(r.filters().dyads(0), "PK-RU");
  EXPECT_EQ(r.filters().countries_size(), 2);
  EXPECT_EQ(r.filters().country_match(), v1::COUNTRY_MATCH_ALL);
  EXPECT_EQ(r.filters().themes(0), "energy");
  EXPECT_EQ(r.filters().eras(0), "cold-war");
  EXPECT_EQ(r.filters().period().from(), 1947);
  EXPECT_EQ(r.filters().period().to(), 1991);
  EXPECT_EQ(r.filters().published_from(), "2001");
  EXPECT_EQ(r.filters().published_to(), "2005-06");
  EXPECT_EQ(r.sort(), v1::SORT_ORDER_DATE_DESC);
  EXPECT_EQ(r.limit(), 5u);
  EXPECT_EQ(r.offset(), 10u);
  ASSERT_EQ(r.facets_size(), 1);
  EXPECT_EQ(r.facets(0).field(), v1::FACET_FIELD_THEME);
  EXPECT_EQ(r.facets(0).limit(), 3u);
  EXPECT_TRUE(r.exact_facets());
  EXPECT_TRUE(r.explain());
  EXPECT_EQ(r.snippet_length(), 80u);
  EXPECT_EQ(parsed->format, Format::kCsv);
  EXPECT_EQ(parsed->server, "host:1");
}

TEST(CliArgs, DefaultsDependOnTheCommand) {
  struct Case {
    std::string line;
    Format format;
  };
  for (const Case& c : {Case{"search x", Format::kTable}, Case{"export", Format::kJsonl},
                        Case{"get id", Format::kTable}, Case{"stats", Format::kTable},
                        Case{"similar id --json", Format::kJson}}) {
    StatusOr<Invocation> parsed = ParseCommandLine(Split(c.line));
    ASSERT_TRUE(parsed.ok()) << c.line << ": " << parsed.status().message();
    EXPECT_EQ(parsed->format, c.format) << c.line;
  }
  StatusOr<Invocation> facets = ParseCommandLine(Split("search x --facets"));
  ASSERT_TRUE(facets.ok());
  EXPECT_EQ(facets->request.facets_size(), 5);
  // A query word may start with one dash (Xapian's "must not"); "--" ends the options.
  StatusOr<Invocation> words = ParseCommandLine(Split("search energy -oil -- --literal"));
  ASSERT_TRUE(words.ok());
  EXPECT_EQ(words->arguments, (std::vector<std::string>{"energy", "-oil", "--literal"}));
}

TEST(CliArgs, PeriodsAndRanges) {
  struct Case {
    std::string text;
    int from, to;
  };
  for (const Case& c : {Case{"1947..1991", 1947, 1991}, Case{"1980..", 1980, 0},
                        Case{"..1945", 0, 1945}, Case{"1962", 1962, 1962}}) {
    StatusOr<v1::YearSpan> span = ParseYearSpan(c.text);
    ASSERT_TRUE(span.ok()) << c.text;
    EXPECT_EQ(span->from(), c.from) << c.text;
    EXPECT_EQ(span->to(), c.to) << c.text;
  }
  for (const char* bad : {"..", "1991..1947", "nineteen", "0..10", "1947-1991", "12345"}) {
    EXPECT_FALSE(ParseYearSpan(bad).ok()) << bad;
  }
}

TEST(CliArgs, BadCommandLinesSayWhatIsWrong) {
  struct Case {
    std::string line;
    std::string message;  // A part of the error.
  };
  const Case cases[] = {
      {"", "no command given"},
      {"serch x", "no command 'serch'"},
      {"search", "needs a QUERY"},
      {"search x --pear PK-RU", "no option '--pear'"},
      {"search x --limit", "--limit needs a value"},
      {"search x --limit ten", "not a whole number"},
      {"search x --limit 0", "at least 1"},
      {"search x --period 1991..1947", "ends before it starts"},
      {"search x --sort newest", "relevance, date"},
      {"search x --published 2001-13", "'2001-13' is not a date"},
      {"search x --published 2001..20x", "'20x' is not a date"},
      {"search x --published ..", "give dates like"},
      {"search x --facet colour", "country, dyad, theme"},
      {"search x --format xml", "one of table, json"},
      {"search x --explain=yes", "takes no value"},
      {"search x --qid 3", "go with --format trec"},
      {"search x --server a:1 --index dir", "not both"},
      {"get", "exactly one article ID"},
      {"get a b", "exactly one article ID"},
      {"get x --pair PK-RU", "--pair does not apply to dyad get"},
      {"get x --format csv", "writes table json jsonl, not csv"},
      {"export x --format table", "writes jsonl csv trec, not table"},
      {"export x --json", "not json"},
      {"stats extra", "takes no arguments"},
      {"help nothing", "no command 'nothing'"},
  };
  for (const Case& c : cases) {
    StatusOr<Invocation> parsed = ParseCommandLine(Split(c.line));
    ASSERT_FALSE(parsed.ok()) << c.line;
    EXPECT_NE(parsed.status().message().find(c.message), std::string::npos)
        << c.line << " -> " << parsed.status().message();
  }
}

TEST(CliArgs, HelpAndVersionWinOverEverythingElse) {
  for (const char* line :
       {"--help", "-h", "search --help", "search --pear x --help", "--version"}) {
    StatusOr<Invocation> parsed = ParseCommandLine(Split(line));
    ASSERT_TRUE(parsed.ok()) << line << ": " << parsed.status().message();
    EXPECT_TRUE(parsed->help || parsed->version) << line;
  }
}

TEST(CliHelp, EveryCommandHasHelpWithExamplesAndEveryOptionIsDocumented) {
  const std::string main_help = MainHelp();
  EXPECT_TRUE(main_help.starts_with("Usage: dyad "));
  for (const CommandSpec& command : Commands()) {
    EXPECT_FALSE(command.examples.empty()) << command.name;
    const std::string help = CommandHelp(command);
    EXPECT_TRUE(help.starts_with("Usage: dyad " + std::string(command.name))) << help;
    EXPECT_NE(help.find("Examples:"), std::string::npos) << command.name;
    for (const Example& example : command.examples) {
      EXPECT_NE(main_help.find(example.command), std::string::npos) << example.command;
      EXPECT_NE(help.find(example.command), std::string::npos) << example.command;
      EXPECT_TRUE(example.command.starts_with("dyad " + std::string(command.name)))
          << example.command;
    }
    // Every option a command accepts is listed in its help.
    for (const OptionSpec& option : Options()) {
      if (Accepts(command, option) && (option.id != OptionId::kJson || Writes(command, "json"))) {
        EXPECT_NE(help.find("  " + std::string(option.name)), std::string::npos)
            << command.name << " " << option.name;
      }
    }
  }
  for (const OptionSpec& option : Options()) {
    EXPECT_NE(main_help.find("  " + std::string(option.name)), std::string::npos) << option.name;
  }
  for (const char* section : {"\nExit status:\n", "\nEnvironment:\n", "\nQuery syntax:\n"}) {
    EXPECT_NE(main_help.find(section), std::string::npos) << section;
  }
  // help2man reads the first line of --version as "NAME (PACKAGE) VERSION".
  EXPECT_TRUE(VersionText().starts_with("dyad (Dyad) ")) << VersionText();
  // No line of the help is wider than 100 columns.
  std::istringstream lines(main_help);
  std::string line;
  while (std::getline(lines, line)) EXPECT_LE(line.size(), 100u) << line;
}

TEST(CliHelp, DocsPageIsTheGeneratedManual) {
  std::ifstream in(DYAD_SOURCE_DIR "/docs/cli.md", std::ios::binary);
  ASSERT_TRUE(in) << "docs/cli.md is missing";
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), MarkdownManual()) << "docs/cli.md is out of date: regenerate it with "
                                             "'build/clients/dyad help --markdown > docs/cli.md'";
}

}  // namespace
}  // namespace dyad::cli
