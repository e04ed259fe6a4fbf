// dyad-eval run through the real executables: an index of the bundled corpus, searched
// in-process and through dyad-searchd, from topic files in every layout.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "dyad/v1/eval.pb.h"
#include "tests/testing/process.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

using testutil::Daemon;
using testutil::RunCommand;
using testutil::RunResult;

// The same five topics in each layout. Topic 3 is full of query syntax.
constexpr char kTsv[] =
    "1\tPakistan Russia relations\n"
    "2\tnuclear arms control\n"
    "3\t\"Soviet Union\" AND title:union NOT (-war) 1947..1991 country:nowhere\n"
    "4\teconomy taxes budget\n"
    "5\tslavery and the union\n";
constexpr char kTrec[] =
    "<top>\n<num> Number: 1\n<title> Pakistan Russia relations\n<desc> Description:\n"
    "Ties between Islamabad and Moscow.\n</top>\n"
    "<top>\n<num> Number: 2\n<title> nuclear arms control\n</top>\n"
    "<top>\n<num> Number: 3\n<title> \"Soviet Union\" AND title:union NOT (-war) 1947..1991 "
    "country:nowhere\n</top>\n"
    "<top>\n<num> Number: 4\n<title> economy taxes budget\n</top>\n"
    "<top>\n<num> Number: 5\n<title> slavery and the union\n</top>\n";
constexpr char kSmart[] =
    ".I 1\n.W\nPakistan Russia\nrelations\n.I 2\n.T\nignored title\n.W\nnuclear arms control\n"
    ".I 3\n.W\n\"Soviet Union\" AND title:union NOT (-war) 1947..1991 country:nowhere\n"
    ".I 4\n.W\neconomy taxes budget\n.I 5\n.W\nslavery and the union\n";
constexpr char kGlasgow[] =
    "*FIND    1\n\n Pakistan Russia relations\n\n*FIND    2\n\n nuclear arms control\n\n"
    "*FIND    3\n\n \"Soviet Union\" AND title:union NOT (-war) 1947..1991 country:nowhere\n\n"
    "*FIND    4\n\n economy taxes budget\n\n*FIND    5\n\n slavery and the union\n\n*STOP\n";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Checks the TREC run layout; returns lines per topic.
std::map<std::string, int> CheckRunLayout(const std::string& run, const std::string& tag) {
  std::map<std::string, int> per_topic;
  std::istringstream in(run);
  std::string line;
  double previous_score = 0;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string qid, q0, docno, tag_read, extra;
    int rank = 0;
    double score = 0;
    fields >> qid >> q0 >> docno >> rank >> score >> tag_read;
    EXPECT_FALSE(fields >> extra) << line;
    EXPECT_EQ(q0, "Q0") << line;
    EXPECT_EQ(tag_read, tag) << line;
    EXPECT_FALSE(docno.empty()) << line;
    const int expected_rank = ++per_topic[qid];
    EXPECT_EQ(rank, expected_rank) << line;
    if (rank > 1) {
      EXPECT_LE(score, previous_score) << line;  // Dyad's order: best first.
    }
    previous_score = score;
  }
  return per_topic;
}

class RunCommandTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testutil::TempDir();
    const RunResult build =
        RunCommand({DYAD_INDEX_BIN, "build", DYAD_SOURCE_DIR "/corpus/articles",
                    DYAD_SOURCE_DIR "/corpus/sotu", "--index", dir_->Sub("index"), "--quiet"});
    ASSERT_EQ(build.exit_code, 0) << build.err;
  }
  static void TearDownTestSuite() { delete dir_; }

  static RunResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {DYAD_EVAL_BIN, "run"});
    return RunCommand(args);
  }
  static std::string Index() { return dir_->Sub("index"); }

  static testutil::TempDir* dir_;
};

testutil::TempDir* RunCommandTest::dir_ = nullptr;

TEST_F(RunCommandTest, IndexAndServerGiveIdenticalRuns) {
  const std::string topics = dir_->Write("topics.tsv", kTsv);
  const RunResult local =
      Run({"--topics", topics, "--index", Index(), "--out", dir_->Sub("local.run"), "--tag", "t1",
           "--threads", "2", "--depth", "30"});
  ASSERT_EQ(local.exit_code, 0) << local.err;
  const std::string local_run = ReadFile(dir_->Sub("local.run"));
  const std::map<std::string, int> counts = CheckRunLayout(local_run, "t1");
  ASSERT_EQ(counts.size(), 5u) << local_run;
  EXPECT_GT(counts.at("1"), 10);
  EXPECT_NE(local.out.find("5 topics, 5 searched, 5 with results"), std::string::npos) << local.out;
  // The seed article answers topic 1 first.
  EXPECT_EQ(local_run.substr(0, local_run.find('\n')).substr(0, 25), "1 Q0 pak-russia-relations");

  Daemon daemon(Index(), {"--threads", "2"});
  // Several connections and pipeline depths, including more in flight than topics.
  for (const auto& [threads, pipeline] :
       std::vector<std::pair<std::string, std::string>>{{"1", "1"}, {"2", "3"}, {"3", "16"}}) {
    const std::string out = dir_->Sub("server-" + threads + ".run");
    const RunResult remote =
        Run({"--topics", topics, "--server", daemon.address(), "--out", out, "--tag", "t1",
             "--threads", threads, "--pipeline", pipeline, "--depth", "30"});
    ASSERT_EQ(remote.exit_code, 0) << remote.err;
    EXPECT_EQ(ReadFile(out), local_run) << "threads " << threads << " pipeline " << pipeline;
  }
  EXPECT_EQ(daemon.Stop(), 0);
}

TEST_F(RunCommandTest, RankingChoosesTheConfigurationInProcessAndThroughTheDaemon) {
  const std::string topics = dir_->Write("ranking.tsv", kTsv);
  const auto run = [&](const std::vector<std::string>& extra, const std::string& out) {
    std::vector<std::string> args = {"--topics", topics, "--out", dir_->Sub(out), "--depth", "20"};
    args.insert(args.end(), extra.begin(), extra.end());
    const RunResult result = Run(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return ReadFile(dir_->Sub(out));
  };
  const std::string by_default = run({"--index", Index()}, "r-default.run");
  const std::string named = run({"--index", Index(), "--ranking", "default"}, "r-named.run");
  const std::string bm25 = run({"--index", Index(), "--ranking", "bm25"}, "r-bm25.run");
  EXPECT_EQ(by_default, named);
  EXPECT_NE(bm25, named);  // Other scores at least.
  Daemon daemon(Index(), {"--threads", "1"});
  EXPECT_EQ(run({"--server", daemon.address(), "--ranking", "bm25"}, "r-bm25-remote.run"), bm25);
  EXPECT_EQ(daemon.Stop(), 0);

  const RunResult unknown = Run({"--topics", topics, "--index", Index(), "--out",
                                 dir_->Sub("r-unknown.run"), "--ranking", "bm99"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("unknown ranking 'bm99'"), std::string::npos) << unknown.err;
  const RunResult empty = Run(
      {"--topics", topics, "--index", Index(), "--out", dir_->Sub("r-empty.run"), "--ranking="});
  EXPECT_EQ(empty.exit_code, 2) << empty.err;
}

TEST_F(RunCommandTest, EveryTopicLayoutGivesTheSameRun) {
  const RunResult tsv = Run({"--topics", dir_->Write("t.tsv", kTsv), "--index", Index(), "--out",
                             dir_->Sub("tsv.run"), "--depth", "20"});
  ASSERT_EQ(tsv.exit_code, 0) << tsv.err;
  const std::string expected = ReadFile(dir_->Sub("tsv.run"));
  const std::pair<const char*, const char*> layouts[] = {
      {"t.trec", kTrec}, {"t.qry", kSmart}, {"t.que", kGlasgow}};
  for (const auto& [name, content] : layouts) {
    const std::string out = dir_->Sub(std::string(name) + ".run");
    const RunResult r = Run({"--topics", dir_->Write(name, content), "--index", Index(), "--out",
                             out, "--depth", "20"});
    ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
    EXPECT_EQ(ReadFile(out), expected) << name;
  }
  // Forcing a layout works the same; a wrong one reads nothing.
  EXPECT_EQ(Run({"--topics", dir_->Sub("t.qry"), "--topics-format", "smart", "--index", Index(),
                 "--out", dir_->Sub("forced.run"), "--depth", "20"})
                .exit_code,
            0);
  EXPECT_EQ(ReadFile(dir_->Sub("forced.run")), expected);
  const RunResult wrong =
      Run({"--topics", dir_->Sub("t.qry"), "--topics-format", "glasgow", "--index", Index(),
           "--out", dir_->Sub("wrong.run"), "--depth", "5"});
  EXPECT_EQ(wrong.exit_code, 1);
}

TEST_F(RunCommandTest, FieldsDepthJsonAndStandardOutput) {
  const std::string topics = dir_->Write("f.trec", kTrec);
  const RunResult title = Run(
      {"--topics", topics, "--index", Index(), "--out", "-", "--depth", "3", "--format", "json"});
  ASSERT_EQ(title.exit_code, 0) << title.err;
  const std::map<std::string, int> counts = CheckRunLayout(title.out, "dyad");
  for (const auto& [qid, n] : counts) EXPECT_EQ(n, 3) << qid;
  // With --out -, the summary goes to standard error.
  v1::EvalRunSummary summary;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(title.err, &summary).ok()) << title.err;
  EXPECT_EQ(summary.mode(), "index");
  EXPECT_EQ(summary.topics(), 5u);
  EXPECT_EQ(summary.topics_searched(), 5u);
  EXPECT_EQ(summary.lines(), 15u);
  EXPECT_TRUE(summary.problems().empty());

  const RunResult both = Run({"--topics", topics, "--index", Index(), "--out", "-", "--depth", "3",
                              "--fields", "title,desc"});
  ASSERT_EQ(both.exit_code, 0) << both.err;
  EXPECT_NE(both.out, title.out);  // Topic 1's description adds words.
  const RunResult desc_only = Run({"--topics", topics, "--index", Index(), "--out",
                                   dir_->Sub("desc.run"), "--fields", "desc", "--depth", "5"});
  EXPECT_EQ(desc_only.exit_code, 1);  // Topics 2-5 have no description: reported, left out.
  EXPECT_NE(desc_only.err.find("f.trec:7: topic 2 has no text in the fields desc"),
            std::string::npos)
      << desc_only.err;
  EXPECT_EQ(CheckRunLayout(ReadFile(dir_->Sub("desc.run")), "dyad").size(), 1u);
}

TEST_F(RunCommandTest, BadTopicsAreReportedAndTheOthersRun) {
  const std::string topics =
      dir_->Write("bad.tsv", "1\tnuclear arms\nno tab here\n1\tduplicate\n2\t   \n3\tbudget\n");
  const RunResult r =
      Run({"--topics", topics, "--index", Index(), "--out", dir_->Sub("bad.run"), "--depth", "5"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("bad.tsv:2: expected 'qid<TAB>query'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bad.tsv:3: topic 1 appears twice"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bad.tsv:4: topic 2 has no text"), std::string::npos) << r.err;
  const std::map<std::string, int> counts = CheckRunLayout(ReadFile(dir_->Sub("bad.run")), "dyad");
  EXPECT_EQ(counts.size(), 2u);
  EXPECT_TRUE(counts.contains("1") && counts.contains("3"));

  // A query over the engine's 4096-byte limit is cut, with a warning, and still runs.
  std::string long_query = "5\t";
  for (int i = 0; i < 700; ++i) long_query += "budget ";
  const RunResult cut = Run({"--topics", dir_->Write("long.tsv", long_query + "\n"), "--index",
                             Index(), "--out", dir_->Sub("long.run"), "--depth", "2"});
  EXPECT_EQ(cut.exit_code, 0) << cut.err;
  EXPECT_NE(cut.err.find("long.tsv:1: warning: the query of topic 5 is cut"), std::string::npos)
      << cut.err;
}

TEST_F(RunCommandTest, UsageAndConnectionErrors) {
  const std::string topics = dir_->Write("u.tsv", kTsv);
  const std::string out = dir_->Sub("u.run");
  struct Case {
    std::vector<std::string> args;
    int exit_code;
    const char* message;
  };
  const Case cases[] = {
      {{"--index", Index(), "--out", out}, 2, "--topics FILE is required"},
      {{"--topics", topics, "--index", Index()}, 2, "--out RUN is required"},
      {{"--topics", topics, "--out", out}, 2, "exactly one of --index"},
      {{"--topics", topics, "--index", Index(), "--server", "127.0.0.1:1", "--out", out},
       2,
       "exactly one of --index"},
      {{"--topics", topics, "--index", Index(), "--out", out, "--depth", "0"}, 2, "--depth"},
      {{"--topics", topics, "--index", Index(), "--out", out, "--tag", "two words"}, 2, "one word"},
      {{"--topics", topics, "--server", "nohost", "--out", out}, 2, "HOST:PORT"},
      {{"--topics", topics, "--index", Index(), "--out", out, "--frobnicate"}, 2, "unknown"},
      {{"--topics", dir_->Sub("missing.tsv"), "--index", Index(), "--out", out}, 1, "missing.tsv"},
      {{"--topics", topics, "--index", dir_->Sub("no-index"), "--out", out}, 1, "no index at"},
      {{"--topics", topics, "--server", "127.0.0.1:1", "--out", out}, 1, "cannot connect"},
      {{"--topics", topics, "--index", Index(), "--out", dir_->Sub("no/such/dir/x.run")},
       1,
       "cannot create"},
  };
  for (const Case& c : cases) {
    const RunResult r = Run(c.args);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.message << "\n" << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.message << "\n" << r.err;
  }
  const RunResult help = Run({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("Examples:"), std::string::npos);
  EXPECT_NE(help.out.find("Exit status"), std::string::npos);
}

}  // namespace
}  // namespace dyad
