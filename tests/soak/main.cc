// dyad-soak: drives a running dyad-searchd with valid and invalid traffic (tests/soak/soak.h) and
// prints what happened. Exits 0 when every valid request was answered, every invalid one was
// refused or its connection closed, and the daemon still answers; 1 otherwise; 2 for bad flags.
// scripts/soak starts a daemon over an index of corpus/ and runs this against it.
#include <charconv>
#include <fstream>
#include <iostream>
#include <string>

#include "tests/soak/soak.h"

namespace {

constexpr char kUsage[] = R"(Usage: dyad-soak --port PORT [options]

Sends valid searches (binary and HTTP, with and without facets), malformed and oversize frames,
queries that are not UTF-8, garbage HTTP and slowloris clients to dyad-searchd on 127.0.0.1.

  --port PORT              the daemon's binary port (required)
  --http-port PORT         its HTTP port (without it: binary traffic only)
  --connections N          clients sending requests back to back [8]
  --slow-clients N         slowloris clients besides them [connections / 8, at least 1]
  --seconds S              how long [10]
  --warm-up-seconds S      RSS is sampled before the traffic, after S seconds of it, at the end [1]
  --max-frame-bytes N      the daemon's --max-frame-bytes [4194304]
  --request-timeout-ms MS  the daemon's --request-timeout-ms [10000]
  --idle-timeout-ms MS     the daemon's --idle-timeout-ms [60000]
  --slack-ms MS            how late past that a slow client may be cut off, and an answer
                           may come [5000]
  --token-file FILE        the daemon's token
  --pid PID                the daemon's process id, for RSS figures
  --seed N                 random seed [1]
  --json                   print the report as one JSON object
  --json-file FILE         also write it to FILE
)";

bool Number(const std::string& text, long long* out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return !text.empty() && error == std::errc() && end == text.data() + text.size() && *out >= 0;
}

}  // namespace

int main(int argc, char** argv) {
  dyad::soak::Options options;
  bool json = false;
  std::string json_file;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (flag == "--json") {
      json = true;
      continue;
    }
    if (i + 1 >= argc) {
      std::cerr << "dyad-soak: " << flag << " needs a value\n" << kUsage;
      return 2;
    }
    const std::string value = argv[++i];
    if (flag == "--json-file") {
      json_file = value;
      continue;
    }
    if (flag == "--token-file") {
      std::ifstream in(value);
      if (!(in >> options.token)) {
        std::cerr << "dyad-soak: cannot read a token from " << value << "\n";
        return 2;
      }
      continue;
    }
    long long n = 0;
    if (!Number(value, &n)) {
      std::cerr << "dyad-soak: " << flag << " needs a number, not '" << value << "'\n";
      return 2;
    }
    if (flag == "--port") {
      options.port = static_cast<std::uint16_t>(n);
    } else if (flag == "--http-port") {
      options.http_port = static_cast<std::uint16_t>(n);
    } else if (flag == "--connections") {
      options.connections = static_cast<int>(n);
    } else if (flag == "--slow-clients") {
      options.slow_clients = static_cast<int>(n);
    } else if (flag == "--seconds") {
      options.duration = std::chrono::seconds(n);
    } else if (flag == "--warm-up-seconds") {
      options.warm_up = std::chrono::seconds(n);
    } else if (flag == "--max-frame-bytes") {
      options.max_frame_bytes = static_cast<std::size_t>(n);
    } else if (flag == "--request-timeout-ms") {
      options.request_timeout = std::chrono::milliseconds(n);
    } else if (flag == "--idle-timeout-ms") {
      options.idle_timeout = std::chrono::milliseconds(n);
    } else if (flag == "--slack-ms") {
      options.slack = std::chrono::milliseconds(n);
    } else if (flag == "--pid") {
      options.daemon_pid = static_cast<pid_t>(n);
    } else if (flag == "--seed") {
      options.seed = static_cast<std::uint64_t>(n);
    } else {
      std::cerr << "dyad-soak: unknown flag " << flag << "\n" << kUsage;
      return 2;
    }
  }
  if (options.port == 0 || options.connections < 1) {
    std::cerr << "dyad-soak: --port and at least one connection are needed\n" << kUsage;
    return 2;
  }
  const dyad::soak::Report report = dyad::soak::Run(options);
  std::cout << (json ? report.Json() + "\n" : report.Text());
  if (!json_file.empty() && !(std::ofstream(json_file) << report.Json() << "\n")) {
    std::cerr << "dyad-soak: cannot write " << json_file << "\n";
  }
  return report.ok() ? 0 : 1;
}
