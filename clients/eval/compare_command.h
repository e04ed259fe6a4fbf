// `dyad-eval compare`: two runs scored against the same qrels, topic by topic, with a paired
// t-test and a paired randomisation test of the differences (B - A).
#ifndef DYAD_CLIENTS_EVAL_COMPARE_COMMAND_H_
#define DYAD_CLIENTS_EVAL_COMPARE_COMMAND_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "clients/eval/judgments.h"
#include "clients/eval/measures.h"
#include "core/status.h"
#include "dyad/v1/eval.pb.h"

namespace dyad::eval {

struct CompareOptions {
  EvalOptions eval;  // -l, -M; eval.average_complete is -c.
  std::uint32_t permutations = 10000;
  std::uint64_t seed = 1;
};

// Scores both runs with `measures` (trec_eval's per-topic values) and compares every per-topic
// numeric value (map, P_10, ...; not runid, relstring or the geometric means). The topics are
// those of the qrels that appear in at least one run (every qrels topic with -c); a topic
// missing from one run scores there as retrieving nothing, as trec_eval -c scores it.
// InvalidArgument when no topic is in both the qrels and a run, or no measure has per-topic
// numbers.
StatusOr<v1::EvalComparison> CompareRuns(const Qrels& qrels, const Run& a, const Run& b,
                                         const std::vector<Measure>& measures,
                                         const CompareOptions& options);

// The text report: per measure a summary block, then (with per_topic) a table of topics.
void WriteComparisonText(const v1::EvalComparison& comparison, bool per_topic, std::ostream& out);

const char* CompareUsage();

// Runs `dyad-eval compare ARGS...` (args without "compare"). Returns the exit status.
int RunCompareCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace dyad::eval

#endif  // DYAD_CLIENTS_EVAL_COMPARE_COMMAND_H_
