// dyad-index build through the real executable: --format, --jsonl-fields, errors and --help.
#include <gtest/gtest.h>
#include <xapian.h>

#include "core/data_files.h"
#include "core/schema.h"
#include "tests/testing/process.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

using testutil::RunCommand;
using testutil::RunResult;

constexpr char kData[] = DYAD_SOURCE_DIR "/tests/data/";

bool HasId(const std::string& index, const std::string& id) {
  return Xapian::Database(index).get_termfreq(schema::BooleanTerm(schema::kPrefixId, id)) == 1;
}

TEST(IndexCli, FormatFlagOverridesTheExtension) {
  testutil::TempDir dir;
  StatusOr<std::string> trec = ReadFileToString(std::string(kData) + "trec-sample.trec");
  ASSERT_TRUE(trec.ok());
  const std::string as_text = dir.Write("wire.txt", *trec);

  const RunResult by_extension =
      RunCommand({DYAD_INDEX_BIN, "build", as_text, "--index", dir.Sub("a")});
  ASSERT_EQ(by_extension.exit_code, 0) << by_extension.err;
  EXPECT_NE(by_extension.out.find("\"total\":1,"), std::string::npos) << by_extension.out;

  const RunResult forced =
      RunCommand({DYAD_INDEX_BIN, "build", as_text, "--format", "trec", "--index", dir.Sub("b")});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_NE(forced.out.find("\"total\":3,"), std::string::npos) << forced.out;
  EXPECT_TRUE(HasId(dir.Sub("b"), "LA010189-0002"));
}

TEST(IndexCli, DetectsFormatsByContent) {
  testutil::TempDir dir;
  const RunResult run = RunCommand(
      {DYAD_INDEX_BIN, "build", std::string(kData) + "cisi-excerpt.ALL",
       std::string(kData) + "time-sample.glasgow", "--index", dir.Sub("i"), "--shards", "3"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "{\"files\":2,\"read\":8,\"added\":8,\"replaced\":0,\"unchanged\":0,\"skipped\":0,"
            "\"ignored_files\":0,\"warnings\":0,\"total\":8,\"shards\":3,\"published\":true,"
            "\"generation\":1}\n");
  EXPECT_TRUE(HasId(dir.Sub("i"), "321"));
  EXPECT_TRUE(HasId(dir.Sub("i"), "017"));
}

TEST(IndexCli, JsonLinesFieldNames) {
  testutil::TempDir dir;
  const std::string feed = dir.Write(
      "feed.jsonl", R"({"doc_id":"n1","headline":"Energy talks","text":"Pakistan and Russia."})"
                    "\n");
  const RunResult run = RunCommand({DYAD_INDEX_BIN, "build", feed, "--jsonl-fields",
                                    "id=doc_id,title=headline,body=text", "--index", dir.Sub("i")});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(HasId(dir.Sub("i"), "n1"));
  EXPECT_EQ(Xapian::Database(dir.Sub("i")).get_termfreq("ZSenergi"), 1u);  // Stemmed title term.
}

TEST(IndexCli, BrokenRecordsArePrintedWithFileAndLine) {
  testutil::TempDir dir;
  const std::string file =
      dir.Write("x.smart", ".I 1\n.T\nKept\n.W\nText.\n.I\n.T\nLost\n.I 3\n.T\nAlso kept\n");
  const RunResult run =
      RunCommand({DYAD_INDEX_BIN, "build", file, "--format", "smart", "--index", dir.Sub("i")});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, file + ":6: error: .I without a record number; skipped\n");
  EXPECT_NE(run.out.find("\"added\":2,"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\"skipped\":1,"), std::string::npos) << run.out;
}

TEST(IndexCli, UsageErrors) {
  const std::vector<std::vector<std::string>> cases = {
      {DYAD_INDEX_BIN, "build", "x", "--index", "y", "--format", "pdf"},
      {DYAD_INDEX_BIN, "build", "x", "--index", "y", "--format"},
      {DYAD_INDEX_BIN, "build", "x", "--index", "y", "--jsonl-fields", "colour=red"},
      {DYAD_INDEX_BIN, "build", "x", "--index", "y", "--shards", "0"},
      {DYAD_INDEX_BIN, "build", "x", "--index", "y", "--threads", "many"},
      {DYAD_INDEX_BIN, "build", "x", "--index", "y", "--shards", "999"},
      {DYAD_INDEX_BIN, "rollback", "y"},
  };
  for (const auto& argv : cases) {
    const RunResult run = RunCommand(argv);
    EXPECT_EQ(run.exit_code, 2) << argv.back();
    EXPECT_NE(run.err.find("Usage:"), std::string::npos) << argv.back();
  }
}

TEST(IndexCli, SecondRunPublishesNothingAndRollbackGoesBack) {
  testutil::TempDir dir;
  dir.Write("c/a.txt", "Alpha\nAbout Russia.\n");
  const std::vector<std::string> build = {DYAD_INDEX_BIN, "build",    dir.Sub("c"), "--index",
                                          dir.Sub("i"),   "--shards", "2"};
  ASSERT_EQ(RunCommand(build).exit_code, 0);
  const RunResult again = RunCommand(build);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("\"unchanged\":1,"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("\"published\":false,\"generation\":1}"), std::string::npos)
      << again.out;
  EXPECT_EQ(again.err, "");  // Standard error is not a terminal: no progress line.

  dir.Write("c/b.txt", "Beta\nAbout Chile.\n");
  EXPECT_NE(RunCommand(build).out.find("\"published\":true,\"generation\":2}"), std::string::npos);
  EXPECT_TRUE(HasId(dir.Sub("i"), "b"));
  const RunResult back = RunCommand({DYAD_INDEX_BIN, "rollback", "--index", dir.Sub("i")});
  ASSERT_EQ(back.exit_code, 0) << back.err;
  EXPECT_EQ(back.out, "{\"generation\":1}\n");
  EXPECT_FALSE(HasId(dir.Sub("i"), "b"));
  EXPECT_EQ(RunCommand({DYAD_INDEX_BIN, "rollback", "--index", dir.Sub("i")}).exit_code, 1);
}

TEST(IndexCli, HelpListsFormatsAndFlags) {
  const RunResult help = RunCommand({DYAD_INDEX_BIN, "--help"});
  ASSERT_EQ(help.exit_code, 0);
  for (const char* word : {"--format", "--jsonl-fields", "--shards", "rollback", "trec", "smart",
                           "glasgow", "sgml", "jsonl", ".gz", "published=published"}) {
    EXPECT_NE(help.out.find(word), std::string::npos) << word;
  }
}

}  // namespace
}  // namespace dyad
