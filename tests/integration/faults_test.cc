// Faults around a running system: dyad-index publishing new generations under a daemon that is
// serving clients on both protocols and getting SIGHUPs (no request may fail), and a build that
// runs out of disk space (a clear error, the published index untouched, and the next build
// succeeds). kill -9 of the indexer is tests/indexer/kill_test.cc.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <xapian.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "clients/client.h"
#include "indexer/index_folder.h"
#include "tests/indexer/index_contents.h"
#include "tests/testing/http_client.h"
#include "tests/testing/process.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using testutil::Daemon;

// The first `count` State of the Union speeches (in name order, every `step`th) into `folder`.
void CopySpeeches(const fs::path& folder, std::size_t count, std::size_t step = 1) {
  std::vector<fs::path> speeches;
  for (const auto& entry : fs::directory_iterator(DYAD_SOURCE_DIR "/corpus/sotu")) {
    speeches.push_back(entry.path());
  }
  std::sort(speeches.begin(), speeches.end());
  fs::create_directories(folder);
  for (std::size_t i = 0; i < count && i * step < speeches.size(); ++i) {
    fs::copy_file(speeches[i * step], folder / speeches[i * step].filename(),
                  fs::copy_options::overwrite_existing);
  }
}

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

// A tmpfs of `megabytes` mounted on `path` for the test's lifetime (needs root).
class SmallDisk {
 public:
  SmallDisk(const std::string& path, int megabytes) : path_(path) {
    fs::create_directories(path);
    const std::string options = "size=" + std::to_string(megabytes) + "m,mode=0700";
    if (mount("tmpfs", path.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) == 0) {
      mounted_ = true;
    } else {
      error_ = std::strerror(errno);
    }
  }
  ~SmallDisk() {
    if (mounted_) umount2(path_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }
  std::uint64_t used_bytes() const {
    struct statvfs st {};
    if (statvfs(path_.c_str(), &st) != 0) return 0;
    return static_cast<std::uint64_t>(st.f_blocks - st.f_bfree) * st.f_frsize;
  }

 private:
  std::string path_;
  bool mounted_ = false;
  std::string error_;
};

TEST(DiskFullTest, ABuildThatRunsOutOfSpaceFailsClearlyAndKeepsThePublishedIndex) {
  if (geteuid() != 0) {
    GTEST_SKIP() << "needs root to mount a small tmpfs; run the tests as root to include "
                    "the disk-full case";
  }
  testutil::TempDir dir;
  SmallDisk disk(dir.Sub("disk"), 4);
  if (!disk.mounted()) {
    GTEST_SKIP() << "cannot mount a tmpfs here (" << disk.error() << "); disk-full case skipped";
  }
  const std::string index = dir.Sub("disk/index");
  CopySpeeches(dir.path() / "small", 3);
  ASSERT_EQ(Build(dir.Sub("small"), index).exit_code, 0);
  const auto published = PublishedGeneration(index);
  ASSERT_TRUE(published.ok() && published->has_value());
  const auto before = testutil::IndexContents(index);
  const std::uint64_t used_before = disk.used_bytes();

  // Every speech (11 MB of text) cannot fit in 4 MB.
  CopySpeeches(dir.path() / "small", 1000);
  const auto full = Build(dir.Sub("small"), index);
  EXPECT_NE(full.exit_code, 0);
  EXPECT_NE(full.err.find("No space left on device"), std::string::npos) << full.err;
  EXPECT_EQ(PublishedGeneration(index).value(), *published);
  EXPECT_EQ(testutil::IndexContents(index), before);
  Xapian::Database database(index);
  Xapian::Enquire enquire(database);
  enquire.set_query(Xapian::Query("congress"));
  EXPECT_GT(enquire.get_mset(0, 10).size(), 0u);
  // The failed build left nothing behind to fill the disk...
  EXPECT_LT(disk.used_bytes(), used_before + 256 * 1024) << "bytes left by the failed build";
  // ...so a build that fits succeeds.
  fs::remove_all(dir.path() / "small");
  CopySpeeches(dir.path() / "small", 4);
  const auto rerun = Build(dir.Sub("small"), index);
  EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_NE(PublishedGeneration(index).value(), *published);
}

}  // namespace
}  // namespace dyad
