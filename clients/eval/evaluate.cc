#include "clients/eval/evaluate.h"

#include <charconv>
#include <cmath>

namespace dyad::eval {
namespace {

// trec_eval's value for a z-score without a reference mean and deviation.
constexpr double kMissingZScore = -1000000;

// What trec_eval ranks for a qrels topic missing from the run under -c: one unjudged document.
// Counts it leaves behind (num_ret, utility, unj, rbp_resid, relstring) are zeroed afterwards.
constexpr char kPlaceholderDocno[] = "ceci_nest_pas_un_docno";

void ClearPlaceholderLeftovers(const std::vector<ValueColumn>& columns, TopicValues* topic) {
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const std::string& name = columns[c].name;
    if (name == "num_ret" || name == "utility" || name == "rbp_resid" || name.starts_with("unj")) {
      topic->values[c] = 0;
    } else if (name == "relstring") {
      topic->texts[c].clear();
    }
  }
}

void ConvertToZScores(const ZScores& zscores, const std::vector<ValueColumn>& columns,
                      TopicValues* topic) {
  auto by_measure = zscores.by_qid.find(topic->qid);
  for (std::size_t c = 0; c < columns.size(); ++c) {
    double& value = topic->values[c];
    if (by_measure == zscores.by_qid.end()) {
      value = kMissingZScore;
      continue;
    }
    auto reference = by_measure->second.find(columns[c].name);
    if (reference == by_measure->second.end()) {
      value = kMissingZScore;
      continue;
    }
    const auto [mean, stddev] = reference->second;
    if (stddev != 0) {
      value = (value - mean) / stddev;
    } else {
      value = value == mean ? 0 : kMissingZScore;
    }
  }
}

bool ParseDoubleField(std::string_view text, double* out) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

}  // namespace

StatusOr<ZScores> ParseZScores(std::string_view text, const std::string& source) {
  ZScores zscores;
  long number = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++number;
    const std::vector<std::string_view> fields = SplitFields(line);
    if (fields.empty()) continue;
    double mean = 0;
    double stddev = 0;
    if (fields.size() != 4 || !ParseDoubleField(fields[2], &mean) ||
        !ParseDoubleField(fields[3], &stddev)) {
      return InvalidArgument(source + ":" + std::to_string(number) +
                             ": expected 'qid measure mean stddev'");
    }
    zscores.by_qid[std::string(fields[0])][std::string(fields[1])] = {mean, stddev};
  }
  return zscores;
}

StatusOr<ZScores> ReadZScores(const std::string& path) {
  StatusOr<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  return ParseZScores(*text, path);
}

StatusOr<Evaluation> Evaluate(const Qrels& qrels, const Run& run,
                              const std::vector<Measure>& measures, const EvalOptions& options,
                              const ZScores* zscores) {
  Evaluation evaluation;
  evaluation.run_id = run.run_id;
  evaluation.zscores = zscores != nullptr;
  for (const Measure& measure : measures) {
    for (const std::string& value_name : measure.value_names) {
      evaluation.columns.push_back({value_name, MeasureName(measure), MeasureValueType(measure),
                                    MeasureSummary(measure), MeasurePrintedPerTopic(measure)});
    }
  }
  const std::size_t num_columns = evaluation.columns.size();
  std::vector<double> sums(num_columns, 0.0);
  const std::vector<Retrieved> placeholder = {{kPlaceholderDocno, 1.0, 0}};

  for (const auto& [qid, judgments] : qrels.topics) {
    auto ranking = run.topics.find(qid);
    const bool missing = ranking == run.topics.end();
    if (missing && !options.average_complete) continue;
    const RankedTopic ranked =
        RankTopic(judgments, missing ? placeholder : ranking->second, options);
    TopicValues topic;
    topic.qid = qid;
    topic.missing_from_run = missing;
    topic.values.assign(num_columns, 0.0);
    topic.texts.assign(num_columns, "");
    std::size_t offset = 0;
    for (const Measure& measure : measures) {
      ComputeMeasure(measure, ranked, options, &topic.values[offset], &topic.texts[offset]);
      offset += measure.value_names.size();
    }
    if (missing) ClearPlaceholderLeftovers(evaluation.columns, &topic);
    if (zscores != nullptr) ConvertToZScores(*zscores, evaluation.columns, &topic);
    for (std::size_t c = 0; c < num_columns; ++c) sums[c] += topic.values[c];
    evaluation.topics.push_back(std::move(topic));
  }
  if (evaluation.topics.empty()) {
    return InvalidArgument("no topic has both judgments in " + qrels.source + " and results in " +
                           run.source);
  }

  evaluation.num_q = static_cast<long>(evaluation.topics.size());
  const double n = static_cast<double>(evaluation.num_q);
  TopicValues& summary = evaluation.summary;
  summary.qid = "all";
  summary.values.assign(num_columns, 0.0);
  summary.texts.assign(num_columns, "");
  for (std::size_t c = 0; c < num_columns; ++c) {
    switch (evaluation.columns[c].summary) {
      case Summary::kMean:
        summary.values[c] = sums[c] / n;
        break;
      case Summary::kSum:
        summary.values[c] = sums[c];
        break;
      case Summary::kGeometricMean:
        summary.values[c] = std::exp(sums[c] / n);
        break;
      case Summary::kNumQ:
        summary.values[c] = n;
        break;
      case Summary::kRunId:
        summary.texts[c] = run.run_id;
        break;
      case Summary::kNone:
        break;
    }
  }
  return evaluation;
}

std::optional<std::size_t> FindColumn(const Evaluation& evaluation, std::string_view name) {
  for (std::size_t c = 0; c < evaluation.columns.size(); ++c) {
    if (evaluation.columns[c].name == name) return c;
  }
  return std::nullopt;
}

}  // namespace dyad::eval
