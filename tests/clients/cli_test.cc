// The dyad executable end to end: every command and format against a real dyad-searchd on
// loopback and against the same index opened with --index (identical output required), exit
// statuses, the environment, and colour only on a terminal (RunDyad playing one).
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <sstream>

#include "clients/cli/run.h"
#include "clients/cli/spec.h"
#include "dyad/v1/article.pb.h"
#include "dyad/v1/search.pb.h"
#include "dyad/v1/stats.pb.h"
#include "tests/testing/corpus_files.h"
#include "tests/testing/process.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

using testutil::RunCommand;
using testutil::RunResult;

constexpr char kSeed[] = "pak-russia-relations";

template <typename Message>
Message FromJson(const std::string& json) {
  Message message;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(status.ok()) << status.message() << ": " << json.substr(0, 300);
  return message;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

// RFC 4180 records (quoted fields may hold commas, quotes and line breaks).
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      ++i;
    } else {
      field += c;
    }
  }
  EXPECT_TRUE(field.empty() && row.empty()) << "the CSV does not end with CRLF";
  return rows;
}

// "line N: A | B" for the first line where two outputs differ.
std::string FirstDifference(const std::string& a, const std::string& b) {
  const std::vector<std::string> left = Lines(a);
  const std::vector<std::string> right = Lines(b);
  for (std::size_t i = 0; i < std::max(left.size(), right.size()); ++i) {
    const std::string l = i < left.size() ? left[i] : "(end)";
    const std::string r = i < right.size() ? right[i] : "(end)";
    if (l != r)
      return "\nline " + std::to_string(i + 1) + ":\n" + l.substr(0, 400) + "\n" + r.substr(0, 400);
  }
  return "";
}

class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testutil::TempDir();
    // The seed and the addresses since 1945: every feature has matches, and it indexes fast.
    files_ = testutil::BundledCorpusSince(1945);
    std::vector<std::string> argv = {DYAD_INDEX_BIN, "build"};
    argv.insert(argv.end(), files_.begin(), files_.end());
    argv.insert(argv.end(), {"--index", dir_->Sub("index"), "--quiet"});
    const RunResult build = RunCommand(argv);
    ASSERT_EQ(build.exit_code, 0) << build.err;
    daemon_ = new testutil::Daemon(dir_->Sub("index"), {"--quiet"});
  }
  static void TearDownTestSuite() {
    delete daemon_;
    delete dir_;
  }

  static RunResult Dyad(std::vector<std::string> args) {
    args.insert(args.begin(), DYAD_CLI_BIN);
    return RunCommand(args);
  }
  // `dyad ARGS --server DAEMON`.
  static RunResult Remote(std::vector<std::string> args) {
    args.push_back("--server");
    args.push_back(daemon_->address());
    return Dyad(std::move(args));
  }
  // `dyad ARGS --index DIR`.
  static RunResult Local(std::vector<std::string> args) {
    args.push_back("--index");
    args.push_back(dir_->Sub("index"));
    return Dyad(std::move(args));
  }

  static testutil::TempDir* dir_;
  static testutil::Daemon* daemon_;
  static std::vector<std::string> files_;  // One article each.
};

testutil::TempDir* CliTest::dir_ = nullptr;
testutil::Daemon* CliTest::daemon_ = nullptr;
std::vector<std::string> CliTest::files_;

TEST_F(CliTest, EveryCommandGivesTheSameOutputFromTheDaemonAndFromTheIndex) {
  const std::vector<std::vector<std::string>> commands = {
      {"search", "Pakistan", "Russia", "relations"},
      {"search", "energy", "--pair", "PK-RU", "--facets", "--explain", "--format", "json"},
      {"search", "nuclear", "--period", "1947..1991", "--sort", "date", "--limit", "5", "--offset",
       "3", "--format", "csv"},
      {"search", "--country", "USSR", "--theme", "nuclear", "--format", "jsonl"},
      {"search", "war", "--era", "cold-war", "--format", "trec", "--qid", "9", "--tag", "t"},
      {"search", "--published", "1990..2000", "--facet", "decade", "--format", "json"},
      {"similar", kSeed, "--limit", "5", "--format", "json"},
      {"get", kSeed},
      {"get", kSeed, "--format", "json"},
      {"export", "theme:nuclear", "--page-size", "7"},
      {"export", "--pair", "US-RU", "--format", "csv"},
      {"stats"},
      {"stats", "--format", "json", "--limit", "3"},
      {"health", "--format", "json"},
      {"search", "zzzznothing"},
  };
  for (const std::vector<std::string>& command : commands) {
    std::string line;
    for (const std::string& arg : command) line += arg + " ";
    const RunResult remote = Remote(command);
    const RunResult local = Local(command);
    EXPECT_EQ(remote.exit_code, local.exit_code) << line << remote.err << local.err;
    EXPECT_TRUE(remote.out == local.out) << line << FirstDifference(remote.out, local.out);
    EXPECT_EQ(remote.err, local.err) << line;
    if (command.back() != "zzzznothing") {
      EXPECT_EQ(remote.exit_code, 0) << line << remote.err;
      EXPECT_FALSE(remote.out.empty()) << line;
    }
  }
}

TEST_F(CliTest, SearchTableShowsRankedHitsWithPlainHighlightsWhenPiped) {
  const RunResult result = Remote({"search", "Pakistan", "Russia", "relations", "--limit", "3"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_NE(result.out.find("  1. From Mistrust to Mutual Interests"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find(std::string("     ") + kSeed + "  score "), std::string::npos);
  EXPECT_NE(result.out.find("[Pakistan]"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("showing 1-3."), std::string::npos);
  EXPECT_NE(result.out.find("More: --offset 3"), std::string::npos);
  EXPECT_EQ(result.out.find('\x1b'), std::string::npos) << "escape codes in piped output";
}

TEST_F(CliTest, JsonParsesBackAndFiltersHold) {
  const RunResult json = Remote({"search", "Pakistan", "Russia", "relations", "--pair", "PK-RU",
                                 "--facets", "--format", "json", "--limit", "20"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto response = FromJson<v1::SearchResponse>(json.out);
  ASSERT_GT(response.hits_size(), 0);
  EXPECT_EQ(response.hits(0).id(), kSeed);
  for (const v1::Hit& hit : response.hits()) {
    bool pair = false;
    for (const v1::DyadScore& dyad : hit.enrichment().dyads()) pair |= dyad.pair() == "PK-RU";
    EXPECT_TRUE(pair) << hit.id();
  }
  ASSERT_EQ(response.facets_size(), 5);
  EXPECT_EQ(response.facets(1).field(), v1::FACET_FIELD_DYAD);

  const RunResult dated = Remote({"search", "war", "--period", "1947..1991", "--sort", "date",
                                  "--limit", "30", "--format", "json"});
  ASSERT_EQ(dated.exit_code, 0) << dated.err;
  const auto by_date = FromJson<v1::SearchResponse>(dated.out);
  ASSERT_GT(by_date.hits_size(), 1);
  for (int i = 0; i < by_date.hits_size(); ++i) {
    const v1::YearSpan& period = by_date.hits(i).enrichment().period();
    EXPECT_LE(period.from(), 1991) << by_date.hits(i).id();
    EXPECT_GE(period.to(), 1947) << by_date.hits(i).id();
    if (i > 0) {
      EXPECT_GE(by_date.hits(i - 1).published(), by_date.hits(i).published());
    }
  }
}

TEST_F(CliTest, JsonlCsvAndTrecCarryTheSameHits) {
  const std::vector<std::string> query = {"search", "nuclear", "arms", "--limit", "8"};
  const auto with = [&](const std::string& format) {
    std::vector<std::string> args = query;
    args.push_back("--format");
    args.push_back(format);
    const RunResult result = Remote(args);
    EXPECT_EQ(result.exit_code, 0) << format << result.err;
    return result.out;
  };
  const auto response = FromJson<v1::SearchResponse>(with("json"));
  ASSERT_EQ(response.hits_size(), 8);

  const std::vector<std::string> jsonl = Lines(with("jsonl"));
  ASSERT_EQ(jsonl.size(), 8u);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(FromJson<v1::Hit>(jsonl[i]).id(), response.hits(i).id());

  const auto csv = ParseCsv(with("csv"));
  ASSERT_EQ(csv.size(), 9u);
  EXPECT_EQ(csv[0], (std::vector<std::string>{"rank", "id", "score", "title", "published", "source",
                                              "countries", "dyads", "themes", "eras", "snippet"}));
  for (int i = 0; i < 8; ++i) {
    const std::vector<std::string>& row = csv[i + 1];
    ASSERT_EQ(row.size(), 11u);
    EXPECT_EQ(row[0], std::to_string(i + 1));
    EXPECT_EQ(row[1], response.hits(i).id());
    EXPECT_DOUBLE_EQ(std::stod(row[2]), response.hits(i).score());
    EXPECT_EQ(row[3], response.hits(i).title());
    EXPECT_EQ(row[10], response.hits(i).snippet());
  }

  const std::vector<std::string> trec = Lines(with("trec"));
  ASSERT_EQ(trec.size(), 8u);
  for (int i = 0; i < 8; ++i) {
    std::istringstream fields(trec[i]);
    std::string qid, q0, id, tag, extra;
    int rank = 0;
    double score = 0;
    fields >> qid >> q0 >> id >> rank >> score >> tag;
    EXPECT_FALSE(fields >> extra) << trec[i];
    EXPECT_EQ(qid, "1");
    EXPECT_EQ(q0, "Q0");
    EXPECT_EQ(id, response.hits(i).id());
    EXPECT_EQ(rank, i + 1);
    EXPECT_DOUBLE_EQ(score, response.hits(i).score());
    EXPECT_EQ(tag, "dyad");
  }
}

TEST_F(CliTest, ExportStreamsEveryMatchThroughTheCursor) {
  const RunResult all = Remote(
      {"search", "war", "--limit", "1", "--exact-facets", "--facet", "decade", "--format", "json"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  const auto response = FromJson<v1::SearchResponse>(all.out);
  ASSERT_EQ(response.matches_lower_bound(), response.matches_upper_bound());
  const std::uint64_t total = response.matches_lower_bound();
  ASSERT_GT(total, 20u);

  const RunResult small_pages = Remote({"export", "war", "--page-size", "7"});
  ASSERT_EQ(small_pages.exit_code, 0) << small_pages.err;
  const std::vector<std::string> lines = Lines(small_pages.out);
  ASSERT_EQ(lines.size(), total);
  std::set<std::string> ids;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto hit = FromJson<v1::Hit>(lines[i]);
    EXPECT_EQ(hit.rank(), i + 1);
    ids.insert(hit.id());
  }
  EXPECT_EQ(ids.size(), total) << "an id was exported twice";
  // Page size does not change what is exported, nor its order or scores. (Snippets may: Xapian
  // picks a snippet's passage with the statistics of the page it is on.)
  const RunResult small_trec = Remote({"export", "war", "--page-size", "7", "--format", "trec"});
  const RunResult one_page = Remote({"export", "war", "--page-size", "1000", "--format", "trec"});
  EXPECT_EQ(Lines(one_page.out).size(), total);
  EXPECT_TRUE(one_page.out == small_trec.out) << FirstDifference(one_page.out, small_trec.out);
  const RunResult capped = Remote({"export", "war", "--page-size", "7", "--limit", "10"});
  EXPECT_EQ(Lines(capped.out).size(), 10u);
}

TEST_F(CliTest, GetStatsAndHealth) {
  const RunResult table = Remote({"get", "PAK-Russia-Relations"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_TRUE(table.out.starts_with("From Mistrust to Mutual Interests")) << table.out;
  EXPECT_NE(table.out.find("\nKey points\n  - Historical Challenges: "), std::string::npos);
  EXPECT_NE(table.out.find("\nHistorical Background\n"), std::string::npos);

  const RunResult json = Remote({"get", kSeed, "--format", "jsonl"});
  ASSERT_EQ(json.exit_code, 0);
  EXPECT_EQ(Lines(json.out).size(), 1u);
  EXPECT_EQ(FromJson<v1::StoredArticle>(json.out).id(), kSeed);

  const RunResult stats = Remote({"stats", "--format", "json"});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  const auto parsed = FromJson<v1::IndexStats>(stats.out);
  EXPECT_EQ(parsed.health().article_count(), files_.size());
  ASSERT_EQ(parsed.facets_size(), 6);
  for (const v1::FacetResult& facet : parsed.facets()) EXPECT_TRUE(facet.exact());
  ASSERT_GT(parsed.facets(0).values_size(), 0);
  const std::string top_country = parsed.facets(0).values(0).value();
  const std::uint64_t top_count = parsed.facets(0).values(0).count();
  // The count is what a country filter finds.
  const RunResult filtered = Remote({"search", "--country", top_country, "--format", "json",
                                     "--limit", "1", "--exact-facets", "--facet", "country"});
  ASSERT_EQ(filtered.exit_code, 0) << filtered.err;
  EXPECT_EQ(FromJson<v1::SearchResponse>(filtered.out).matches_lower_bound(), top_count);

  const RunResult stats_csv = Remote({"stats", "--format", "csv", "--limit", "2"});
  ASSERT_EQ(stats_csv.exit_code, 0);
  const auto rows = ParseCsv(stats_csv.out);
  ASSERT_GE(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"field", "value", "count"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"articles", "", std::to_string(files_.size())}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"country", top_country, std::to_string(top_count)}));

  const RunResult health = Remote({"health"});
  ASSERT_EQ(health.exit_code, 0);
  EXPECT_TRUE(health.out.starts_with("ok: " + std::to_string(files_.size()) + " articles"))
      << health.out;
}

TEST_F(CliTest, ExitStatusesAndMessages) {
  struct Case {
    std::vector<std::string> args;
    int exit_code;
    std::string message;  // Part of standard error.
  };
  testutil::TempDir empty;
  const std::string nobody = "127.0.0.1:" + std::to_string(testutil::FreeLoopbackPort());
  const Case cases[] = {
      {{"search", "zzzznothing", "--server", daemon_->address()}, cli::kExitNoMatch, ""},
      {{"search", "zzzznothing", "--format", "json", "--server", daemon_->address()},
       cli::kExitNoMatch,
       "no matching articles"},
      {{"get", "no-such-article", "--server", daemon_->address()},
       cli::kExitNoMatch,
       "no article with id 'no-such-article'"},
      {{"similar", "no-such-article", "--index", dir_->Sub("index")},
       cli::kExitNoMatch,
       "no article with id"},
      {{"search"}, cli::kExitUsage, "needs a QUERY"},
      {{"search", "x", "--limit", "-3"}, cli::kExitUsage, "not a whole number"},
      {{"frobnicate"}, cli::kExitUsage, "Run 'dyad --help'"},
      {{"search", "x", "--server", "nocolon"}, cli::kExitUsage, "not HOST:PORT"},
      {{"search", "x", "--server", nobody}, cli::kExitUnreachable, "is dyad-searchd running"},
      {{"search", "x", "--index", empty.Sub("none")},
       cli::kExitUnreachable,
       "cannot open the index at"},
      {{"search", "x", "--theme", "cooking", "--server", daemon_->address()},
       cli::kExitRejected,
       "cooking"},
      {{"search", "x", "--limit", "5000", "--index", dir_->Sub("index")},
       cli::kExitRejected,
       "limit 5000"},
      {{"search", "x", "--published", "2001-13"}, cli::kExitUsage, "'2001-13' is not a date"},
      {{"search", "x", "--published", "2005..2001", "--index", dir_->Sub("index")},
       cli::kExitRejected,
       "ends before it starts"},
  };
  for (const Case& c : cases) {
    std::string line;
    for (const std::string& arg : c.args) line += arg + " ";
    const RunResult result = Dyad(c.args);
    EXPECT_EQ(result.exit_code, c.exit_code) << line << "\n" << result.err;
    EXPECT_NE(result.err.find(c.message), std::string::npos) << line << "\n" << result.err;
    if (c.exit_code >= cli::kExitUsage) {
      EXPECT_EQ(result.out, "") << line;
    }
  }
}

TEST_F(CliTest, HelpAndVersionGoToStandardOutput) {
  const RunResult help = Dyad({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_EQ(help.err, "");
  EXPECT_TRUE(help.out.starts_with("Usage: dyad COMMAND")) << help.out;
  for (const cli::CommandSpec& command : cli::Commands()) {
    const RunResult one = Dyad({std::string(command.name), "--help"});
    EXPECT_EQ(one.exit_code, 0) << command.name;
    EXPECT_EQ(one.out, cli::CommandHelp(command));
    const RunResult via_help = Dyad({"help", std::string(command.name)});
    EXPECT_EQ(via_help.out, one.out);
  }
  const RunResult version = Dyad({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_TRUE(version.out.starts_with("dyad (Dyad) ")) << version.out;
  const RunResult markdown = Dyad({"help", "--markdown"});
  EXPECT_EQ(markdown.exit_code, 0);
  EXPECT_EQ(markdown.out, cli::MarkdownManual());
}

TEST_F(CliTest, DaemonAddressComesFromTheEnvironment) {
  ASSERT_EQ(setenv("DYAD_SERVER", daemon_->address().c_str(), 1), 0);
  const RunResult from_env = Dyad({"health"});
  const std::string nobody = "127.0.0.1:" + std::to_string(testutil::FreeLoopbackPort());
  ASSERT_EQ(setenv("DYAD_SERVER", nobody.c_str(), 1), 0);
  const RunResult unreachable = Dyad({"health"});
  const RunResult overridden = Dyad({"health", "--server", daemon_->address()});
  unsetenv("DYAD_SERVER");
  EXPECT_EQ(from_env.exit_code, 0) << from_env.err;
  EXPECT_EQ(unreachable.exit_code, cli::kExitUnreachable);
  EXPECT_NE(unreachable.err.find(nobody), std::string::npos) << unreachable.err;
  EXPECT_EQ(overridden.exit_code, 0) << overridden.err;
}

TEST_F(CliTest, TokenFromAFileOrTheEnvironment) {
  testutil::TempDir local;
  const std::string token = "cli-test-token-0123456789abcdef";
  const std::string token_file = local.Write("token", token + "\n");
  testutil::Daemon guarded(dir_->Sub("index"), {"--quiet", "--token-file", token_file});
  const std::vector<std::string> search = {"search", "energy", "--server", guarded.address()};
  const RunResult refused = Dyad(search);
  EXPECT_EQ(refused.exit_code, cli::kExitRejected);
  EXPECT_NE(refused.err.find("--token-file FILE or set DYAD_TOKEN"), std::string::npos)
      << refused.err;
  std::vector<std::string> with_file = search;
  with_file.push_back("--token-file");
  with_file.push_back(token_file);
  EXPECT_EQ(Dyad(with_file).exit_code, 0);
  ASSERT_EQ(setenv("DYAD_TOKEN", token.c_str(), 1), 0);
  const RunResult from_env = Dyad(search);
  unsetenv("DYAD_TOKEN");
  EXPECT_EQ(from_env.exit_code, 0) << from_env.err;
}

// RunDyad in-process with the environment of a terminal: bold and bars there, never in a pipe
// or with NO_COLOR.
TEST_F(CliTest, BoldHighlightsAndBlockBarsOnlyOnATerminal) {
  const std::vector<std::string> args = {"search", "Pakistan", "--facets",        "--limit",
                                         "2",      "--index",  dir_->Sub("index")};
  const auto run = [&](cli::Environment env, std::vector<std::string> extra = {}) {
    std::vector<std::string> all = args;
    all.insert(all.end(), extra.begin(), extra.end());
    std::ostringstream out, err;
    EXPECT_EQ(cli::RunDyad(all, env, out, err), 0) << err.str();
    return out.str();
  };
  cli::Environment terminal;
  terminal.terminal = true;
  const std::string on_terminal = run(terminal);
  EXPECT_NE(on_terminal.find("\x1b[1mPakistan\x1b[22m"), std::string::npos) << on_terminal;
  EXPECT_NE(on_terminal.find("\u2588"), std::string::npos);

  cli::Environment no_color = terminal;
  no_color.no_color = true;
  const std::string without_color = run(no_color);
  EXPECT_EQ(without_color.find('\x1b'), std::string::npos);
  EXPECT_NE(without_color.find("[Pakistan]"), std::string::npos);

  const std::string piped = run(cli::Environment{});
  EXPECT_EQ(piped.find('\x1b'), std::string::npos);
  EXPECT_EQ(piped.find("\u2588"), std::string::npos);
  EXPECT_NE(piped.find(" #"), std::string::npos) << piped;
  EXPECT_NE(run(cli::Environment{}, {"--color", "always"}).find("\x1b[1m"), std::string::npos);
}

}  // namespace
}  // namespace dyad
