// dyad-index build --prune and dyad-index stats, on real indexes in a temporary directory.
#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>

#include "core/data_files.h"
#include "core/schema.h"
#include "indexer/build.h"
#include "indexer/index_stats.h"
#include "tests/testing/process.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

class PruneTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = Analyzer::Create();
    ASSERT_TRUE(created.ok());
    analyzer_.emplace(std::move(*created));
    auto enricher = Enricher::Load(*analyzer_);
    ASSERT_TRUE(enricher.ok()) << enricher.status().ToString();
    enricher_ = std::move(*enricher);
    dir_.Write("corpus/a.txt", "Alpha\nAbout Russia.\n");
    dir_.Write("corpus/sub/b.txt", "Beta\nAbout Pakistan.\n");
    StatusOr<std::string> trec = ReadFileToString(DYAD_SOURCE_DIR "/tests/data/trec-sample.trec");
    ASSERT_TRUE(trec.ok());
    dir_.Write("corpus/wire.trec", *trec);
    dir_.Write("other/c.txt", "Gamma\nAbout China.\n");
    Build({dir_.Sub("corpus"), dir_.Sub("other")}, false);
    ASSERT_EQ(Count(), 6u);
  }

  BuildReport Build(const std::vector<std::string>& inputs, bool prune) {
    BuildExtras extras;
    extras.prune = prune;
    BuildReport report;
    const Status s = BuildIndex({inputs, dir_.Sub("index")}, extras, *enricher_, &report);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return report;
  }

  Xapian::doccount Count() { return Xapian::Database(dir_.Sub("index")).get_doccount(); }
  bool Has(const std::string& id) {
    return Xapian::Database(dir_.Sub("index"))
               .get_termfreq(schema::BooleanTerm(schema::kPrefixId, id)) > 0;
  }

  testutil::TempDir dir_;
  std::optional<Analyzer> analyzer_;
  std::unique_ptr<Enricher> enricher_;
};

TEST_F(PruneTest, DeletesArticlesOfRemovedFilesUnderTheInputsOnly) {
  std::filesystem::remove(dir_.Sub("corpus/a.txt"));
  std::filesystem::remove(dir_.Sub("corpus/wire.trec"));
  std::filesystem::remove(dir_.Sub("other/c.txt"));  // Gone too, but not under the input.

  const BuildReport without = Build({dir_.Sub("corpus")}, false);
  EXPECT_FALSE(without.pruned.has_value());
  EXPECT_EQ(Count(), 6u);

  const BuildReport report = Build({dir_.Sub("corpus")}, true);
  ASSERT_TRUE(report.pruned.has_value());
  EXPECT_EQ(*report.pruned, 4u);  // a and the three TREC articles.
  EXPECT_EQ(report.total, 2u);
  EXPECT_NE(report.ToJson().find("\"pruned\":4,\"total\":2,"), std::string::npos)
      << report.ToJson();
  EXPECT_FALSE(Has("a"));
  EXPECT_FALSE(Has("AP631104-0001"));
  EXPECT_TRUE(Has("sub/b"));
  EXPECT_TRUE(Has("c"));
}

TEST_F(PruneTest, KeepsArticlesWhoseFileExistsButNoLongerReads) {
  dir_.Write("corpus/a.txt", "");  // Broken now: reported, but its article is not lost.
  const BuildReport report = Build({dir_.Sub("corpus")}, true);
  EXPECT_EQ(*report.pruned, 0u);
  EXPECT_EQ(report.read.skipped, 1u);
  EXPECT_TRUE(Has("a"));
}

TEST_F(PruneTest, InputGivenAsAFileOrWithTrailingSlash) {
  std::filesystem::remove(dir_.Sub("corpus/sub/b.txt"));
  EXPECT_EQ(*Build({dir_.Sub("corpus/a.txt")}, true).pruned, 0u);  // b is not under a.txt.
  EXPECT_TRUE(Has("sub/b"));
  EXPECT_EQ(*Build({dir_.Sub("corpus/sub/../")}, true).pruned, 1u);
  EXPECT_FALSE(Has("sub/b"));
}

TEST_F(PruneTest, StatsCountArticlesAndSources) {
  StatusOr<IndexStats> stats = ReadIndexStats(dir_.Sub("index"), 10);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->articles, 6u);
  EXPECT_EQ(stats->schema_version, std::to_string(schema::kSchemaVersion));
  EXPECT_GT(stats->bytes_on_disk, 0u);
  EXPECT_EQ(stats->sources, 0u);  // No article of this corpus names a source.
  EXPECT_EQ(stats->without_source, 6u);

  EXPECT_EQ(ReadIndexStats(dir_.Sub("missing"), 10).status().code(), StatusCode::kNotFound);
  std::filesystem::create_directories(dir_.Sub("empty-dir"));
  EXPECT_EQ(ReadIndexStats(dir_.Sub("empty-dir"), 10).status().code(), StatusCode::kNotFound);
}

TEST(IndexStatsCli, TopSourcesFromARealIndex) {
  testutil::TempDir dir;
  dir.Write("c/CISI.ALL", ".I 1\n.T\nOne\n.I 2\n.T\nTwo\n");
  dir.Write("c/TIME.ALL", "*TEXT 001 01/04/63 PAGE 1\nA STORY .\n*STOP\n");
  dir.Write("c/x.md", "---\nsource: Dawn\n---\nTitle\nText.\n");
  dir.Write("c/y.md", "---\nsource: TIME\n---\nTitle\nText.\n");
  dir.Write("c/z.md", "No Source\nText.\n");
  const testutil::RunResult build =
      testutil::RunCommand({DYAD_INDEX_BIN, "build", dir.Sub("c"), "--index", dir.Sub("i")});
  ASSERT_EQ(build.exit_code, 0) << build.err;

  const testutil::RunResult json = testutil::RunCommand(
      {DYAD_INDEX_BIN, "stats", "--index", dir.Sub("i"), "--json", "--top", "2"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const std::string prefix = "{\"articles\":6,\"bytes_on_disk\":";
  ASSERT_EQ(json.out.substr(0, prefix.size()), prefix) << json.out;
  EXPECT_NE(
      json.out.find(",\"schema_version\":\"1\",\"sources\":3,\"without_source\":1,\"generation\":1,"
                    "\"top_sources\":[{\"source\":\"cisi\",\"articles\":2},"
                    "{\"source\":\"time\",\"articles\":2}]}\n"),
      std::string::npos)
      << json.out;

  const testutil::RunResult text =
      testutil::RunCommand({DYAD_INDEX_BIN, "stats", "--index", dir.Sub("i")});
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("articles        6\n"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("  1\tdawn\n"), std::string::npos) << text.out;

  EXPECT_EQ(testutil::RunCommand({DYAD_INDEX_BIN, "stats", "--index", dir.Sub("none")}).exit_code,
            1);
  EXPECT_EQ(testutil::RunCommand({DYAD_INDEX_BIN, "stats"}).exit_code, 2);
}

}  // namespace
}  // namespace dyad
