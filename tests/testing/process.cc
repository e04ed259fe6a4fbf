#include "tests/testing/process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace dyad::testutil {
namespace {

int DecodeWait(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// With `own_group` the child leads a new process group, so that a server which signals its
// whole group (xapian-tcpsrv does on SIGTERM) never reaches the test.
// The child is killed when the thread that started it ends (PR_SET_PDEATHSIG; the helpers start
// children from the test's own thread): a test that dies, from a failed assertion's abort or a
// sanitizer, must not leave a daemon behind holding CTest's output pipe, which kept a CI stage
// waiting for CTest's timeout.
pid_t Spawn(const std::vector<std::string>& argv, int out_fd, int err_fd, bool own_group = false) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t parent = getpid();
  int ready[2];  // Closed on exec; carries errno if exec fails.
  if (pipe2(ready, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = fork();
  if (pid < 0) {
    close(ready[0]);
    close(ready[1]);
    throw std::runtime_error("cannot start " + argv[0]);
  }
  if (pid == 0) {  // Only async-signal-safe calls until exec.
    int error = 0;
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent ||
        (own_group && setpgid(0, 0) != 0) || dup2(out_fd, STDOUT_FILENO) < 0 ||
        dup2(err_fd, STDERR_FILENO) < 0) {
      error = errno != 0 ? errno : ESRCH;
    } else {
      execve(args[0], args.data(), environ);
      error = errno;
    }
    (void)!write(ready[1], &error, sizeof error);
    _exit(127);
  }
  close(ready[1]);
  int error = 0;
  ssize_t n;
  while ((n = read(ready[0], &error, sizeof error)) < 0 && errno == EINTR) {
  }
  close(ready[0]);
  if (n > 0) {
    waitpid(pid, nullptr, 0);
    throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(error));
  }
  return pid;
}

}  // namespace

RunResult RunCommand(const std::vector<std::string>& argv) {
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  const pid_t pid = Spawn(argv, out[1], err[1]);
  close(out[1]);
  close(err[1]);
  RunResult result;
  std::array<pollfd, 2> fds{{{out[0], POLLIN, 0}, {err[0], POLLIN, 0}}};
  std::array<std::string*, 2> sinks{&result.out, &result.err};
  int open_fds = 2;
  char buffer[65536];
  while (open_fds > 0) {
    if (poll(fds.data(), fds.size(), -1) < 0) break;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = DecodeWait(status);
  return result;
}

Daemon::Daemon(const std::string& index_dir, const std::vector<std::string>& extra_args,
               const DaemonOptions& options) {
  std::vector<std::string> argv = {options.binary.empty() ? DYAD_SEARCHD_BIN : options.binary,
                                   "--index", index_dir, "--listen", "127.0.0.1:0"};
  if (options.http) {
    argv.push_back("--http");
    argv.push_back("127.0.0.1:0");
  }
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  int err_fd = STDERR_FILENO;
  if (!options.stderr_path.empty()) {
    err_fd = open(options.stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (err_fd < 0) throw std::runtime_error("cannot create " + options.stderr_path);
  }
  pid_ = Spawn(argv, out[1], err_fd);
  close(out[1]);
  if (err_fd != STDERR_FILENO) close(err_fd);
  stdout_fd_ = out[0];
  // Block until the daemon prints its addresses or exits (EOF).
  const auto read_port = [&](const std::string& marker) -> std::uint16_t {
    std::string line;
    char c;
    while (read(stdout_fd_, &c, 1) == 1 && c != '\n') line += c;
    const std::size_t at = line.find(marker);
    if (at == std::string::npos) {
      Stop();
      throw std::runtime_error("dyad-searchd did not start: '" + line + "'");
    }
    return static_cast<std::uint16_t>(std::stoi(line.substr(at + marker.size())));
  };
  port_ = read_port("listening on 127.0.0.1:");
  if (options.http) http_port_ = read_port("http listening on 127.0.0.1:");
}

Daemon::~Daemon() { Stop(); }

bool Daemon::running() {
  if (pid_ < 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == 0) return true;
  exit_code_ = DecodeWait(status);
  pid_ = -1;
  return false;
}

int Daemon::Stop() {
  if (stdout_fd_ >= 0) {
    close(stdout_fd_);
    stdout_fd_ = -1;
  }
  if (pid_ < 0) return exit_code_;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  exit_code_ = DecodeWait(status);
  pid_ = -1;
  return exit_code_;
}

void Daemon::Signal(int signal) {
  if (pid_ >= 0) kill(pid_, signal);
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::string& ready) {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  pid_ = Spawn(argv, out[1], STDERR_FILENO, /*own_group=*/true);
  close(out[1]);
  stdout_fd_ = out[0];
  std::string line;
  char c;
  while (read(stdout_fd_, &c, 1) == 1) {
    if (c != '\n') {
      line += c;
      continue;
    }
    if (line.find(ready) != std::string::npos) return;
    line.clear();
  }
  Stop();
  throw std::runtime_error(argv[0] + " exited before printing '" + ready + "'");
}

ChildProcess::~ChildProcess() { Stop(); }

int ChildProcess::Stop() {
  if (stdout_fd_ >= 0) {
    close(stdout_fd_);
    stdout_fd_ = -1;
  }
  if (pid_ <= 0) return exit_code_;
  kill(-pid_, SIGTERM);  // The server and the processes it forked for connections.
  int status = 0;
  waitpid(pid_, &status, 0);
  exit_code_ = DecodeWait(status);
  pid_ = -1;
  return exit_code_;
}

std::uint16_t FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    throw std::runtime_error("cannot find a free loopback port");
  }
  close(fd);
  return ntohs(address.sin_port);
}

}  // namespace dyad::testutil
