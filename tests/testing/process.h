// Running Dyad's executables from tests: a command to completion, or dyad-searchd as a daemon on
// a free loopback port.
#ifndef DYAD_TESTS_TESTING_PROCESS_H_
#define DYAD_TESTS_TESTING_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace dyad::testutil {

struct RunResult {
  int exit_code = -1;  // Exit status, or 128 + signal.
  std::string out;
  std::string err;
};

// Runs argv[0] with the arguments and waits for it; captures both output streams.
RunResult RunCommand(const std::vector<std::string>& argv);

struct DaemonOptions {
  bool http = false;        // Also serve HTTP on 127.0.0.1:0 (see Daemon::http_port()).
  std::string stderr_path;  // File for its standard error (the request log); empty: the test's.
  std::string binary;       // The dyad-searchd to run (an installed one); empty: the build's.
};

// dyad-searchd started with `--listen 127.0.0.1:0` plus `extra_args`; the constructor waits for
// its "listening on" lines (reading its standard output, no sleeps) and throws if it exits first.
class Daemon {
 public:
  Daemon(const std::string& index_dir, const std::vector<std::string>& extra_args = {},
         const DaemonOptions& options = {});
  ~Daemon();  // Stop()s.
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  std::uint16_t port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::uint16_t http_port() const { return http_port_; }  // 0 without DaemonOptions::http.
  bool running();                                         // Not exited yet (reaps it if it has).
  pid_t pid() const { return pid_; }                      // -1 once stopped.

  // Sends SIGTERM and waits; returns the exit code (128 + signal if killed by one).
  int Stop();

  // Sends `signal` (e.g. SIGHUP) and returns at once.
  void Signal(int signal);

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;  // Kept open so the daemon never writes into a closed pipe.
  int exit_code_ = -1;
  std::uint16_t port_ = 0;
  std::uint16_t http_port_ = 0;
};

// Any helper server (such as xapian-tcpsrv): started with `argv`, the constructor waits until a
// line of its standard output contains `ready` and throws if it exits first.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::string& ready);
  ~ChildProcess();  // Stop()s.
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  int Stop();  // SIGTERM and wait; the exit code (128 + signal if killed by one).
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int exit_code_ = -1;
};

// A loopback port that was free a moment ago (for servers that cannot pick their own; a
// caller retries if another process takes it first).
std::uint16_t FreeLoopbackPort();

}  // namespace dyad::testutil

#endif  // DYAD_TESTS_TESTING_PROCESS_H_
