// The test helpers' own contract: a server a test starts dies with the test, even when the test
// dies without cleaning up (a sanitizer's report, an abort). Left running, it would keep CTest's
// output pipe open and the run would wait for CTest's timeout.
#include "tests/testing/process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <string>

namespace dyad::testutil {
namespace {

// Whether `pid` has ended: no such process, or a zombie its new parent has not reaped yet.
bool Ended(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  const std::size_t end = line.rfind(')');  // The state follows the command name.
  return end == std::string::npos || line.size() < end + 3 || line[end + 2] == 'Z';
}

TEST(ProcessTest, AServerDiesWithTheTestThatStartedIt) {
  int report[2];
  ASSERT_EQ(pipe(report), 0);
  const pid_t test = fork();
  ASSERT_GE(test, 0);
  if (test == 0) {  // The "test": starts a server, reports its pid, then dies abruptly.
    close(report[0]);
    ChildProcess server({"/bin/sh", "-c", "echo ready; exec sleep 600"}, "ready");
    const pid_t pid = server.pid();
    (void)!write(report[1], &pid, sizeof pid);
    raise(SIGKILL);
  }
  close(report[1]);
  pid_t server = -1;
  ASSERT_EQ(read(report[0], &server, sizeof server), static_cast<ssize_t>(sizeof server));
  close(report[0]);
  int status = 0;
  ASSERT_EQ(waitpid(test, &status, 0), test);
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_GT(server, 0);
  // The kernel kills the server when its parent dies; this only waits for that to be visible.
  bool ended = false;
  for (int i = 0; i < 3000 && !ended; ++i) {
    ended = Ended(server);
    if (!ended) usleep(10000);
  }
  EXPECT_TRUE(ended) << "server " << server << " outlived the test that started it";
  if (!ended) kill(server, SIGKILL);
}

TEST(ProcessTest, AProgramThatCannotStartIsAnError) {
  EXPECT_THROW(RunCommand({"/nonexistent/dyad-no-such-program"}), std::runtime_error);
}

}  // namespace
}  // namespace dyad::testutil
