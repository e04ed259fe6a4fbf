#include "searchd/metrics.h"

#include <cstdio>

namespace dyad {
namespace {

// Bucket bounds print short ("0.0005"); sums keep every digit.
void AppendNumber(std::string* out, double value, bool exact = false) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, exact ? "%.17g" : "%g", value);
  out->append(buffer);
}

void Header(std::string* out, std::string_view name, std::string_view type, std::string_view help) {
  out->append("# HELP ").append(name).append(" ").append(help).append("\n");
  out->append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

// Label values here are protocol, kind and code names: no quotes, backslashes or newlines, but
// escape anyway so a future label cannot break the format.
std::string Escape(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

const char* ProtocolName(Protocol protocol) {
  return protocol == Protocol::kHttp ? "http" : "binary";
}

std::string ErrorCodeName(v1::ErrorCode code) {
  if (code == v1::ERROR_CODE_UNSPECIFIED) return "OK";
  std::string name = v1::ErrorCode_Name(code);
  if (name.empty()) return std::to_string(static_cast<int>(code));
  constexpr std::string_view kPrefix = "ERROR_CODE_";
  return name.starts_with(kPrefix) ? name.substr(kPrefix.size()) : name;
}

std::string RequestKind(const v1::Envelope& request) {
  if (request.body_case() == v1::Envelope::BODY_NOT_SET) return "empty";
  const google::protobuf::FieldDescriptor* field =
      v1::Envelope::descriptor()->FindFieldByNumber(request.body_case());
  return field != nullptr ? field->name() : "unknown";
}

void Metrics::Record(const RequestRecord& record) {
  const std::size_t p = Index(record.protocol);
  const double seconds = std::chrono::duration<double>(record.latency).count();
  std::lock_guard lock(mutex_);
  ++requests_[{p, record.kind}];
  if (record.error != v1::ERROR_CODE_UNSPECIFIED) ++errors_[{p, ErrorCodeName(record.error)}];
  if (record.protocol == Protocol::kHttp) ++http_statuses_[record.status];
  Histogram& histogram = latency_[p];
  ++histogram.count;
  histogram.sum += seconds;
  for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    if (seconds <= kLatencyBuckets[i]) {
      ++histogram.buckets[i];
      break;
    }
  }
}

std::uint64_t Metrics::requests(Protocol protocol, const std::string& kind) const {
  std::lock_guard lock(mutex_);
  const auto it = requests_.find({Index(protocol), kind});
  return it == requests_.end() ? 0 : it->second;
}

std::uint64_t Metrics::errors(Protocol protocol, v1::ErrorCode code) const {
  std::lock_guard lock(mutex_);
  const auto it = errors_.find({Index(protocol), ErrorCodeName(code)});
  return it == errors_.end() ? 0 : it->second;
}

std::string Metrics::Render(const v1::HealthResponse* health) const {
  constexpr Protocol kAll[] = {Protocol::kBinary, Protocol::kHttp};
  std::string out;
  std::lock_guard lock(mutex_);

  Header(&out, "dyad_requests_total", "counter", "Requests answered, by protocol and kind.");
  for (const auto& [key, count] : requests_) {
    out.append("dyad_requests_total{protocol=\"")
        .append(ProtocolName(static_cast<Protocol>(key.first)))
        .append("\",kind=\"")
        .append(Escape(key.second))
        .append("\"} ")
        .append(std::to_string(count))
        .append("\n");
  }
  Header(&out, "dyad_errors_total", "counter", "Answers that were an Error, by protocol and code.");
  for (const auto& [key, count] : errors_) {
    out.append("dyad_errors_total{protocol=\"")
        .append(ProtocolName(static_cast<Protocol>(key.first)))
        .append("\",code=\"")
        .append(Escape(key.second))
        .append("\"} ")
        .append(std::to_string(count))
        .append("\n");
  }
  Header(&out, "dyad_http_responses_total", "counter", "HTTP answers by status code.");
  for (const auto& [status, count] : http_statuses_) {
    out.append("dyad_http_responses_total{status=\"")
        .append(Escape(status))
        .append("\"} ")
        .append(std::to_string(count))
        .append("\n");
  }
  Header(&out, "dyad_request_duration_seconds", "histogram",
         "Time from a complete request to its answer being queued for writing.");
  for (Protocol protocol : kAll) {
    const Histogram& histogram = latency_[Index(protocol)];
    const std::string label = std::string("protocol=\"") + ProtocolName(protocol) + "\"";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
      cumulative += histogram.buckets[i];
      out.append("dyad_request_duration_seconds_bucket{").append(label).append(",le=\"");
      AppendNumber(&out, kLatencyBuckets[i]);
      out.append("\"} ").append(std::to_string(cumulative)).append("\n");
    }
    out.append("dyad_request_duration_seconds_bucket{")
        .append(label)
        .append(",le=\"+Inf\"} ")
        .append(std::to_string(histogram.count))
        .append("\n");
    out.append("dyad_request_duration_seconds_sum{").append(label).append("} ");
    AppendNumber(&out, histogram.sum, /*exact=*/true);
    out.append("\n");
    out.append("dyad_request_duration_seconds_count{")
        .append(label)
        .append("} ")
        .append(std::to_string(histogram.count))
        .append("\n");
  }
  Header(&out, "dyad_requests_in_flight", "gauge",
         "Requests handed to a worker and not answered yet.");
  for (Protocol protocol : kAll) {
    out.append("dyad_requests_in_flight{protocol=\"")
        .append(ProtocolName(protocol))
        .append("\"} ")
        .append(std::to_string(in_flight_[Index(protocol)].load()))
        .append("\n");
  }
  Header(&out, "dyad_connections", "gauge", "Open client connections.");
  for (Protocol protocol : kAll) {
    out.append("dyad_connections{protocol=\"")
        .append(ProtocolName(protocol))
        .append("\"} ")
        .append(std::to_string(connections_[Index(protocol)].load()))
        .append("\n");
  }
  if (health != nullptr) {
    Header(&out, "dyad_index_revision", "gauge", "Revision of the index the workers read.");
    out.append("dyad_index_revision ")
        .append(std::to_string(health->index_revision()))
        .append("\n");
    Header(&out, "dyad_index_articles", "gauge", "Articles in the index.");
    out.append("dyad_index_articles ").append(std::to_string(health->article_count())).append("\n");
    Header(&out, "dyad_index_schema_version", "gauge", "Schema version of the index.");
    out.append("dyad_index_schema_version ")
        .append(std::to_string(health->schema_version()))
        .append("\n");
  }
  return out;
}

}  // namespace dyad
