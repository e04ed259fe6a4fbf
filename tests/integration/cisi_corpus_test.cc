// The whole CISI collection in ../shared, read as Dyad reads any input: by content detection
// (the file is named CISI.ALL).
#include <gtest/gtest.h>

#include <set>

#include "indexer/reader.h"
#include "tests/indexer/reader_cases.h"

namespace dyad {
namespace {

constexpr char kCisi[] = DYAD_SHARED_DIR "/corpora/cisi/CISI.ALL";

TEST(CisiCorpus, EveryDocumentIsReadWithItsNumber) {
  std::vector<v1::StoredArticle> articles;
  ReadReport report;
  const Status status = ReadCorpus(
      {kCisi},
      [&](v1::StoredArticle&& article) {
        articles.push_back(std::move(article));
        return Status::Ok();
      },
      &report);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_TRUE(report.issues.empty()) << testutil::Describe(report.issues);
  EXPECT_EQ(report.skipped, 0u);
  ASSERT_EQ(articles.size(), 1460u);
  std::set<std::string> ids;
  std::uint32_t previous_line = 0;
  for (std::size_t i = 0; i < articles.size(); ++i) {
    const v1::StoredArticle& a = articles[i];
    EXPECT_EQ(a.id(), std::to_string(i + 1));
    ids.insert(a.id());
    EXPECT_FALSE(a.title().empty()) << a.id();
    EXPECT_GT(a.sections_size(), 0) << a.id();
    EXPECT_EQ(a.source(), "CISI");
    EXPECT_GT(a.origin().line(), previous_line) << a.id();
    previous_line = a.origin().line();
  }
  EXPECT_EQ(ids.size(), 1460u);
  EXPECT_EQ(articles[0].origin().line(), 1u);
  EXPECT_EQ(articles[0].authors(0), "Comaromi, J.P.");
  // CISI documents 17 (.B 1970) is dated from its bibliographic note.
  EXPECT_EQ(articles[16].published(), "1970");
}

}  // namespace
}  // namespace dyad
