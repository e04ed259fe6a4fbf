#include "searchd/request_log.h"

#include <ctime>
#include <utility>
#include <vector>

namespace dyad {
namespace {

std::string Rfc3339(std::chrono::system_clock::time_point time) {
  const auto since_epoch = time.time_since_epoch();
  const std::time_t seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count();
  const long millis = static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count() % 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
  return buffer;
}

void AppendEscaped(std::string* out, const std::string& value) {
  for (unsigned char c : value) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char escape[8];
          std::snprintf(escape, sizeof escape, "\\u%04x", c);
          out->append(escape);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
}

// logfmt quotes a value that is empty or holds a space, '=', '"' or a control character.
bool NeedsQuotes(const std::string& value) {
  if (value.empty()) return true;
  for (unsigned char c : value) {
    if (c <= ' ' || c == '=' || c == '"' || c == '\\' || c == 0x7f) return true;
  }
  return false;
}

}  // namespace

StatusOr<LogFormat> ParseLogFormat(const std::string& name) {
  if (name == "logfmt") return LogFormat::kLogfmt;
  if (name == "json") return LogFormat::kJson;
  return InvalidArgument("log format '" + name + "' is not 'logfmt' or 'json'");
}

std::string RequestLog::Format(LogFormat format, const RequestRecord& record,
                               std::chrono::system_clock::time_point time) {
  char latency[32];
  std::snprintf(latency, sizeof latency, "%.3f",
                std::chrono::duration<double, std::milli>(record.latency).count());
  std::vector<std::pair<const char*, std::string>> fields = {
      {"time", Rfc3339(time)}, {"protocol", ProtocolName(record.protocol)},
      {"kind", record.kind},   {"status", record.status},
      {"latency_ms", latency}, {"request_id", record.request_id},
      {"peer", record.peer},
  };
  if (record.protocol == Protocol::kHttp) fields.emplace_back("path", record.path);
  if (record.error != v1::ERROR_CODE_UNSPECIFIED) {
    fields.emplace_back("error", ErrorCodeName(record.error));
  }
  std::string line;
  if (format == LogFormat::kJson) {
    line += '{';
    for (const auto& [key, value] : fields) {
      if (line.size() > 1) line += ',';
      line.append("\"").append(key).append("\":");
      if (std::string_view(key) == "latency_ms") {
        line += value;
      } else {
        line += '"';
        AppendEscaped(&line, value);
        line += '"';
      }
    }
    line += "}\n";
  } else {
    for (const auto& [key, value] : fields) {
      if (!line.empty()) line += ' ';
      line.append(key).append("=");
      if (NeedsQuotes(value)) {
        line += '"';
        AppendEscaped(&line, value);
        line += '"';
      } else {
        line += value;
      }
    }
    line += '\n';
  }
  return line;
}

void RequestLog::Write(const RequestRecord& record) {
  if (quiet_) return;
  const std::string line = Format(format_, record, std::chrono::system_clock::now());
  std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

}  // namespace dyad
