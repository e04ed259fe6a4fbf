// trec_eval's relevance measures, computed exactly as trec_eval 9.x/10.x computes them (same
// definitions, tie-breaking, parameter syntax, value names and averaging), so that dyad-eval's
// output can be compared line by line with trec_eval's. docs/evaluation.md defines each measure.
#ifndef DYAD_CLIENTS_EVAL_MEASURES_H_
#define DYAD_CLIENTS_EVAL_MEASURES_H_

#include <climits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clients/eval/judgments.h"
#include "core/status.h"

namespace dyad::eval {

struct EvalOptions {
  long relevance_level = 1;            // -l: minimum rel value that counts as relevant.
  long max_docs_per_topic = LONG_MAX;  // -M: only the top N documents of each topic count.
  bool average_complete = false;       // -c: average over every qrels topic.
  long num_docs_in_coll = 0;           // -N: collection size, for utility's 4th term.
};

// Relevance of a retrieved document that is not in the qrels, and of one that is in the qrels
// with a negative rel (pooled but unjudged).
inline constexpr long kNotInPool = -1;
inline constexpr long kUnjudged = -2;

// One topic's ranking with its judgments, the input of every measure (trec_eval's RES_RELS).
struct RankedTopic {
  std::vector<long> rels;  // rels[i]: relevance of the document at rank i+1.
  long num_ret = 0;
  long num_rel = 0;  // Judged documents with rel >= relevance_level.
  long num_rel_ret = 0;
  long num_nonpool = 0;
  long num_unjudged_in_pool = 0;
  std::vector<long> rel_levels;  // rel_levels[r]: judged documents with rel == r (r >= 0).
  long num_rel_levels = 0;       // 1 + highest r with rel_levels[r] > 0 (0 if none).
};

// Ranks `retrieved` (score descending, then docno descending: trec_eval's order), keeps the top
// options.max_docs_per_topic, and looks each document up in `judgments` (sorted by docno).
RankedTopic RankTopic(const std::vector<Judgment>& judgments, std::vector<Retrieved> retrieved,
                      const EvalOptions& options);

enum class ValueType { kDouble, kLong, kText };
// How per-topic values become the summary value.
enum class Summary { kMean, kSum, kGeometricMean, kNumQ, kNone, kRunId };

struct MeasureDef;

// Parameters of one selected measure, from `-m name.params` or the defaults.
struct MeasureParams {
  std::vector<long> long_cutoffs;                     // P.5,10 (sorted, unique, positive)
  std::vector<double> doubles;                        // iprec_at_recall.0.1,0.2 / utility.1,-1,0,0
  std::vector<std::pair<std::string, double>> pairs;  // ndcg.1=3,2=9
  std::string printable;  // The parameter text as given on the command line ("" for defaults).
};

// A measure chosen for evaluation, with the names of the values it produces.
struct Measure {
  const MeasureDef* def = nullptr;
  MeasureParams params;
  std::vector<std::string> value_names;  // "P_5", "P_10", ...; one for most measures.
};

std::string MeasureName(const Measure& measure);
ValueType MeasureValueType(const Measure& measure);
Summary MeasureSummary(const Measure& measure);
bool MeasurePrintedPerTopic(const Measure& measure);

// Computes the measure's values for one topic into out[0 .. value_names.size()) (zeroed by the
// caller); text measures (relstring) write *text instead.
void ComputeMeasure(const Measure& measure, const RankedTopic& topic, const EvalOptions& options,
                    double* out, std::string* text);

// Turns `-m` arguments ("map", "P.5,10", "ndcg.1=3,2=9", "all_trec", "official", "set") into
// measures in trec_eval's fixed order. No arguments means "official". Unknown measures and
// malformed parameters are InvalidArgument. The first parameters given for a measure win.
StatusOr<std::vector<Measure>> SelectMeasures(const std::vector<std::string>& specs);

// Every measure name dyad-eval knows, in trec_eval's order, and the nicknames.
std::vector<std::string> AllMeasureNames();
std::vector<std::string> MeasureNicknames();

// The measure a printed value name belongs to ("P_5" -> "P", "ndcg_cut_10" -> "ndcg_cut",
// "utility_2,-1,0,0" -> "utility"); empty if none.
std::string MeasureOfValueName(std::string_view value_name);

}  // namespace dyad::eval

#endif  // DYAD_CLIENTS_EVAL_MEASURES_H_
