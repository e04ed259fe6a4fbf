#include "clients/eval/score_command.h"

#include <charconv>
#include <memory>
#include <optional>

#include "clients/eval/evaluate.h"
#include "clients/eval/judgments.h"
#include "clients/eval/measures.h"
#include "clients/eval/report.h"

namespace dyad::eval {
namespace {

constexpr char kUsage[] = R"(Usage: dyad-eval score QRELS RUN [OPTIONS]

Scores the TREC run RUN against the relevance judgments QRELS with trec_eval's measures,
definitions and output layout (one 'measure<TAB>topic<TAB>value' line per value).

  QRELS  TREC qrels ('qid iter docno rel') or SMART .REL ('qid docno 0 0.000000', every pair
         relevant); '#' starts a comment line.
  RUN    TREC run ('qid Q0 docno rank score tag'); documents are ranked by score, ties broken
         by docno (descending); the rank column is ignored.

Options (trec_eval's letters; a value may follow the letter directly, as in -M100):
  -q                  print each topic's values before the summary
  -m MEASURE[.PARAMS] measure(s) to compute, repeatable; default 'official'. Nicknames:
                      official, all_trec, set. Parameters: cutoffs 'P.5,10', recall
                      fractions 'iprec_at_recall.0.25,0.5', gains 'ndcg.1=3,2=9,4=4.5'
  -c                  average over every topic in QRELS; topics missing from RUN score 0
  -M N                only the top N documents of each topic count
  -l N                minimum relevance value that counts as relevant (default 1)
  -N N                number of documents in the collection (utility's 4th coefficient)
  -n                  no summary lines
  -Z FILE             print z-scores against FILE's 'qid measure mean stddev' lines
  --format trec|json  output layout (default trec); json is one object with every topic's
                      values and the summary, unrounded (EvalReport in dyad/v1/eval.proto)
  --qrels-format auto|trec|smart   QRELS layout (default auto: detected from the first line)
  -h, --help          this text

Measures: runid num_q num_ret num_rel num_rel_ret map gm_map Rprec bpref recip_rank
  iprec_at_recall P relstring recall infAP gm_bpref Rprec_mult utility 11pt_avg binG G dcg
  ideal_dcg ndcg ndcg_rel Rndcg ndcg_cut map_cut relative_P success set_P set_relative_P
  set_recall set_map set_F num_nonrel_judged_ret rbp rbp_resid unj (see docs/evaluation.md).

Exit status: 0 scores printed; 1 input error (unreadable or malformed file, with file and
line; no topic in both files); 2 usage error.

Examples:
  dyad-eval score qrels.txt run.txt
  dyad-eval score -q -m all_trec qrels.txt run.txt
  dyad-eval score qrels.txt run.txt -m map -m P.5,10 -m ndcg_cut.10,20 -c -M 1000
  dyad-eval score CISI.REL cisi.run -m official --format json
)";

int Usage(std::ostream& err, const std::string& problem) {
  err << "dyad-eval score: " << problem << "\n\n" << kUsage;
  return kExitUsage;
}

int InputError(std::ostream& err, const Status& status) {
  err << "dyad-eval score: " << status.message() << "\n";
  return kExitInputError;
}

bool ParseLongArg(const std::string& text, long* out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

}  // namespace

const char* ScoreUsage() { return kUsage; }

int RunScoreCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::vector<std::string> positional;
  std::vector<std::string> measure_specs;
  EvalOptions options;
  TextOptions text_options;
  bool json = false;
  QrelsFormat qrels_format = QrelsFormat::kAuto;
  std::optional<std::string> zscore_file;

  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    // An option's value: attached ("-M100") or the next argument ("-M 100").
    auto value = [&](std::size_t prefix, std::string* v) -> bool {
      if (arg.size() > prefix) {
        *v = arg.substr(prefix);
        return true;
      }
      if (i + 1 >= args.size()) return false;
      *v = args[++i];
      return true;
    };
    std::string v;
    if (arg == "-h" || arg == "--help") {
      out << kUsage;
      return kExitOk;
    } else if (arg == "-q") {
      text_options.per_topic = true;
    } else if (arg == "-c") {
      options.average_complete = true;
    } else if (arg == "-n") {
      text_options.summary = false;
    } else if (arg == "--format") {
      if (!value(arg.size(), &v)) return Usage(err, "--format needs trec or json");
      if (v != "trec" && v != "json")
        return Usage(err, "--format is trec or json, not '" + v + "'");
      json = v == "json";
    } else if (arg == "--qrels-format") {
      if (!value(arg.size(), &v) || !ParseQrelsFormat(v, &qrels_format)) {
        return Usage(err, "--qrels-format is auto, trec or smart");
      }
    } else if (arg.starts_with("--")) {
      return Usage(err, "unknown option '" + arg + "'");
    } else if (arg.size() >= 2 && arg[0] == '-') {
      const char letter = arg[1];
      if (letter != 'm' && letter != 'M' && letter != 'l' && letter != 'N' && letter != 'Z') {
        return Usage(err, "unknown option '" + arg + "'");
      }
      if (!value(2, &v)) return Usage(err, std::string("-") + letter + " needs a value");
      long number = 0;
      switch (letter) {
        case 'm':
          measure_specs.push_back(v);
          break;
        case 'Z':
          zscore_file = v;
          break;
        case 'M':
          if (!ParseLongArg(v, &number) || number < 0) {
            return Usage(err, "-M needs a count of documents, not '" + v + "'");
          }
          options.max_docs_per_topic = number;
          break;
        case 'l':
          if (!ParseLongArg(v, &number)) return Usage(err, "-l needs an integer, not '" + v + "'");
          options.relevance_level = number;
          break;
        case 'N':
          if (!ParseLongArg(v, &number) || number < 0) {
            return Usage(err, "-N needs a count of documents, not '" + v + "'");
          }
          options.num_docs_in_coll = number;
          break;
      }
    } else {
      positional.push_back(arg);
    }
  }
  if (positional.size() != 2) return Usage(err, "expected QRELS and RUN");

  StatusOr<std::vector<Measure>> measures = SelectMeasures(measure_specs);
  if (!measures.ok()) return Usage(err, measures.status().message());

  StatusOr<Qrels> qrels = ReadQrels(positional[0], qrels_format);
  if (!qrels.ok()) return InputError(err, qrels.status());
  StatusOr<Run> run = ReadRun(positional[1]);
  if (!run.ok()) return InputError(err, run.status());
  std::unique_ptr<ZScores> zscores;
  if (zscore_file) {
    StatusOr<ZScores> read = ReadZScores(*zscore_file);
    if (!read.ok()) return InputError(err, read.status());
    zscores = std::make_unique<ZScores>(std::move(*read));
  }

  StatusOr<Evaluation> evaluation = Evaluate(*qrels, *run, *measures, options, zscores.get());
  if (!evaluation.ok()) return InputError(err, evaluation.status());
  if (json) {
    out << ToJson(*evaluation) << "\n";
  } else {
    WriteTrecEvalText(*evaluation, text_options, out);
  }
  out.flush();
  if (!out) {
    err << "dyad-eval score: cannot write the output\n";
    return kExitInputError;
  }
  return kExitOk;
}

}  // namespace dyad::eval
