// End to end through the real executables: dyad-index builds an index from corpus/, dyad-searchd
// serves it on a free loopback port, and the client library and the dyad CLI query it.
#include <gtest/gtest.h>

#include "clients/client.h"
#include "proto/frame.h"
#include "tests/testing/process.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

using testutil::Daemon;
using testutil::RunCommand;
using testutil::RunResult;

// One index of the bundled corpus for the whole suite (building it takes a few seconds).
class DaemonTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testutil::TempDir();
    const RunResult build =
        RunCommand({DYAD_INDEX_BIN, "build", DYAD_SOURCE_DIR "/corpus/articles",
                    DYAD_SOURCE_DIR "/corpus/sotu", "--index", dir_->Sub("index"), "--quiet"});
    ASSERT_EQ(build.exit_code, 0) << build.err;
    build_summary_ = new std::string(build.out);
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete build_summary_;
  }

  std::unique_ptr<Client> Connect(const Daemon& daemon) {
    auto client = Client::Connect("127.0.0.1", daemon.port(), std::chrono::seconds(20));
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    return client.ok() ? std::move(*client) : nullptr;
  }

  static v1::SearchResponse MustSearch(Client& client, const std::string& query) {
    v1::SearchRequest request;
    request.set_query(query);
    auto response = client.Search(request);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    return response.ok() ? *response : v1::SearchResponse();
  }

  static testutil::TempDir* dir_;
  static std::string* build_summary_;
};

testutil::TempDir* DaemonTest::dir_ = nullptr;
std::string* DaemonTest::build_summary_ = nullptr;

TEST_F(DaemonTest, BuildIndexesTheWholeCorpus) {
  EXPECT_NE(build_summary_->find("\"added\":234"), std::string::npos) << *build_summary_;
  EXPECT_NE(build_summary_->find("\"skipped\":0"), std::string::npos) << *build_summary_;
}

TEST_F(DaemonTest, SeedArticleRanksFirstForPakistanRussiaRelations) {
  Daemon daemon(dir_->Sub("index"));
  auto client = Connect(daemon);
  v1::SearchResponse response = MustSearch(*client, "Pakistan Russia relations");
  ASSERT_GE(response.hits_size(), 5);
  EXPECT_EQ(response.hits(0).id(), "pak-russia-relations");
  EXPECT_EQ(response.hits(0).title(),
            "From Mistrust to Mutual Interests: The Saga of Pak-Russia Relations");
  for (int i = 1; i < response.hits_size(); ++i) {
    EXPECT_TRUE(response.hits(i).id().starts_with("sotu-")) << response.hits(i).id();
  }
  EXPECT_EQ(daemon.Stop(), 0);  // SIGTERM is a clean exit.
}

TEST_F(DaemonTest, DemoCorpusAnswersHistoricalQueries) {
  Daemon daemon(dir_->Sub("index"));
  auto client = Connect(daemon);
  v1::SearchResponse soviet = MustSearch(*client, "\"Soviet Union\" arms control");
  ASSERT_GT(soviet.hits_size(), 0);
  const std::string year = soviet.hits(0).published();
  ASSERT_EQ(year.size(), 4u);
  EXPECT_GE(std::stoi(year), 1945);
  EXPECT_LE(std::stoi(year), 1991);  // Arms control with the Soviet Union is a Cold War topic.
}

TEST_F(DaemonTest, OversizeFrameIsRefusedAndTheDaemonKeepsServing) {
  Daemon daemon(dir_->Sub("index"), {"--max-frame-bytes", "4096"});
  auto bad = Connect(daemon);
  ASSERT_TRUE(bad->SendBytes(std::string("\x7f\xff\xff\xff", 4)).ok());
  auto error = bad->Receive();
  ASSERT_TRUE(error.ok()) << error.status().ToString();
  EXPECT_EQ(error->error().code(), v1::ERROR_CODE_FRAME_TOO_LARGE);
  EXPECT_FALSE(bad->Receive().ok());
  auto good = Connect(daemon);
  EXPECT_EQ(MustSearch(*good, "Pakistan Russia relations").hits(0).id(), "pak-russia-relations");
  EXPECT_TRUE(daemon.running());
}

TEST_F(DaemonTest, GarbageBytesGetAnErrorAndTheDaemonKeepsServing) {
  Daemon daemon(dir_->Sub("index"));
  auto client = Connect(daemon);
  std::string garbage(64, '\0');
  for (std::size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>(i * 37 + 11);
  ASSERT_TRUE(client->SendBytes(std::string("\x00\x00\x00\x40", 4) + garbage).ok());
  auto error = client->Receive();
  ASSERT_TRUE(error.ok()) << error.status().ToString();
  EXPECT_EQ(error->error().code(), v1::ERROR_CODE_MALFORMED_FRAME);
  EXPECT_EQ(MustSearch(*client, "Pakistan Russia relations").hits(0).id(), "pak-russia-relations");
  EXPECT_TRUE(daemon.running());
}

TEST_F(DaemonTest, CliPrintsRankedResults) {
  Daemon daemon(dir_->Sub("index"));
  const RunResult text = RunCommand({DYAD_CLI_BIN, "search", "--server", daemon.address(),
                                     "--limit", "3", "Pakistan", "Russia", "relations"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("  1. From Mistrust to Mutual Interests"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("[Pakistan]"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("  3. "), std::string::npos);
  EXPECT_EQ(text.out.find("  4. "), std::string::npos);

  const RunResult json = RunCommand({DYAD_CLI_BIN, "search", "--server", daemon.address(), "--json",
                                     "--limit", "1", "Pakistan Russia relations"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(json.out.find("\"id\":\"pak-russia-relations\""), std::string::npos) << json.out;
}

TEST_F(DaemonTest, CliReportsErrorsWithExitCodes) {
  Daemon daemon(dir_->Sub("index"));
  const RunResult bad_limit =
      RunCommand({DYAD_CLI_BIN, "search", "--server", daemon.address(), "--limit", "99999", "x"});
  EXPECT_EQ(bad_limit.exit_code, 4);  // The request was refused (docs/cli.md, exit statuses).
  EXPECT_NE(bad_limit.err.find("limit"), std::string::npos) << bad_limit.err;
  const RunResult usage = RunCommand({DYAD_CLI_BIN, "search"});
  EXPECT_EQ(usage.exit_code, 2);
  daemon.Stop();
  const RunResult down = RunCommand({DYAD_CLI_BIN, "search", "--server", daemon.address(), "x"});
  EXPECT_EQ(down.exit_code, 3);  // The daemon cannot be reached.
  EXPECT_NE(down.err.find("is dyad-searchd running"), std::string::npos) << down.err;
}

TEST_F(DaemonTest, DaemonRefusesAMissingIndexWithAClearMessage) {
  const RunResult run = RunCommand(
      {DYAD_SEARCHD_BIN, "--index", dir_->Sub("no-such-index"), "--listen", "127.0.0.1:0"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("no index at"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace dyad
