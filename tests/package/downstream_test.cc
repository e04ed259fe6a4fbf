// A downstream project against an installed Dyad: `cmake --install` of this build into a fresh
// prefix, then tests/downstream (find_package(Dyad), Dyad::client) configured and built against
// that prefix alone, and run against a real dyad-searchd (the installed one) serving an index built
// by the installed dyad-index.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/testing/process.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

namespace fs = std::filesystem;
using testutil::Daemon;
using testutil::DaemonOptions;
using testutil::RunCommand;
using testutil::RunResult;

class DownstreamTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testutil::TempDir();
    const RunResult install =
        RunCommand({DYAD_CMAKE_BIN, "--install", DYAD_BUILD_DIR, "--prefix", Prefix()});
    ASSERT_EQ(install.exit_code, 0) << install.out << install.err;
    // Only the installed prefix is searched for Dyad: the build tree's package registry is off.
    const RunResult configure = RunCommand(
        {DYAD_CMAKE_BIN, "-S", DYAD_SOURCE_DIR "/tests/downstream", "-B", dir_->Sub("sample"),
         "-DCMAKE_BUILD_TYPE=Release", "-DCMAKE_PREFIX_PATH=" + Prefix(),
         "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF", "-DCMAKE_CXX_COMPILER=" DYAD_CXX_COMPILER});
    ASSERT_EQ(configure.exit_code, 0) << configure.out << configure.err;
    const RunResult build = RunCommand({DYAD_CMAKE_BIN, "--build", dir_->Sub("sample")});
    ASSERT_EQ(build.exit_code, 0) << build.out << build.err;
    const RunResult index = RunCommand(
        {"/usr/bin/env", "-u", "DYAD_DATA_DIR", Prefix() + "/bin/dyad-index", "build",
         Prefix() + "/share/dyad/corpus/articles", "--index", dir_->Sub("index"), "--quiet"});
    ASSERT_EQ(index.exit_code, 0) << index.err;
  }
  static void TearDownTestSuite() { delete dir_; }

  static std::string Prefix() { return dir_->Sub("prefix"); }
  static std::string Sample() { return dir_->Sub("sample/dyad-sample"); }

  static testutil::TempDir* dir_;
};

testutil::TempDir* DownstreamTest::dir_ = nullptr;

TEST_F(DownstreamTest, FindsDyadInThePrefixOnly) {
  const std::string cache = dir_->Sub("sample/CMakeCache.txt");
  const RunResult grep = RunCommand({"/bin/grep", "^Dyad_DIR:", cache});
  ASSERT_EQ(grep.exit_code, 0) << grep.err;
  EXPECT_NE(grep.out.find(Prefix() + "/lib/cmake/Dyad"), std::string::npos) << grep.out;
  // The service files are for the package only: a prefix install leaves /etc and systemd alone.
  EXPECT_FALSE(fs::exists(Prefix() + "/etc"));
  EXPECT_FALSE(fs::exists(Prefix() + "/lib/systemd"));
}

TEST_F(DownstreamTest, SampleQueriesARealDaemon) {
  DaemonOptions options;
  options.binary = Prefix() + "/bin/dyad-searchd";
  Daemon daemon(dir_->Sub("index"), {"--quiet"}, options);
  const RunResult run = RunCommand({Sample(), daemon.address(), "Pakistan Russia energy"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("hit 1 pak-russia-relations From Mistrust to Mutual Interests"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("\ntheme energy 1\n"), std::string::npos) << run.out;
  EXPECT_EQ(daemon.Stop(), 0);
}

TEST_F(DownstreamTest, SampleReportsAnUnreachableDaemon) {
  const std::string address = "127.0.0.1:" + std::to_string(testutil::FreeLoopbackPort());
  const RunResult run = RunCommand({Sample(), address, "anything"});
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_NE(run.err.find("dyad-sample: "), std::string::npos) << run.err;
}

}  // namespace
}  // namespace dyad
