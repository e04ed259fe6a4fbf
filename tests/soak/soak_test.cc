// The short soak that CI runs: a real dyad-searchd (both protocols) over an index of the seed
// article and 60 short articles, driven for 10 seconds by 8 request connections and a
// slowloris client mixing every kind of traffic of tests/soak/soak.h. Every valid request must be
// answered, every invalid one refused or its connection closed, and the daemon must live on.
// scripts/soak runs the long version (docs/reliability.md).
#include "tests/soak/soak.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "tests/testing/process.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

namespace fs = std::filesystem;

TEST(SoakTest, EveryValidRequestIsAnsweredAndEveryInvalidOneRefusedOrClosed) {
  // Short articles, so that the daemon's network layer, not ranking long texts, is under test.
  testutil::TempDir dir;
  fs::create_directories(dir.path() / "corpus");
  fs::copy(DYAD_SOURCE_DIR "/corpus/articles", dir.path() / "corpus");
  const char* topics[] = {"energy cooperation and pipelines",
                          "trade and tariffs",
                          "nuclear weapons talks",
                          "the United Nations and freedom",
                          "Congress and the budget",
                          "war and peace in the Cold War"};
  const char* pairs[] = {"Pakistan and Russia", "India and China", "the United States and Iran",
                         "France and Germany", "Japan and Korea"};
  for (int i = 0; i < 60; ++i) {
    dir.Write("corpus/a" + std::to_string(i) + ".txt",
              std::string("Talks between ") + pairs[i % 5] + ", round " + std::to_string(i) +
                  "\n- Topic: " + topics[i % 6] + ".\nOfficials of " + pairs[i % 5] + " met in " +
                  std::to_string(1950 + i) + " to discuss " + topics[(i + 1) % 6] +
                  ". America's economy and jobs came up, as did taxes and taxation.\n");
  }
  const auto build = testutil::RunCommand(
      {DYAD_INDEX_BIN, "build", dir.Sub("corpus"), "--index", dir.Sub("index"), "--quiet"});
  ASSERT_EQ(build.exit_code, 0) << build.err;

  constexpr int kRequestTimeoutMs = 1500;
  constexpr int kIdleTimeoutMs = 3000;
  testutil::DaemonOptions daemon_options;
  daemon_options.http = true;
  testutil::Daemon daemon(
      dir.Sub("index"),
      {"--threads", "2", "--quiet", "--request-timeout-ms", std::to_string(kRequestTimeoutMs),
       "--idle-timeout-ms", std::to_string(kIdleTimeoutMs)},
      daemon_options);
  soak::Options options;
  options.port = daemon.port();
  options.http_port = daemon.http_port();
  options.connections = 8;
  options.duration = std::chrono::seconds(10);
  options.request_timeout = std::chrono::milliseconds(kRequestTimeoutMs);
  options.idle_timeout = std::chrono::milliseconds(kIdleTimeoutMs);
  options.daemon_pid = daemon.pid();
  const soak::Report report = soak::Run(options);
  std::printf("%s", report.Text().c_str());

  EXPECT_EQ(report.valid_failures, 0u);
  EXPECT_EQ(report.invalid_failures, 0u);
  for (const soak::KindReport& kind : report.kinds) {
    EXPECT_GT(kind.sent, 0u) << kind.name << " was never sent";
    if (!kind.valid) {
      EXPECT_EQ(kind.answered_error + kind.closed, kind.sent) << kind.name;
    }
  }
  EXPECT_GT(report.valid_requests, 100u);
  EXPECT_TRUE(report.daemon_alive);
  EXPECT_TRUE(daemon.running());
  EXPECT_GT(report.rss_end_kb, 0);
}

}  // namespace
}  // namespace dyad
