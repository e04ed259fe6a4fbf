// Output of dyad-eval score: trec_eval's text layout, or one JSON object (EvalReport in
// proto/dyad/v1/eval.proto, Protobuf JSON mapping).
//
// Text layout, one value per line: `%-22s\t%s\t%6.4f` (measure name padded to 22 characters,
// topic id or "all", value to four decimals); counts print as integers, relstring as 'text',
// z-scores with a "Z" before the name. With per-topic output, each topic's lines come first
// (topics in qrels order, measures in trec_eval's order), then the summary lines.
#ifndef DYAD_CLIENTS_EVAL_REPORT_H_
#define DYAD_CLIENTS_EVAL_REPORT_H_

#include <ostream>
#include <string>

#include "clients/eval/evaluate.h"
#include "dyad/v1/eval.pb.h"

namespace dyad::eval {

struct TextOptions {
  bool per_topic = false;  // -q
  bool summary = true;     // -n turns the summary off.
};

void WriteTrecEvalText(const Evaluation& evaluation, const TextOptions& options, std::ostream& out);

// All topics' values and the summary. Text columns carry their text; geometric-mean columns
// appear only in the summary; relstring only per topic.
v1::EvalReport ToReport(const Evaluation& evaluation);
std::string ToJson(const Evaluation& evaluation);

}  // namespace dyad::eval

#endif  // DYAD_CLIENTS_EVAL_REPORT_H_
