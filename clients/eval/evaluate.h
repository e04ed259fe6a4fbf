// Scores a run against qrels with a list of measures: per-topic values and their summary over
// topics, kept as numbers so later steps (printing, comparing two runs topic by topic) can reuse
// them.
#ifndef DYAD_CLIENTS_EVAL_EVALUATE_H_
#define DYAD_CLIENTS_EVAL_EVALUATE_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clients/eval/judgments.h"
#include "clients/eval/measures.h"
#include "core/status.h"

namespace dyad::eval {

// One printed value: "map", "P_10", "relstring" ...
struct ValueColumn {
  std::string name;
  std::string measure;  // The measure it belongs to ("P" for "P_10").
  ValueType type = ValueType::kDouble;
  Summary summary = Summary::kMean;
  bool per_topic = true;  // Has a meaningful per-topic value (trec_eval prints it with -q).
};

struct TopicValues {
  std::string qid;
  bool missing_from_run = false;   // In the qrels only; scored as an empty ranking (-c).
  std::vector<double> values;      // One per column; 0 for text columns. Geometric-mean columns
                                   // hold log(max(value, 0.00001)), as trec_eval accumulates.
  std::vector<std::string> texts;  // One per column; set only for text columns.
};

struct Evaluation {
  std::string run_id;
  std::vector<ValueColumn> columns;
  std::vector<TopicValues> topics;  // Evaluated topics in qrels order (byte order of ids).
  TopicValues summary;              // qid "all"; runid's text is the run id.
  long num_q = 0;                   // Topics averaged over.
  bool zscores = false;             // Values are z-scores (-Z).
};

// Reference means and standard deviations for z-scores (trec_eval -Z): lines of
// `qid measure_value_name mean stddev`.
struct ZScores {
  std::map<std::string, std::map<std::string, std::pair<double, double>>> by_qid;
};
StatusOr<ZScores> ParseZScores(std::string_view text, const std::string& source);
StatusOr<ZScores> ReadZScores(const std::string& path);

// Topics in the qrels and the run are scored; with options.average_complete every qrels topic
// is, a topic missing from the run counting as retrieving nothing. Topics only in the run are
// ignored. InvalidArgument if no topic can be scored. With `zscores`, every per-topic value is
// replaced by (value - mean) / stddev before averaging (-1000000 where no reference exists).
StatusOr<Evaluation> Evaluate(const Qrels& qrels, const Run& run,
                              const std::vector<Measure>& measures, const EvalOptions& options,
                              const ZScores* zscores = nullptr);

// Index of the column named `name` ("map", "P_10"), if any.
std::optional<std::size_t> FindColumn(const Evaluation& evaluation, std::string_view name);

}  // namespace dyad::eval

#endif  // DYAD_CLIENTS_EVAL_EVALUATE_H_
