// Reload under load: dyad-index publishes new generations under a daemon that is serving clients
// on both protocols and getting SIGHUPs; no request may fail and every generation must become
// searchable. (kill -9 of the indexer: tests/indexer/kill_test.cc; disk full:
// tests/indexer/disk_full_test.cc.)
#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "clients/client.h"
#include "indexer/index_folder.h"
#include "tests/testing/http_client.h"
#include "tests/testing/process.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using testutil::Daemon;

testutil::RunResult Build(const std::string& corpus, const std::string& index) {
  return testutil::RunCommand(
      {DYAD_INDEX_BIN, "build", corpus, "--index", index, "--prune", "--quiet"});
}

TEST(ReloadUnderLoadTest, NoRequestFailsWhileGenerationsArePublishedAndSighupsArrive) {
  testutil::TempDir dir;
  for (int i = 0; i < 40; ++i) {  // Short articles: quick searches, many of them.
    dir.Write("corpus/" + std::to_string(i) + ".txt",
              "Union address " + std::to_string(i) + "\nCongress heard of war, peace, the " +
                  "economy and jobs, round " + std::to_string(i) + ".\n");
  }
  ASSERT_EQ(Build(dir.Sub("corpus"), dir.Sub("index")).exit_code, 0);
  testutil::DaemonOptions daemon_options;
  daemon_options.http = true;
  Daemon daemon(dir.Sub("index"), {"--threads", "2", "--quiet"}, daemon_options);

  std::atomic<bool> stop{false};
  std::atomic<int> answered{0}, failed{0}, hangups{0};
  std::vector<std::thread> clients;
  const char* queries[] = {"congress", "union", "war OR peace", "economy AND jobs"};
  for (int i = 0; i < 3; ++i) {  // Binary clients.
    clients.emplace_back([&, i] {
      auto client = Client::Connect("127.0.0.1", daemon.port(), std::chrono::seconds(20));
      if (!client.ok()) {
        ++failed;
        return;
      }
      for (int n = 0; !stop; ++n) {
        v1::SearchRequest request;
        request.set_query(queries[(n + i) % 4]);
        auto response = (*client)->Search(request);
        if (response.ok() && response->hits_size() > 0) {
          ++answered;
        } else {
          ++failed;
          ADD_FAILURE() << (response.ok() ? "no hits" : response.status().ToString());
        }
      }
    });
  }
  for (int i = 0; i < 2; ++i) {  // HTTP clients.
    clients.emplace_back([&, i] {
      testutil::HttpClient client(daemon.http_port(), std::chrono::seconds(20));
      for (int n = 0; !stop; ++n) {
        const auto reply =
            client.Get(std::string("/v1/search?q=") + (n % 2 ? "union" : "congress"));
        if (reply.status == 200) {
          ++answered;
        } else {
          ++failed;
          ADD_FAILURE() << "HTTP " << reply.status << " " << reply.error << " " << reply.body;
        }
      }
    });
  }
  // Hangups paced by the clients' answers: one every 50, so reloads overlap searches.
  clients.emplace_back([&] {
    auto client = Client::Connect("127.0.0.1", daemon.port(), std::chrono::seconds(20));
    if (!client.ok()) return;
    for (int sent_at = 0; !stop;) {
      if (!(*client)->Health().ok()) ++failed;
      if (answered >= sent_at + 50) {
        sent_at = answered;
        daemon.Signal(SIGHUP);
        ++hangups;
      }
    }
  });

  // Each generation adds an article with a new word and drops the previous one; the daemon must
  // come to see the new word (commits are noticed without a signal too).
  const char* words[] = {"quokka", "narwhal", "axolotl", "pangolin", "okapi", "tapir"};
  auto probe = Client::Connect("127.0.0.1", daemon.port(), std::chrono::seconds(20));
  ASSERT_TRUE(probe.ok());
  std::optional<std::uint64_t> last_generation;
  for (int g = 0; g < 6; ++g) {
    if (g > 0) fs::remove(dir.path() / "corpus" / (std::string(words[g - 1]) + ".txt"));
    std::ofstream(dir.path() / "corpus" / (std::string(words[g]) + ".txt"))
        << "The " << words[g] << " question\nCongress debated the " << words[g] << ".\n";
    const auto build = Build(dir.Sub("corpus"), dir.Sub("index"));
    ASSERT_EQ(build.exit_code, 0) << build.err;
    auto generation = PublishedGeneration(dir.Sub("index"));
    ASSERT_TRUE(generation.ok() && generation->has_value());
    EXPECT_NE(*generation, last_generation);
    last_generation = *generation;
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    bool visible = false;
    while (!visible && Clock::now() < deadline) {
      v1::SearchRequest request;
      request.set_query(words[g]);
      auto response = (*probe)->Search(request);
      visible = response.ok() && response->hits_size() == 1;
    }
    EXPECT_TRUE(visible) << words[g] << " never became searchable";
  }
  stop = true;
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_GT(answered, 100);
  EXPECT_GT(hangups, 5);
  std::printf("%d answers, %d SIGHUPs, 6 generations published, %d failures\n", answered.load(),
              hangups.load(), failed.load());
  EXPECT_TRUE(daemon.running());
}

}  // namespace
}  // namespace dyad
