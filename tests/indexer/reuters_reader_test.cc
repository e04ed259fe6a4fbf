#include <gtest/gtest.h>

#include <string>

#include "core/data_files.h"
#include "indexer/reader.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

const std::string kExcerpt = DYAD_SOURCE_DIR "/tests/data/reuters21578/excerpt.sgm";

std::string AllText(const v1::StoredArticle& article) {
  std::string text = article.title();
  for (const auto& section : article.sections()) {
    text += section.heading();
    for (const auto& p : section.paragraphs()) text += p;
  }
  for (const auto& [key, value] : article.metadata()) text += value;
  return text;
}

// A record in the shape of the collection's, with the given attributes and body text.
std::string Record(const std::string& newid, const std::string& body) {
  return "<REUTERS TOPICS=\"YES\" LEWISSPLIT=\"TEST\" CGISPLIT=\"TRAINING-SET\" OLDID=\"9\" "
         "NEWID=\"" +
         newid +
         "\">\n<DATE> 5-MAR-1987 09:10:11.12</DATE>\n<TOPICS></TOPICS>\n"
         "<PLACES><D>uk</D></PLACES>\n<PEOPLE></PEOPLE>\n<ORGS></ORGS>\n<EXCHANGES></EXCHANGES>\n"
         "<COMPANIES></COMPANIES>\n<TEXT>&#2;\n<TITLE>A TITLE</TITLE>\n"
         "<DATELINE>    LONDON, March 5 - </DATELINE><BODY>" +
         body + "\n Reuter\n&#3;</BODY></TEXT>\n</REUTERS>\n";
}

TEST(ReutersReader, ReadsTheExcerptOfRealRecords) {
  auto content = ReadFileToString(kExcerpt);
  ASSERT_TRUE(content.ok()) << content.status().ToString();
  std::vector<ReadIssue> issues;
  std::vector<v1::StoredArticle> articles = ParseReutersSgml(*content, kExcerpt, &issues);
  EXPECT_TRUE(issues.empty()) << issues[0].ToString();
  ASSERT_EQ(articles.size(), 3u);

  const v1::StoredArticle& cocoa = articles[0];
  EXPECT_EQ(cocoa.id(), "1");
  EXPECT_EQ(cocoa.title(), "BAHIA COCOA REVIEW");
  EXPECT_EQ(cocoa.published(), "1987-02-26");
  EXPECT_EQ(cocoa.source(), "Reuters-21578");
  EXPECT_EQ(cocoa.metadata().at("dateline"), "SALVADOR, Feb 26");
  EXPECT_EQ(cocoa.metadata().at("places"), "el-salvador;usa;uruguay");
  EXPECT_EQ(cocoa.metadata().at("topics"), "cocoa");
  EXPECT_EQ(cocoa.metadata().at("people"), "");
  EXPECT_EQ(cocoa.metadata().at("lewissplit"), "TRAIN");
  EXPECT_EQ(cocoa.metadata().at("cgisplit"), "TRAINING-SET");
  EXPECT_EQ(cocoa.origin().line(), 2u);
  ASSERT_EQ(cocoa.sections_size(), 1);
  const auto& paragraphs = cocoa.sections(0).paragraphs();
  // Paragraphs start at indented lines; the hard-wrapped lines in between are joined.
  ASSERT_GE(paragraphs.size(), 10);
  EXPECT_EQ(paragraphs[0].substr(0, 60),
            "Showers continued throughout the week in the Bahia cocoa zon");
  EXPECT_EQ(paragraphs[1], "The dry period means the temporao will be late this year.");
  EXPECT_TRUE(paragraphs[paragraphs.size() - 1].ends_with("ends midday on February 27."));

  const v1::StoredArticle& brief = articles[1];
  EXPECT_EQ(brief.id(), "30");
  EXPECT_EQ(brief.title(),
            "ASSETS OF MONEY MARKET MUTUAL FUNDS ROSE 720.4 MLN DLRS IN LATEST WEEK");
  EXPECT_EQ(brief.sections_size(), 0);  // "Blah blah blah." is a placeholder, not text.
  EXPECT_EQ(brief.metadata().at("places"), "");
  EXPECT_EQ(brief.origin().line(), 74u);

  EXPECT_EQ(articles[2].id(), "19");
  EXPECT_EQ(articles[2].metadata().at("places"), "yemen-arab-republic;usa");
  EXPECT_EQ(articles[2].title(), "BONUS WHEAT FLOUR FOR NORTH YEMEN -- USDA");
  EXPECT_EQ(articles[2].origin().line(), 93u);
  for (const auto& article : articles) {
    const std::string text = AllText(article);
    for (unsigned char c : text) EXPECT_GE(c, 0x20) << article.id();
    EXPECT_EQ(text.find("Reuter\n"), std::string::npos);
    EXPECT_EQ(text.find("&#"), std::string::npos);
  }
}

TEST(ReutersReader, DecodesReferencesAndDropsControlCharacters) {
  struct Case {
    std::string body;
    std::string paragraph;
  };
  const Case cases[] = {
      {"&lt;IBM Corp&gt; said", "<IBM Corp> said"},
      {"AT&amp;T and &quot;Q&quot;", "AT&T and \"Q\""},
      {"wire&#3; marks&#127;&#5; go", "wire marks go"},
      {"&#65;&#x42; letters", "AB letters"},
      {"not &unknown; or & alone", "not &unknown; or & alone"},
      {"caf\xC3\xA9 stays", "caf\xC3\xA9 stays"},
  };
  for (const Case& c : cases) {
    std::vector<ReadIssue> issues;
    auto articles = ParseReutersSgml(Record("7", c.body), "x.sgm", &issues);
    ASSERT_EQ(articles.size(), 1u) << c.body;
    ASSERT_EQ(articles[0].sections_size(), 1) << c.body;
    EXPECT_EQ(articles[0].sections(0).paragraphs(0), c.paragraph);
    EXPECT_TRUE(issues.empty()) << c.body;
  }
}

TEST(ReutersReader, RepairsInvalidBytesWithAWarningOnTheirLine) {
  const std::string content = "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n" + Record("1", "ok") +
                              Record("2", "line one\nM\xFCnchen said") + Record("3", "fine");
  std::vector<ReadIssue> issues;
  auto articles = ParseReutersSgml(content, "bad.sgm", &issues);
  ASSERT_EQ(articles.size(), 3u);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].severity, ReadIssue::Severity::kWarning);
  // Record 1 spans lines 2-15, record 2 starts on line 16 and its body's second line is 27.
  EXPECT_EQ(articles[1].origin().line(), 16u);
  EXPECT_EQ(issues[0].line, 27u);
  EXPECT_EQ(articles[1].sections(0).paragraphs(0), "line one M\xEF\xBF\xBDnchen said");
}

TEST(ReutersReader, SkipsBrokenRecordsAndKeepsTheRest) {
  std::string truncated = Record("2", "cut short");
  truncated.resize(truncated.find("</BODY>"));
  std::string no_id = Record("3", "x");
  no_id.replace(no_id.find(" NEWID=\"3\""), 10, "");
  std::string no_text = Record("4", "x");
  no_text.erase(no_text.find("<TEXT>"), no_text.find("</TEXT>") + 7 - no_text.find("<TEXT>"));
  const std::string content =
      Record("1", "first") + truncated + "\n" + no_id + no_text + Record("5", "last");
  std::vector<ReadIssue> issues;
  auto articles = ParseReutersSgml(content, "broken.sgm", &issues);
  ASSERT_EQ(articles.size(), 2u);
  EXPECT_EQ(articles[0].id(), "1");
  EXPECT_EQ(articles[1].id(), "5");
  ASSERT_EQ(issues.size(), 3u);
  for (const ReadIssue& issue : issues) EXPECT_EQ(issue.severity, ReadIssue::Severity::kError);
  EXPECT_EQ(issues[0].line, 15u);  // Where the truncated record's tag is.
  EXPECT_NE(issues[0].message.find("truncated"), std::string::npos);
  EXPECT_NE(issues[1].message.find("NEWID"), std::string::npos);
  EXPECT_NE(issues[2].message.find("<TEXT>"), std::string::npos);
  EXPECT_EQ(articles[1].origin().line(),
            1u + static_cast<std::uint32_t>(std::count(
                     content.begin(), content.begin() + content.rfind("<REUTERS"), '\n')));
}

TEST(ReutersReader, RejectsFilesWithoutRecords) {
  std::vector<ReadIssue> issues;
  EXPECT_TRUE(ParseReutersSgml("<!DOCTYPE lewis>\nhello\n", "empty.sgm", &issues).empty());
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].severity, ReadIssue::Severity::kError);
}

TEST(ReutersReader, ReadCorpusDispatchesSgmFiles) {
  testutil::TempDir dir;
  std::filesystem::copy_file(kExcerpt, dir.Sub("reut2-000.sgm"));
  std::vector<std::string> ids;
  ReadReport report;
  ASSERT_TRUE(ReadCorpus(
                  {dir.path().string()},
                  [&](v1::StoredArticle&& a) {
                    ids.push_back(a.id());
                    return Status::Ok();
                  },
                  &report)
                  .ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"1", "30", "19"}));
  EXPECT_EQ(report.files, 1u);
  EXPECT_EQ(report.ignored_files, 0u);
}

}  // namespace
}  // namespace dyad
