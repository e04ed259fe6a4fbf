#include "clients/eval/compare_command.h"

#include <google/protobuf/util/json_util.h>

#include <charconv>
#include <cmath>
#include <cstdio>

#include "clients/eval/evaluate.h"
#include "clients/eval/score_command.h"
#include "clients/eval/statistics.h"

namespace dyad::eval {
namespace {

constexpr char kUsage[] = R"(Usage: dyad-eval compare QRELS RUN_A RUN_B [OPTIONS]

Compares two TREC runs topic by topic on trec_eval's per-topic values: for each measure the
means, the difference B - A, how many topics B wins, ties (within 1e-9) and loses, a paired
t-test and a paired randomisation test (both two-sided), then each topic's values.

Topics: those of QRELS that appear in RUN_A or RUN_B; a topic missing from one run scores 0
there (as trec_eval -c scores it). With -c every QRELS topic counts.

Options:
  -m MEASURE[.PARAMS]  measure(s) to compare, repeatable (default map); 'P.10' or its value
                       name 'P_10', 'ndcg_cut.10' or 'ndcg_cut_10'; a measure with several
                       values ('P') compares each of them
  -c                   every topic in QRELS counts
  -M N                 only the top N documents of each topic count
  -l N                 minimum relevance value that counts as relevant (default 1)
  --permutations N     randomisation test trials (default 10000)
  --seed N             randomisation test seed (default 1); the same seed gives the same p
  --no-topics          text output without the per-topic table
  --format text|json   output layout (default text); json is one EvalComparison
                       (dyad/v1/eval.proto) with every topic, unrounded
  --qrels-format auto|trec|smart   QRELS layout (default auto)
  -h, --help           this text

Statistics: d_i = B_i - A_i over n topics. t = mean(d) / (sd(d) / sqrt(n)), df = n - 1,
p = P(|T_df| >= |t|) from Student's t distribution (regularised incomplete beta function).
Randomisation: each trial flips the sign of every d_i with probability 1/2 (swaps the runs on
that topic); p = (k + 1) / (trials + 1), k = trials with |sum d| at least the observed.

Exit status: 0 comparison printed; 1 input error (unreadable or malformed file, with file and
line; no topic in common); 2 usage error.

Examples:
  dyad-eval compare CISI.REL bm25.run dyad.run
  dyad-eval compare qrels.txt a.run b.run -m map -m P.10 -m ndcg_cut.10 --no-topics
  dyad-eval compare qrels.txt a.run b.run -m P_10 --seed 7 --format json
)";

int Usage(std::ostream& err, const std::string& problem) {
  err << "dyad-eval compare: " << problem << "\n\n" << kUsage;
  return kExitUsage;
}

int InputError(std::ostream& err, const Status& status) {
  err << "dyad-eval compare: " << status.message() << "\n";
  return kExitInputError;
}

template <typename T>
bool ParseNumberArg(const std::string& text, T* out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

// "P_10" -> "P.10", "ndcg_cut_10" -> "ndcg_cut.10": value names accepted where measures are.
std::string MeasureSpec(const std::string& spec) {
  if (SelectMeasures({spec}).ok()) return spec;
  const std::string measure = MeasureOfValueName(spec);
  if (!measure.empty() && spec.size() > measure.size() + 1 && spec.starts_with(measure + "_")) {
    return measure + "." + spec.substr(measure.size() + 1);
  }
  return spec;
}

bool Comparable(const ValueColumn& column) {
  return column.per_topic && column.type != ValueType::kText &&
         (column.summary == Summary::kMean || column.summary == Summary::kSum);
}

std::string Fixed(double value, int decimals, bool sign = false) {
  if (std::isnan(value)) return "n/a";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, sign ? "%+.*f" : "%.*f", decimals, value);
  return buffer;
}

// p-values below 0.0001 in scientific notation, so they do not print as 0.
std::string PValue(double p) {
  if (std::isnan(p) || p >= 0.0001 || p == 0) return Fixed(p, 4);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.1e", p);
  return buffer;
}

std::string Pad(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

}  // namespace

const char* CompareUsage() { return kUsage; }

StatusOr<v1::EvalComparison> CompareRuns(const Qrels& qrels, const Run& a, const Run& b,
                                         const std::vector<Measure>& measures,
                                         const CompareOptions& options) {
  EvalOptions eval = options.eval;
  const bool all_qrels_topics = eval.average_complete;
  eval.average_complete = true;  // Both evaluations then hold every qrels topic, in one order.
  StatusOr<Evaluation> ea = Evaluate(qrels, a, measures, eval);
  if (!ea.ok()) return ea.status();
  StatusOr<Evaluation> eb = Evaluate(qrels, b, measures, eval);
  if (!eb.ok()) return eb.status();

  std::vector<std::size_t> topics;  // Indexes into ea->topics / eb->topics.
  for (std::size_t t = 0; t < ea->topics.size(); ++t) {
    if (all_qrels_topics || !ea->topics[t].missing_from_run || !eb->topics[t].missing_from_run) {
      topics.push_back(t);
    }
  }
  if (topics.empty()) {
    return InvalidArgument("no topic of " + qrels.source + " is in " + a.source + " or " +
                           b.source);
  }

  v1::EvalComparison comparison;
  comparison.set_run_a(a.source);
  comparison.set_run_b(b.source);
  comparison.set_run_id_a(a.run_id);
  comparison.set_run_id_b(b.run_id);
  for (std::size_t c = 0; c < ea->columns.size(); ++c) {
    if (!Comparable(ea->columns[c])) continue;
    v1::EvalMeasureComparison* m = comparison.add_measures();
    m->set_measure(ea->columns[c].name);
    m->set_num_topics(static_cast<std::uint32_t>(topics.size()));
    std::vector<double> va, vb;
    double sum_a = 0, sum_b = 0;
    for (const std::size_t t : topics) {
      const TopicValues& ta = ea->topics[t];
      const TopicValues& tb = eb->topics[t];
      const double x = ta.values[c], y = tb.values[c];
      va.push_back(x);
      vb.push_back(y);
      sum_a += x;
      sum_b += y;
      v1::EvalTopicDifference* d = m->add_topics();
      d->set_qid(ta.qid);
      d->set_a(x);
      d->set_b(y);
      d->set_difference(y - x);
      d->set_missing_from_a(ta.missing_from_run);
      d->set_missing_from_b(tb.missing_from_run);
      if (y - x > 1e-9) {
        m->set_wins(m->wins() + 1);
      } else if (x - y > 1e-9) {
        m->set_losses(m->losses() + 1);
      } else {
        m->set_ties(m->ties() + 1);
      }
    }
    const double n = static_cast<double>(topics.size());
    m->set_mean_a(sum_a / n);
    m->set_mean_b(sum_b / n);
    m->set_mean_difference(sum_b / n - sum_a / n);
    const TTest t = PairedTTest(va, vb);
    m->set_t_statistic(t.t);
    m->set_degrees_of_freedom(t.df);
    m->set_t_test_p_value(t.p_value);
    m->set_randomization_p_value(RandomizationTest(va, vb, options.permutations, options.seed));
    m->set_permutations(options.permutations);
    m->set_seed(options.seed);
  }
  if (comparison.measures().empty()) {
    return InvalidArgument("none of the measures has per-topic values to compare");
  }
  return comparison;
}

void WriteComparisonText(const v1::EvalComparison& comparison, bool per_topic, std::ostream& out) {
  out << "A: " << comparison.run_a() << " (" << comparison.run_id_a() << ")\n"
      << "B: " << comparison.run_b() << " (" << comparison.run_id_b() << ")\n";
  if (!comparison.measures().empty()) {
    const v1::EvalMeasureComparison& first = comparison.measures(0);
    out << "topics: " << first.num_topics() << "; randomisation test: " << first.permutations()
        << " permutations, seed " << first.seed() << "\n";
  }
  out << "\n"
      << Pad("measure", 16) << Pad("A", 9) << Pad("B", 9) << Pad("B-A", 10) << Pad("change", 9)
      << Pad("win/tie/loss", 14) << Pad("t", 9) << Pad("p(t)", 9) << "p(rand)\n";
  for (const v1::EvalMeasureComparison& m : comparison.measures()) {
    const std::string change =
        m.mean_a() != 0 ? Fixed(100 * m.mean_difference() / m.mean_a(), 1, true) + "%" : "n/a";
    out << Pad(m.measure(), 16) << Pad(Fixed(m.mean_a(), 4), 9) << Pad(Fixed(m.mean_b(), 4), 9)
        << Pad(Fixed(m.mean_difference(), 4, true), 10) << Pad(change, 9)
        << Pad(std::to_string(m.wins()) + "/" + std::to_string(m.ties()) + "/" +
                   std::to_string(m.losses()),
               14)
        << Pad(Fixed(m.t_statistic(), 3), 9) << Pad(PValue(m.t_test_p_value()), 9)
        << PValue(m.randomization_p_value()) << "\n";
  }
  if (!per_topic) return;
  for (const v1::EvalMeasureComparison& m : comparison.measures()) {
    out << "\n"
        << m.measure() << " per topic\n"
        << Pad("qid", 12) << Pad("A", 9) << Pad("B", 9) << "B-A\n";
    for (const v1::EvalTopicDifference& d : m.topics()) {
      out << Pad(d.qid(), 12) << Pad(Fixed(d.a(), 4) + (d.missing_from_a() ? "*" : ""), 9)
          << Pad(Fixed(d.b(), 4) + (d.missing_from_b() ? "*" : ""), 9)
          << Fixed(d.difference(), 4, true) << "\n";
    }
  }
  bool any_missing = false;
  for (const v1::EvalMeasureComparison& m : comparison.measures()) {
    for (const v1::EvalTopicDifference& d : m.topics()) {
      any_missing = any_missing || d.missing_from_a() || d.missing_from_b();
    }
  }
  if (any_missing) out << "\n* not in that run: scored as retrieving nothing\n";
}

int RunCompareCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::vector<std::string> positional;
  std::vector<std::string> specs;
  CompareOptions options;
  bool json = false;
  bool per_topic = true;
  QrelsFormat qrels_format = QrelsFormat::kAuto;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
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
    } else if (arg == "-c") {
      options.eval.average_complete = true;
    } else if (arg == "--no-topics") {
      per_topic = false;
    } else if (arg == "--format") {
      if (!value(arg.size(), &v) || (v != "text" && v != "json" && v != "trec")) {
        return Usage(err, "--format is text or json");
      }
      json = v == "json";
    } else if (arg == "--permutations") {
      if (!value(arg.size(), &v) || !ParseNumberArg(v, &options.permutations) ||
          options.permutations == 0) {
        return Usage(err, "--permutations needs a positive number");
      }
    } else if (arg == "--seed") {
      if (!value(arg.size(), &v) || !ParseNumberArg(v, &options.seed)) {
        return Usage(err, "--seed needs a non-negative integer");
      }
    } else if (arg == "--qrels-format") {
      if (!value(arg.size(), &v) || !ParseQrelsFormat(v, &qrels_format)) {
        return Usage(err, "--qrels-format is auto, trec or smart");
      }
    } else if (arg.starts_with("--")) {
      return Usage(err, "unknown option '" + arg + "'");
    } else if (arg.size() >= 2 && arg[0] == '-') {
      const char letter = arg[1];
      if (letter != 'm' && letter != 'M' && letter != 'l') {
        return Usage(err, "unknown option '" + arg + "'");
      }
      if (!value(2, &v)) return Usage(err, std::string("-") + letter + " needs a value");
      long number = 0;
      if (letter == 'm') {
        specs.push_back(MeasureSpec(v));
      } else if (letter == 'M') {
        if (!ParseNumberArg(v, &number) || number < 0) {
          return Usage(err, "-M needs a count of documents, not '" + v + "'");
        }
        options.eval.max_docs_per_topic = number;
      } else {
        if (!ParseNumberArg(v, &number)) return Usage(err, "-l needs an integer, not '" + v + "'");
        options.eval.relevance_level = number;
      }
    } else {
      positional.push_back(arg);
    }
  }
  if (positional.size() != 3) return Usage(err, "expected QRELS, RUN_A and RUN_B");
  if (specs.empty()) specs.push_back("map");
  StatusOr<std::vector<Measure>> measures = SelectMeasures(specs);
  if (!measures.ok()) return Usage(err, measures.status().message());

  StatusOr<Qrels> qrels = ReadQrels(positional[0], qrels_format);
  if (!qrels.ok()) return InputError(err, qrels.status());
  StatusOr<Run> a = ReadRun(positional[1]);
  if (!a.ok()) return InputError(err, a.status());
  StatusOr<Run> b = ReadRun(positional[2]);
  if (!b.ok()) return InputError(err, b.status());

  StatusOr<v1::EvalComparison> comparison = CompareRuns(*qrels, *a, *b, *measures, options);
  if (!comparison.ok()) return InputError(err, comparison.status());
  if (json) {
    std::string text;
    google::protobuf::util::JsonPrintOptions print;
    print.preserve_proto_field_names = true;
    print.always_print_primitive_fields = true;
    (void)google::protobuf::util::MessageToJsonString(*comparison, &text, print);
    out << text << "\n";
  } else {
    WriteComparisonText(*comparison, per_topic, out);
  }
  out.flush();
  if (!out) {
    err << "dyad-eval compare: cannot write the output\n";
    return kExitInputError;
  }
  return kExitOk;
}

}  // namespace dyad::eval
