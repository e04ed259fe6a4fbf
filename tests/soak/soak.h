// A load and soak driver for a running dyad-searchd: N connections over loopback send a mix of
// valid and invalid traffic on both protocols for a given time, while a few slow clients trickle
// requests byte by byte (slowloris); every answer is checked against what the daemon must do.
//
//   kind               protocol  valid  the daemon must
//   search             binary    yes    answer a SearchResponse with the request's id
//   facets             binary    yes    the same, with one FacetResult per facet asked for
//   http_search        HTTP      yes    answer 200 with a SearchResponse in JSON
//   http_facets        HTTP      yes    the same, with the facets asked for
//   malformed          binary    no     answer Error{MALFORMED_FRAME} (the connection goes on)
//   oversize           binary    no     answer Error{FRAME_TOO_LARGE} and close
//   invalid_utf8       binary    no     answer an Error (a proto3 string must be UTF-8)
//   http_invalid_utf8  HTTP      no     answer 4xx with an Error in JSON
//   garbage_http       HTTP      no     answer 4xx, or close
//   slow_binary        binary    no     close within the request timeout (plus slack)
//   slow_http          HTTP      no     close within the request timeout (plus slack)
// Anything else (a wrong answer, no answer in time, a refused connection) is a failure, counted
// by kind with the first messages kept. Latencies are of valid requests, from the request's
// first byte sent to its answer's last byte read.
#ifndef DYAD_TESTS_SOAK_SOAK_H_
#define DYAD_TESTS_SOAK_SOAK_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "proto/frame.h"

namespace dyad::soak {

struct Options {
  std::uint16_t port = 0;       // The daemon's binary protocol port on 127.0.0.1.
  std::uint16_t http_port = 0;  // Its HTTP port; 0: binary traffic only.
  int connections = 8;          // Clients sending requests back to back.
  int slow_clients = -1;        // Slowloris clients besides them; -1: connections / 8, at least 1.
  std::chrono::milliseconds duration{10000};
  // The daemon's settings, which decide what the invalid requests must get.
  std::size_t max_frame_bytes = kDefaultMaxFrameSize;
  std::chrono::milliseconds request_timeout{10000};
  // Kept connections unused for half of this are reopened first, as a client pool would (the
  // daemon may close them at the timeout, and a request crossing that close would be lost).
  std::chrono::milliseconds idle_timeout{60000};
  // How much later than request_timeout a slow client may be cut off, and how long any answer
  // may take before it counts as missing.
  std::chrono::milliseconds slack{5000};
  std::string token;                 // Sent with every request when not empty.
  std::vector<std::string> queries;  // Valid queries; empty: a built-in list for Dyad's corpus.
  std::uint64_t seed = 1;
  pid_t daemon_pid = 0;  // For RSS figures (/proc/PID/status); 0: none.
  // RSS is sampled before any traffic, after `warm_up` of it, and at the end.
  std::chrono::milliseconds warm_up{1000};
};

struct KindReport {
  std::string name;
  bool valid = false;
  std::uint64_t sent = 0;
  std::uint64_t failed = 0;
  std::uint64_t answered_error = 0;  // Invalid requests answered with an error.
  std::uint64_t closed = 0;          // Invalid requests whose connection the daemon closed.
  double p50_ms = 0, p99_ms = 0, max_ms = 0;  // Valid kinds only.
};

struct Report {
  std::vector<KindReport> kinds;
  double seconds = 0;
  std::uint64_t requests = 0;  // All kinds.
  std::uint64_t valid_requests = 0;
  std::uint64_t valid_failures = 0;  // Must be 0.
  std::uint64_t invalid_requests = 0;
  std::uint64_t invalid_failures = 0;  // Invalid requests neither refused nor closed; must be 0.
  double valid_p99_ms = 0;
  long rss_before_kb = 0, rss_warm_kb = 0, rss_end_kb = 0;  // 0 when unknown.
  bool daemon_alive = true;
  std::vector<std::string> failures;  // The first few messages.

  bool ok() const { return valid_failures == 0 && invalid_failures == 0 && daemon_alive; }
  std::string Text() const;  // A table for people.
  std::string Json() const;  // One object, for scripts.
};

// Drives the daemon for options.duration and reports. Blocks; starts connections + slow_clients
// threads.
Report Run(const Options& options);

// The resident set size of process `pid` in kB (VmRSS), or 0 when it cannot be read.
long ResidentKb(pid_t pid);

}  // namespace dyad::soak

#endif  // DYAD_TESTS_SOAK_SOAK_H_
