#include "indexer/build.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include "core/schema.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

class BuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = Analyzer::Create();
    ASSERT_TRUE(created.ok());
    analyzer_.emplace(std::move(*created));
    auto enricher = Enricher::Load(*analyzer_);
    ASSERT_TRUE(enricher.ok()) << enricher.status().ToString();
    enricher_ = std::move(*enricher);
    dir_.Write("corpus/a.txt", "Alpha Title\nAlpha body about Russia.\n");
    dir_.Write("corpus/sub/b.md", "---\nid: bee\n---\nBeta Title\nBeta body about Pakistan.\n");
    dir_.Write("corpus/broken.txt", "");
    dir_.Write("corpus/notes.csv", "ignored,file\n");
    options_.inputs = {dir_.Sub("corpus")};
    options_.index_path = dir_.Sub("index");
  }

  BuildReport Build() {
    BuildReport report;
    Status s = BuildIndex(options_, *enricher_, &report);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return report;
  }

  testutil::TempDir dir_;
  std::optional<Analyzer> analyzer_;
  std::unique_ptr<Enricher> enricher_;
  BuildOptions options_;
};

TEST_F(BuildTest, IndexesEveryReadableArticleAndReportsTheRest) {
  BuildReport report = Build();
  EXPECT_EQ(report.read.files, 3u);
  EXPECT_EQ(report.added, 2u);
  EXPECT_EQ(report.read.skipped, 1u);
  EXPECT_EQ(report.read.ignored_files, 1u);
  ASSERT_EQ(report.read.issues.size(), 1u);
  EXPECT_NE(report.read.issues[0].path.find("broken.txt"), std::string::npos);

  Xapian::Database db(options_.index_path);
  EXPECT_EQ(db.get_doccount(), 2u);
  EXPECT_EQ(db.get_metadata(schema::kMetaSchemaVersion), "1");
  EXPECT_EQ(db.get_termfreq(schema::BooleanTerm(schema::kPrefixId, "a")), 1u);
  EXPECT_EQ(db.get_termfreq(schema::BooleanTerm(schema::kPrefixId, "bee")), 1u);
  EXPECT_EQ(db.get_termfreq("ZSalpha"), 1u);  // Title prefix, stemmed.
  EXPECT_EQ(report.ToJson(),
            "{\"files\":3,\"read\":2,\"added\":2,\"replaced\":0,\"unchanged\":0,\"skipped\":1,"
            "\"ignored_files\":1,\"warnings\":0,\"total\":2,\"shards\":" +
                std::to_string(report.shards) + ",\"published\":true,\"generation\":1}");
}

TEST_F(BuildTest, SecondRunChangesNothingAndEditsReplace) {
  Build();
  const Xapian::rev revision = Xapian::Database(options_.index_path).get_revision();
  BuildReport again = Build();
  EXPECT_EQ(again.unchanged, 2u);
  EXPECT_EQ(again.added + again.replaced, 0u);
  EXPECT_EQ(Xapian::Database(options_.index_path).get_revision(), revision);

  dir_.Write("corpus/a.txt", "Alpha Title\nAlpha body now about China.\n");
  BuildReport edited = Build();
  EXPECT_EQ(edited.replaced, 1u);
  EXPECT_EQ(edited.total, 2u);
  Xapian::Database db(options_.index_path);
  EXPECT_EQ(db.get_termfreq("china"), 1u);
  EXPECT_EQ(db.get_termfreq("russia"), 0u);
}

TEST_F(BuildTest, DuplicateIdIsReported) {
  dir_.Write("corpus/c.txt", "---\nid: bee\n---\nAnother Bee\nText.\n");
  BuildReport report = Build();
  bool warned = false;
  for (const ReadIssue& issue : report.read.issues) {
    warned |= issue.message.find("'bee' was already used") != std::string::npos;
  }
  EXPECT_TRUE(warned);
  EXPECT_EQ(report.total, 2u);
}

TEST_F(BuildTest, MissingInputFailsTheBuild) {
  options_.inputs = {dir_.Sub("nowhere")};
  BuildReport report;
  Status s = BuildIndex(options_, *enricher_, &report);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace dyad
