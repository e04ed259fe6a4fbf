#include "tests/testing/process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
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
pid_t Spawn(const std::vector<std::string>& argv, int out_fd, int err_fd, bool own_group = false) {
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  if (own_group) {
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, args[0], &actions, &attributes, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
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
