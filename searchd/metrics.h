// Counters and gauges of one dyad-searchd, shared by the binary and the HTTP front ends and
// rendered in the Prometheus text exposition format (version 0.0.4) at GET /metrics:
//
//   dyad_requests_total{protocol,kind}            counter   requests answered
//   dyad_errors_total{protocol,code}              counter   answers that were an Error
//   dyad_http_responses_total{status}             counter   HTTP answers by status code
//   dyad_request_duration_seconds{protocol}       histogram request received -> answer queued
//   dyad_requests_in_flight{protocol}             gauge     handed to a worker, not yet answered
//   dyad_connections{protocol}                    gauge     open connections
//   dyad_index_revision, dyad_index_articles      gauge     of the index the workers read
//
// protocol is "binary" or "http"; kind is the request's name ("search", "get", "health",
// "metrics", "static", "preflight", ...); code is an ErrorCode name without its prefix.
#ifndef DYAD_SEARCHD_METRICS_H_
#define DYAD_SEARCHD_METRICS_H_

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "dyad/v1/envelope.pb.h"

namespace dyad {

enum class Protocol { kBinary = 0, kHttp = 1 };
const char* ProtocolName(Protocol protocol);

// "NOT_FOUND" for ERROR_CODE_NOT_FOUND; "OK" for ERROR_CODE_UNSPECIFIED.
std::string ErrorCodeName(v1::ErrorCode code);

// The name of the request an envelope holds: its oneof field ("search", "get", "health"), or
// "empty" when it holds none.
std::string RequestKind(const v1::Envelope& request);

// One answered request, as Metrics counts it and RequestLog writes it.
struct RequestRecord {
  Protocol protocol = Protocol::kBinary;
  std::string kind;
  // The HTTP status ("200", "404"); for the binary protocol "OK" or the ErrorCode name.
  std::string status;
  v1::ErrorCode error = v1::ERROR_CODE_UNSPECIFIED;  // Set when the answer is an Error.
  std::chrono::nanoseconds latency{0};
  std::string request_id;
  std::string peer;  // "127.0.0.1:50312"
  std::string path;  // HTTP only: the path, without the query string.
};

// Thread-safe.
class Metrics {
 public:
  // Upper bounds (seconds) of the latency histogram's buckets; +Inf is implied.
  static constexpr std::array<double, 14> kLatencyBuckets = {
      0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10};

  void Record(const RequestRecord& record);
  void ConnectionOpened(Protocol protocol) { ++connections_[Index(protocol)]; }
  void ConnectionClosed(Protocol protocol) { --connections_[Index(protocol)]; }
  void RequestStarted(Protocol protocol) { ++in_flight_[Index(protocol)]; }
  void RequestFinished(Protocol protocol) { --in_flight_[Index(protocol)]; }

  // The exposition text. `health` (null if the index could not be read) gives the index gauges.
  std::string Render(const v1::HealthResponse* health) const;

  // For tests.
  std::uint64_t requests(Protocol protocol, const std::string& kind) const;
  std::uint64_t errors(Protocol protocol, v1::ErrorCode code) const;
  std::int64_t connections(Protocol protocol) const { return connections_[Index(protocol)]; }

 private:
  static constexpr std::size_t kProtocols = 2;
  static std::size_t Index(Protocol protocol) { return static_cast<std::size_t>(protocol); }

  struct Histogram {
    std::array<std::uint64_t, kLatencyBuckets.size()> buckets{};  // Not cumulative.
    std::uint64_t count = 0;
    double sum = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::pair<std::size_t, std::string>, std::uint64_t> requests_;
  std::map<std::pair<std::size_t, std::string>, std::uint64_t> errors_;
  std::map<std::string, std::uint64_t> http_statuses_;
  std::array<Histogram, kProtocols> latency_;
  std::array<std::atomic<std::int64_t>, kProtocols> connections_{};
  std::array<std::atomic<std::int64_t>, kProtocols> in_flight_{};
};

}  // namespace dyad

#endif  // DYAD_SEARCHD_METRICS_H_
