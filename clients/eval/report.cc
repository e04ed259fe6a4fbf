#include "clients/eval/report.h"

#include <google/protobuf/util/json_util.h>

#include <cstdio>

namespace dyad::eval {
namespace {

std::string Format(const char* format, const std::string& name, const std::string& qid,
                   double value) {
  char buffer[512];
  std::snprintf(buffer, sizeof(buffer), format, name.c_str(), qid.c_str(), value);
  return buffer;
}

std::string FormatLong(const std::string& name, const std::string& qid, long value) {
  char buffer[512];
  std::snprintf(buffer, sizeof(buffer), "%-22s\t%s\t%ld\n", name.c_str(), qid.c_str(), value);
  return buffer;
}

std::string FormatText(const char* format, const std::string& name, const std::string& qid,
                       const std::string& text) {
  std::string line(512 + text.size(), '\0');
  const int size =
      std::snprintf(line.data(), line.size(), format, name.c_str(), qid.c_str(), text.c_str());
  line.resize(size > 0 ? static_cast<std::size_t>(size) : 0);
  return line;
}

std::string NumberLine(const ValueColumn& column, const std::string& qid, double value,
                       bool zscores) {
  if (zscores) return Format("Z%-22s\t%s\t%6.4f\n", column.name, qid, value);
  if (column.type == ValueType::kLong)
    return FormatLong(column.name, qid, static_cast<long>(value));
  return Format("%-22s\t%s\t%6.4f\n", column.name, qid, value);
}

}  // namespace

void WriteTrecEvalText(const Evaluation& evaluation, const TextOptions& options,
                       std::ostream& out) {
  const std::vector<ValueColumn>& columns = evaluation.columns;
  if (options.per_topic) {
    for (const TopicValues& topic : evaluation.topics) {
      for (std::size_t c = 0; c < columns.size(); ++c) {
        if (!columns[c].per_topic) continue;
        if (columns[c].type == ValueType::kText) {
          out << FormatText("%-22s\t%s\t'%s'\n", columns[c].name, topic.qid, topic.texts[c]);
        } else {
          out << NumberLine(columns[c], topic.qid, topic.values[c], evaluation.zscores);
        }
      }
    }
  }
  if (!options.summary) return;
  const TopicValues& summary = evaluation.summary;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    switch (columns[c].summary) {
      case Summary::kNone:
        break;
      case Summary::kRunId:
        out << FormatText("%-22s\t%s\t%s\n", columns[c].name, summary.qid, summary.texts[c]);
        break;
      default:
        out << NumberLine(columns[c], summary.qid, summary.values[c], evaluation.zscores);
    }
  }
}

v1::EvalReport ToReport(const Evaluation& evaluation) {
  v1::EvalReport report;
  report.set_run_id(evaluation.run_id);
  report.set_num_topics(static_cast<std::uint32_t>(evaluation.num_q));
  const std::vector<ValueColumn>& columns = evaluation.columns;
  for (const TopicValues& topic : evaluation.topics) {
    v1::EvalTopic* out = report.add_topics();
    out->set_qid(topic.qid);
    out->set_missing_from_run(topic.missing_from_run);
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (!columns[c].per_topic) continue;
      v1::EvalValue* value = out->add_values();
      value->set_measure(columns[c].name);
      if (columns[c].type == ValueType::kText) {
        value->set_text(topic.texts[c]);
      } else {
        value->set_value(topic.values[c]);
      }
    }
  }
  v1::EvalTopic* summary = report.mutable_summary();
  summary->set_qid(evaluation.summary.qid);
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].summary == Summary::kNone) continue;
    v1::EvalValue* value = summary->add_values();
    value->set_measure(columns[c].name);
    if (columns[c].summary == Summary::kRunId) {
      value->set_text(evaluation.summary.texts[c]);
    } else {
      value->set_value(evaluation.summary.values[c]);
    }
  }
  return report;
}

std::string ToJson(const Evaluation& evaluation) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  (void)google::protobuf::util::MessageToJsonString(ToReport(evaluation), &json, options);
  return json;
}

}  // namespace dyad::eval
