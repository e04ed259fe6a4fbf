// Reads the whole Reuters-21578 collection in ../shared: every record becomes an article.
#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <string>

#include "indexer/reader.h"

namespace dyad {
namespace {

TEST(ReutersCorpus, ReadsAll21578RecordsWithUniqueIds) {
  std::vector<std::string> inputs;
  for (int i = 0; i <= 21; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "reut2-%03d.sgm", i);
    inputs.push_back(DYAD_SHARED_DIR "/corpora/reuters21578/" + std::string(name));
  }
  std::set<std::string> ids;
  std::size_t with_places = 0, with_body = 0;
  ReadReport report;
  ASSERT_TRUE(ReadCorpus(
                  inputs,
                  [&](v1::StoredArticle&& a) {
                    ids.insert(a.id());
                    if (!a.metadata().at("places").empty()) ++with_places;
                    if (a.sections_size() > 0) ++with_body;
                    EXPECT_EQ(a.published().substr(0, 4), "1987") << a.id();
                    return Status::Ok();
                  },
                  &report)
                  .ok());
  EXPECT_EQ(report.files, 22u);
  EXPECT_EQ(report.articles, 21578u);
  EXPECT_EQ(ids.size(), 21578u);
  EXPECT_EQ(*ids.begin(), "1");
  EXPECT_EQ(report.skipped, 0u);
  std::size_t errors = 0;
  for (const ReadIssue& issue : report.issues) {
    if (issue.severity == ReadIssue::Severity::kError) ++errors;
  }
  EXPECT_EQ(errors, 0u);
  // Two warnings: NEWID 12793 (reut2-012.sgm) has an empty TEXT, and reut2-017.sgm has the one
  // byte that is not UTF-8 (SOURCE.txt: line 35578), which is repaired.
  ASSERT_EQ(report.issues.size(), 2u);
  EXPECT_TRUE(report.issues[0].path.ends_with("reut2-012.sgm"));
  EXPECT_EQ(report.issues[0].line, 25983u);
  EXPECT_TRUE(report.issues[1].path.ends_with("reut2-017.sgm"));
  EXPECT_EQ(report.issues[1].line, 35578u);
  // `grep -c "<PLACES></PLACES>"` over the files counts 2,780 records without places.
  EXPECT_EQ(with_places, 21578u - 2780u);
  EXPECT_GT(with_body, 19000u);
}

}  // namespace
}  // namespace dyad
