// dyad-eval compare: per-topic values from the score library, statistics, layouts, exit codes.
#include "clients/eval/compare_command.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <cmath>

#include "clients/eval/statistics.h"
#include "tests/testing/process.h"
#include "tests/testing/temp_dir.h"

namespace dyad::eval {
namespace {

using testutil::RunCommand;
using testutil::RunResult;

// Three judged topics (1, 2, 3) and topic 4 judged but retrieved by neither run.
constexpr char kQrels[] =
    "1 0 a 1\n1 0 b 1\n1 0 c 0\n"
    "2 0 d 1\n2 0 e 0\n"
    "3 0 f 1\n3 0 g 1\n"
    "4 0 h 1\n";
// A: topic 1 AP (1/1 + 2/3)/2 = 0.8333; topic 2 AP 1/2; topic 3 AP 1/2 (f at 1, g missing).
constexpr char kRunA[] =
    "1 Q0 a 1 3 runA\n1 Q0 c 2 2 runA\n1 Q0 b 3 1 runA\n"
    "2 Q0 e 1 2 runA\n2 Q0 d 2 1 runA\n"
    "3 Q0 f 1 1 runA\n";
// B: topic 1 AP 1; topic 2 AP 1; topic 3 missing from B (AP 0).
constexpr char kRunB[] =
    "1 Q0 b 1 3 runB\n1 Q0 a 2 2 runB\n"
    "2 Q0 d 1 2 runB\n2 Q0 e 2 1 runB\n";

class CompareTest : public ::testing::Test {
 protected:
  void SetUp() override {
    qrels_ = dir_.Write("qrels.txt", kQrels);
    a_ = dir_.Write("a.run", kRunA);
    b_ = dir_.Write("b.run", kRunB);
  }
  RunResult Compare(std::vector<std::string> args) {
    args.insert(args.begin(), {DYAD_EVAL_BIN, "compare"});
    return RunCommand(args);
  }
  static v1::EvalComparison ParseJson(const std::string& text) {
    v1::EvalComparison comparison;
    const auto status = google::protobuf::util::JsonStringToMessage(text, &comparison);
    EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << text;
    return comparison;
  }

  testutil::TempDir dir_;
  std::string qrels_, a_, b_;
};

TEST_F(CompareTest, PerTopicValuesAndStatisticsInJson) {
  const RunResult r = Compare({qrels_, a_, b_, "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const v1::EvalComparison c = ParseJson(r.out);
  EXPECT_EQ(c.run_id_a(), "runA");
  EXPECT_EQ(c.run_id_b(), "runB");
  ASSERT_EQ(c.measures_size(), 1);
  const v1::EvalMeasureComparison& map = c.measures(0);
  EXPECT_EQ(map.measure(), "map");
  // Topic 4 is in neither run: left out. Topic 3 is missing from B only: AP 0 there.
  ASSERT_EQ(map.num_topics(), 3u);
  const double a[] = {(1 + 2.0 / 3) / 2, 0.5, 0.5};
  const double b[] = {1, 1, 0};
  const char* qids[] = {"1", "2", "3"};
  for (int t = 0; t < 3; ++t) {
    EXPECT_EQ(map.topics(t).qid(), qids[t]);
    EXPECT_NEAR(map.topics(t).a(), a[t], 1e-12);
    EXPECT_NEAR(map.topics(t).b(), b[t], 1e-12);
    EXPECT_NEAR(map.topics(t).difference(), b[t] - a[t], 1e-12);
  }
  EXPECT_FALSE(map.topics(2).missing_from_a());
  EXPECT_TRUE(map.topics(2).missing_from_b());
  EXPECT_NEAR(map.mean_a(), (a[0] + a[1] + a[2]) / 3, 1e-12);
  EXPECT_NEAR(map.mean_b(), 2.0 / 3, 1e-12);
  EXPECT_EQ(map.wins(), 2u);
  EXPECT_EQ(map.ties(), 0u);
  EXPECT_EQ(map.losses(), 1u);
  // d = 1/6, 1/2, -1/2: mean 1/18, sd 0.5091751, t = 0.18898224 (df 2); by the df-2 closed
  // form p = 1 - t / sqrt(2 + t^2) = 0.86754...
  const double t = map.t_statistic();
  EXPECT_NEAR(t,
              (1.0 / 18) / (std::sqrt((std::pow(1.0 / 6 - 1.0 / 18, 2) +
                                       std::pow(0.5 - 1.0 / 18, 2) + std::pow(-0.5 - 1.0 / 18, 2)) /
                                      2) /
                            std::sqrt(3.0)),
              1e-12);
  EXPECT_EQ(map.degrees_of_freedom(), 2);
  EXPECT_NEAR(map.t_test_p_value(), 1 - t / std::sqrt(2 + t * t), 1e-12);
  // Exact randomisation: of the 8 sign patterns, |sum| >= 1/6 for all but (+,+,-),(-,-,+)
  // whose |sum| is 1/6 too, so every pattern counts: p = 1.
  EXPECT_NEAR(map.randomization_p_value(), 1.0, 1e-12);
  EXPECT_EQ(map.permutations(), 10000u);
  EXPECT_EQ(map.seed(), 1u);
}

TEST_F(CompareTest, CompleteTopicsAndSeveralMeasures) {
  const RunResult r =
      Compare({qrels_, a_, b_, "-c", "-m", "P_1", "-m", "recip_rank", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const v1::EvalComparison c = ParseJson(r.out);
  ASSERT_EQ(c.measures_size(), 2);
  EXPECT_EQ(c.measures(0).measure(), "recip_rank");  // trec_eval's measure order.
  EXPECT_EQ(c.measures(1).measure(), "P_1");
  EXPECT_EQ(c.measures(1).num_topics(), 4u);  // -c: topic 4 too, 0 in both (a tie).
  EXPECT_EQ(c.measures(1).ties(), 2u);        // Topics 1 (1 vs 1) and 4 (0 vs 0).
  EXPECT_EQ(c.measures(1).wins(), 1u);        // Topic 2: e (non-relevant) vs d first.
  EXPECT_EQ(c.measures(1).losses(), 1u);      // Topic 3: B has nothing.
}

TEST_F(CompareTest, TextReport) {
  const RunResult r = Compare({qrels_, a_, b_, "-m", "map", "--seed", "5"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("A: " + a_ + " (runA)\nB: " + b_ + " (runB)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("topics: 3; randomisation test: 10000 permutations, seed 5"),
            std::string::npos);
  EXPECT_NE(r.out.find("map             0.6111   0.6667   +0.0556   +9.1%    2/0/1"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("3           0.5000   0.0000*  -0.5000\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("* not in that run"), std::string::npos);
  const RunResult brief = Compare({qrels_, a_, b_, "--no-topics"});
  ASSERT_EQ(brief.exit_code, 0);
  EXPECT_EQ(brief.out.find("per topic"), std::string::npos);
}

TEST_F(CompareTest, ErrorsAndExitCodes) {
  EXPECT_EQ(Compare({qrels_, a_}).exit_code, 2);
  EXPECT_EQ(Compare({qrels_, a_, b_, "-m", "nonsense"}).exit_code, 2);
  EXPECT_EQ(Compare({qrels_, a_, b_, "--permutations", "0"}).exit_code, 2);
  EXPECT_EQ(Compare({qrels_, a_, b_, "--bogus"}).exit_code, 2);
  const RunResult relstring = Compare({qrels_, a_, b_, "-m", "relstring"});
  EXPECT_EQ(relstring.exit_code, 1);
  EXPECT_NE(relstring.err.find("has per-topic values"), std::string::npos) << relstring.err;
  const RunResult missing = Compare({qrels_, a_, dir_.Sub("none.run")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("none.run"), std::string::npos);
  const std::string bad = dir_.Write("bad.run", "1 Q0 a 1 3 runA\n1 Q0 b\n");
  const RunResult malformed = Compare({qrels_, a_, bad});
  EXPECT_EQ(malformed.exit_code, 1);
  EXPECT_NE(malformed.err.find("bad.run:2:"), std::string::npos) << malformed.err;
  const std::string other = dir_.Write("other.run", "9 Q0 a 1 3 x\n");
  EXPECT_EQ(Compare({qrels_, other, other}).exit_code, 1);
  const RunResult help = Compare({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("Examples:"), std::string::npos);
}

TEST(CompareRuns, UsesTheScoreLibrarysPerTopicValues) {
  StatusOr<Qrels> qrels = ParseQrels(kQrels, "q");
  StatusOr<eval::Run> a = ParseRun(kRunA, "a");
  StatusOr<eval::Run> b = ParseRun(kRunB, "b");
  ASSERT_TRUE(qrels.ok() && a.ok() && b.ok());
  StatusOr<std::vector<Measure>> measures = SelectMeasures({"map", "P.2"});
  ASSERT_TRUE(measures.ok());
  CompareOptions options;
  options.permutations = 500;
  options.seed = 3;
  StatusOr<v1::EvalComparison> c = CompareRuns(*qrels, *a, *b, *measures, options);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->measures_size(), 2);
  const v1::EvalMeasureComparison& p2 = c->measures(1);
  EXPECT_EQ(p2.measure(), "P_2");
  EXPECT_NEAR(p2.topics(0).a(), 0.5, 1e-12);  // a, c: one relevant of two.
  EXPECT_NEAR(p2.topics(0).b(), 1.0, 1e-12);
  EXPECT_EQ(p2.permutations(), 500u);
  std::vector<double> va, vb;
  for (const auto& t : p2.topics()) {
    va.push_back(t.a());
    vb.push_back(t.b());
  }
  EXPECT_EQ(p2.randomization_p_value(), RandomizationTest(va, vb, 500, 3));
  EXPECT_EQ(p2.t_test_p_value(), PairedTTest(va, vb).p_value);
}

}  // namespace
}  // namespace dyad::eval
