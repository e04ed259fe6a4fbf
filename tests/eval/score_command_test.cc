// dyad-eval score through the real executable: output layout, JSON, exit codes and errors.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "dyad/v1/eval.pb.h"
#include "tests/testing/process.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

using testutil::RunCommand;
using testutil::RunResult;

class ScoreCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    qrels_ = dir_.Write("qrels.txt", "1 0 a 1\n1 0 b 0\n1 0 c 1\n2 0 d 1\n");
    run_ = dir_.Write("run.txt",
                      "1 Q0 a 1 3 myrun\n1 Q0 b 2 2 myrun\n1 Q0 c 3 1 myrun\n"
                      "2 Q0 e 1 1 myrun\n");
  }

  RunResult Score(std::vector<std::string> args) {
    args.insert(args.begin(), {DYAD_EVAL_BIN, "score"});
    return RunCommand(args);
  }

  testutil::TempDir dir_;
  std::string qrels_;
  std::string run_;
};

TEST_F(ScoreCommandTest, PrintsTrecEvalLayout) {
  const RunResult r = Score({qrels_, run_, "-q", "-m", "map", "-m", "num_ret", "-m", "runid"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Topic 1: relevant at ranks 1 and 3 -> (1 + 2/3) / 2; topic 2: nothing relevant found.
  EXPECT_EQ(r.out,
            "num_ret               \t1\t3\n"
            "map                   \t1\t0.8333\n"
            "num_ret               \t2\t1\n"
            "map                   \t2\t0.0000\n"
            "runid                 \tall\tmyrun\n"
            "num_ret               \tall\t4\n"
            "map                   \tall\t0.4167\n");
}

TEST_F(ScoreCommandTest, AttachedOptionValuesAsInTrecEval) {
  const RunResult r = Score({"-mP.1,2", "-M1", qrels_, run_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "P_1                   \tall\t0.5000\n"
            "P_2                   \tall\t0.2500\n");
}

TEST_F(ScoreCommandTest, JsonHasTopicsAndSummary) {
  const RunResult r = Score({qrels_, run_, "--format", "json", "-m", "map", "-m", "runid"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  v1::EvalReport report;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &report).ok()) << r.out;
  EXPECT_EQ(report.run_id(), "myrun");
  EXPECT_EQ(report.num_topics(), 2u);
  ASSERT_EQ(report.topics_size(), 2);
  EXPECT_EQ(report.topics(0).qid(), "1");
  ASSERT_EQ(report.topics(0).values_size(), 1);  // runid has no per-topic value.
  EXPECT_EQ(report.topics(0).values(0).measure(), "map");
  EXPECT_DOUBLE_EQ(report.topics(0).values(0).value(), (1.0 + 2.0 / 3) / 2);
  EXPECT_EQ(report.summary().qid(), "all");
  ASSERT_EQ(report.summary().values_size(), 2);
  EXPECT_EQ(report.summary().values(0).text(), "myrun");
  EXPECT_DOUBLE_EQ(report.summary().values(1).value(), (1.0 + 2.0 / 3) / 4);
}

TEST_F(ScoreCommandTest, MalformedRunLineNamesFileAndLineAndExits1) {
  const std::string bad = dir_.Write("bad.run", "1 Q0 a 1 3 t\n1 Q0 b 2\n");
  const RunResult r = Score({qrels_, bad});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find(bad + ":2: expected 6 fields"), std::string::npos) << r.err;
}

TEST_F(ScoreCommandTest, MalformedQrelsLineNamesFileAndLineAndExits1) {
  const std::string bad = dir_.Write("bad.qrels", "1 0 a 1\n\n1 0 b high\n");
  const RunResult r = Score({bad, run_});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(bad + ":3: relevance 'high' is not an integer"), std::string::npos) << r.err;
}

TEST_F(ScoreCommandTest, NoCommonTopicIsAnInputError) {
  const std::string other = dir_.Write("other.run", "9 Q0 a 1 3 t\n");
  const RunResult r = Score({qrels_, other});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no topic has both"), std::string::npos) << r.err;
}

TEST_F(ScoreCommandTest, MissingFileExits1) {
  const RunResult r = Score({qrels_, dir_.Sub("absent.run")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("absent.run"), std::string::npos) << r.err;
}

TEST_F(ScoreCommandTest, UsageErrorsExit2) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{qrels_},
                                             {qrels_, run_, "-m", "no_such_measure"},
                                             {qrels_, run_, "-M", "many"},
                                             {qrels_, run_, "--format", "xml"},
                                             {qrels_, run_, "--bogus"},
                                             {qrels_, run_, "-m"}}) {
    const RunResult r = Score(args);
    EXPECT_EQ(r.exit_code, 2) << args.back();
    EXPECT_NE(r.err.find("Usage: dyad-eval score"), std::string::npos);
  }
}

TEST_F(ScoreCommandTest, HelpDocumentsExitCodesAndExamples) {
  const RunResult r = Score({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Exit status: 0"), std::string::npos);
  EXPECT_NE(r.out.find("Examples:"), std::string::npos);
  const RunResult top = RunCommand({DYAD_EVAL_BIN, "--help"});
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_EQ(RunCommand({DYAD_EVAL_BIN, "frobnicate"}).exit_code, 2);
}

}  // namespace
}  // namespace dyad
