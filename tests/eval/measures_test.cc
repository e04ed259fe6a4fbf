// Hand-computed values for the main measures on small rankings.
#include "clients/eval/measures.h"

#include <gtest/gtest.h>

#include <cmath>

#include "clients/eval/evaluate.h"

namespace dyad::eval {
namespace {

// Topic 1: judged a=1, b=0, c=2, d=1, e=0 (three relevant at level 1: a, c, d).
constexpr char kQrels[] =
    "1 0 a 1\n1 0 b 0\n1 0 c 2\n1 0 d 1\n1 0 e 0\n"
    "2 0 p 1\n2 0 q 0\n";
// Ranked by score: a(rel 1) x(not judged) c(rel 2) b(rel 0) d(rel 1). The rank column is
// deliberately wrong: it is ignored.
constexpr char kRun[] =
    "1 Q0 d 1 0.5 r\n1 Q0 a 2 0.9 r\n1 Q0 b 3 0.6 r\n1 Q0 x 4 0.8 r\n1 Q0 c 5 0.7 r\n";

Evaluation MustEvaluate(const std::string& qrels_text, const std::string& run_text,
                        const std::vector<std::string>& measures, EvalOptions options = {}) {
  auto qrels = ParseQrels(qrels_text, "qrels");
  auto run = ParseRun(run_text, "run");
  auto selected = SelectMeasures(measures);
  EXPECT_TRUE(qrels.ok() && run.ok() && selected.ok());
  auto evaluation = Evaluate(*qrels, *run, *selected, options);
  EXPECT_TRUE(evaluation.ok()) << evaluation.status().ToString();
  return *evaluation;
}

double TopicValue(const Evaluation& e, const std::string& qid, const std::string& name) {
  const auto column = FindColumn(e, name);
  EXPECT_TRUE(column.has_value()) << name;
  for (const TopicValues& topic : e.topics) {
    if (topic.qid == qid) return topic.values[*column];
  }
  ADD_FAILURE() << "no topic " << qid;
  return NAN;
}

double SummaryValue(const Evaluation& e, const std::string& name) {
  const auto column = FindColumn(e, name);
  EXPECT_TRUE(column.has_value()) << name;
  return e.summary.values[*column];
}

TEST(RankTopic, SortsByScoreThenDocnoDescendingAndMarksUnjudged) {
  auto qrels = ParseQrels("1 0 a 1\n1 0 b -1\n1 0 c 0\n", "q");
  auto run = ParseRun("1 Q0 a 1 1.0 r\n1 Q0 c 2 1.0 r\n1 Q0 b 3 1.0 r\n1 Q0 z 4 2.0 r\n", "r");
  ASSERT_TRUE(qrels.ok() && run.ok());
  const RankedTopic t = RankTopic(qrels->topics.at("1"), run->topics.at("1"), EvalOptions{});
  // z (score 2) first, then the ties at 1.0 as c, b, a.
  EXPECT_EQ(t.rels, (std::vector<long>{kNotInPool, 0, kUnjudged, 1}));
  EXPECT_EQ(t.num_ret, 4);
  EXPECT_EQ(t.num_rel, 1);
  EXPECT_EQ(t.num_rel_ret, 1);
  EXPECT_EQ(t.num_nonpool, 1);
  EXPECT_EQ(t.num_unjudged_in_pool, 1);
  EXPECT_EQ(t.rel_levels, (std::vector<long>{1, 1}));
}

TEST(Measures, TieBreakingDecidesReciprocalRank) {
  // All tied: ranked c, b, a; the relevant a comes third.
  const Evaluation e =
      MustEvaluate("1 0 a 1\n", "1 Q0 a 1 3 r\n1 Q0 b 2 3 r\n1 Q0 c 3 3 r\n", {"recip_rank"});
  EXPECT_DOUBLE_EQ(TopicValue(e, "1", "recip_rank"), 1.0 / 3);
}

TEST(Measures, AveragePrecision) {
  const Evaluation e = MustEvaluate(kQrels, kRun, {"map"});
  // Relevant at ranks 1, 3, 5: (1/1 + 2/3 + 3/5) / 3.
  EXPECT_DOUBLE_EQ(TopicValue(e, "1", "map"), (1.0 + 2.0 / 3 + 3.0 / 5) / 3);
  // Topic 2 has no results: not averaged without -c.
  EXPECT_EQ(e.num_q, 1);
}

TEST(Measures, PrecisionAtCutoffsFillsWithNonRelevant) {
  const Evaluation e = MustEvaluate(kQrels, kRun, {"P.2,5,10"});
  EXPECT_DOUBLE_EQ(TopicValue(e, "1", "P_2"), 0.5);
  EXPECT_DOUBLE_EQ(TopicValue(e, "1", "P_5"), 0.6);
  EXPECT_DOUBLE_EQ(TopicValue(e, "1", "P_10"), 0.3);
}

TEST(Measures, RprecAndRecall) {
  const Evaluation e = MustEvaluate(kQrels, kRun, {"Rprec", "recall.1,3"});
  EXPECT_DOUBLE_EQ(TopicValue(e, "1", "Rprec"), 2.0 / 3);  // Top 3: a, x, c.
  EXPECT_DOUBLE_EQ(TopicValue(e, "1", "recall_1"), 1.0 / 3);
  EXPECT_DOUBLE_EQ(TopicValue(e, "1", "recall_3"), 2.0 / 3);
}

TEST(Measures, BprefCountsOnlyJudgedNonRelevantAbove) {
  const Evaluation e = MustEvaluate(kQrels, kRun, {"bpref"});
  // a: none above -> 1; c: none (x is unjudged) -> 1; d: b above -> 1 - 1/min(2 nonrel, 3 rel).
  EXPECT_DOUBLE_EQ(TopicValue(e, "1", "bpref"), (1.0 + 1.0 + (1.0 - 1.0 / 2)) / 3);
}

TEST(Measures, NdcgUsesRelevanceValuesAsGains) {
  const Evaluation e = MustEvaluate(kQrels, kRun, {"ndcg", "ndcg_cut.1,3"});
  const double dcg = 1.0 + 2.0 / std::log2(4) + 1.0 / std::log2(6);
  const double ideal = 2.0 + 1.0 / std::log2(3) + 1.0 / std::log2(4);
  EXPECT_NEAR(TopicValue(e, "1", "ndcg"), dcg / ideal, 1e-12);
  EXPECT_NEAR(TopicValue(e, "1", "ndcg_cut_1"), 1.0 / 2.0, 1e-12);
  EXPECT_NEAR(TopicValue(e, "1", "ndcg_cut_3"),
              (1.0 + 2.0 / std::log2(4)) / (2.0 + 1.0 / std::log2(3) + 1.0 / std::log2(4)), 1e-12);
}

TEST(Measures, NdcgGainParameters) {
  // Level 1 gains 3, level 2 gains 9.
  const Evaluation e = MustEvaluate(kQrels, kRun, {"ndcg.1=3,2=9"});
  ASSERT_EQ(e.columns[0].name, "ndcg_1=3,2=9");
  const double dcg = 3.0 + 9.0 / std::log2(4) + 3.0 / std::log2(6);
  const double ideal = 9.0 + 3.0 / std::log2(3) + 3.0 / std::log2(4);
  EXPECT_NEAR(TopicValue(e, "1", "ndcg_1=3,2=9"), dcg / ideal, 1e-12);
}

TEST(Measures, RelevanceLevelRaisesTheBar) {
  EvalOptions options;
  options.relevance_level = 2;
  const Evaluation e = MustEvaluate(kQrels, kRun, {"map", "num_rel"}, options);
  EXPECT_DOUBLE_EQ(TopicValue(e, "1", "map"), 1.0 / 3);  // Only c, at rank 3.
  EXPECT_EQ(TopicValue(e, "1", "num_rel"), 1);
}

TEST(Measures, MaxDocsPerTopicTruncatesTheRanking) {
  EvalOptions options;
  options.max_docs_per_topic = 2;
  const Evaluation e = MustEvaluate(kQrels, kRun, {"num_ret", "P.5"}, options);
  EXPECT_EQ(TopicValue(e, "1", "num_ret"), 2);
  EXPECT_DOUBLE_EQ(TopicValue(e, "1", "P_5"), 1.0 / 5);
}

TEST(Measures, CompleteAveragingCountsMissingTopicsAsZero) {
  EvalOptions options;
  options.average_complete = true;
  const Evaluation e = MustEvaluate(kQrels, kRun, {"num_q", "num_ret", "num_rel", "map"}, options);
  EXPECT_EQ(e.num_q, 2);
  EXPECT_TRUE(e.topics[1].missing_from_run);
  EXPECT_EQ(TopicValue(e, "2", "num_ret"), 0);
  EXPECT_EQ(TopicValue(e, "2", "map"), 0);
  EXPECT_EQ(SummaryValue(e, "num_q"), 2);
  EXPECT_EQ(SummaryValue(e, "num_rel"), 4);  // Sum: 3 + 1.
  EXPECT_DOUBLE_EQ(SummaryValue(e, "map"), (1.0 + 2.0 / 3 + 3.0 / 5) / 3 / 2);
}

TEST(Measures, GeometricMeanFloorsZeroAt0_00001) {
  const std::string run = std::string(kRun) + "2 Q0 q 1 1 r\n";  // Topic 2: map 0.
  const Evaluation e = MustEvaluate(kQrels, run, {"map", "gm_map"});
  const double ap = (1.0 + 2.0 / 3 + 3.0 / 5) / 3;
  EXPECT_NEAR(SummaryValue(e, "gm_map"), std::sqrt(ap * 0.00001), 1e-15);
  EXPECT_FALSE(e.columns[1].per_topic);
}

TEST(Measures, RelstringShowsJudgmentsOfTheTopDocuments) {
  const Evaluation e = MustEvaluate(kQrels, kRun, {"relstring.4"});
  ASSERT_EQ(e.columns[0].name, "relstring_4");
  EXPECT_EQ(e.topics[0].texts[0], "1-20");
}

TEST(SelectMeasures, DefaultIsOfficialInTrecEvalOrder) {
  auto measures = SelectMeasures({});
  ASSERT_TRUE(measures.ok());
  std::vector<std::string> names;
  for (const Measure& m : *measures) names.push_back(MeasureName(m));
  EXPECT_EQ(names, (std::vector<std::string>{"runid", "num_q", "num_ret", "num_rel", "num_rel_ret",
                                             "map", "gm_map", "Rprec", "bpref", "recip_rank",
                                             "iprec_at_recall", "P"}));
}

TEST(SelectMeasures, ParametersSortAndNameTheValues) {
  auto measures = SelectMeasures({"ndcg_cut.10,20,23.4", "P.5,7,3", "iprec_at_recall..5,.25"});
  ASSERT_TRUE(measures.ok()) << measures.status().ToString();
  ASSERT_EQ(measures->size(), 3u);
  // trec_eval's order: iprec_at_recall, P, ndcg_cut.
  EXPECT_EQ((*measures)[0].value_names,
            (std::vector<std::string>{"iprec_at_recall_0.25", "iprec_at_recall_0.50"}));
  EXPECT_EQ((*measures)[1].value_names, (std::vector<std::string>{"P_3", "P_5", "P_7"}));
  EXPECT_EQ((*measures)[2].value_names,
            (std::vector<std::string>{"ndcg_cut_10", "ndcg_cut_20", "ndcg_cut_23"}));
}

TEST(SelectMeasures, RejectsUnknownAndMalformed) {
  for (const char* spec : {"nope", "P.0,5", "P.5,5", "ndcg.1", "map.3", "utility.1,2", "P."}) {
    auto measures = SelectMeasures({spec});
    EXPECT_FALSE(measures.ok()) << spec;
  }
}

TEST(MeasureOfValueName, FindsTheLongestMeasureName) {
  EXPECT_EQ(MeasureOfValueName("ndcg_cut_10"), "ndcg_cut");
  EXPECT_EQ(MeasureOfValueName("ndcg"), "ndcg");
  EXPECT_EQ(MeasureOfValueName("set_relative_P"), "set_relative_P");
  EXPECT_EQ(MeasureOfValueName("utility_2,-1,0,0"), "utility");
  EXPECT_EQ(MeasureOfValueName("prefs_simp"), "");
}

}  // namespace
}  // namespace dyad::eval
