// dyad-searchd's request log: one line per answered request on standard error, in logfmt
//   time=2024-05-01T12:00:00.123Z protocol=http kind=search status=200 latency_ms=1.234
//   request_id=7 peer=127.0.0.1:50312 path=/v1/search
// or JSON (one object per line, the same keys; every value but latency_ms is a string):
//   {"time":"2024-05-01T12:00:00.123Z","protocol":"http","kind":"search","status":"200",...}
// Answers that were an Error add error=CODE (the ErrorCode name). path is only logged for HTTP,
// and never the query string, which may hold what a user searched for.
#ifndef DYAD_SEARCHD_REQUEST_LOG_H_
#define DYAD_SEARCHD_REQUEST_LOG_H_

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include "core/status.h"
#include "searchd/metrics.h"

namespace dyad {

enum class LogFormat { kLogfmt, kJson };

// "logfmt" or "json"; InvalidArgument otherwise.
StatusOr<LogFormat> ParseLogFormat(const std::string& name);

// Thread-safe; each line is written with one call, so lines from several threads never mix.
class RequestLog {
 public:
  // A quiet log writes nothing. `out` must outlive the log.
  explicit RequestLog(LogFormat format = LogFormat::kLogfmt, bool quiet = true,
                      std::FILE* out = stderr)
      : format_(format), quiet_(quiet), out_(out) {}

  void Write(const RequestRecord& record);

  // The line for `record` (with its '\n') as of `time`.
  static std::string Format(LogFormat format, const RequestRecord& record,
                            std::chrono::system_clock::time_point time);

 private:
  LogFormat format_;
  bool quiet_;
  std::FILE* out_;
  std::mutex mutex_;
};

}  // namespace dyad

#endif  // DYAD_SEARCHD_REQUEST_LOG_H_
