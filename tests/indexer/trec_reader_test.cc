#include <gtest/gtest.h>

#include "core/data_files.h"
#include "indexer/reader.h"
#include "tests/indexer/reader_cases.h"

namespace dyad {
namespace {

constexpr char kSample[] = DYAD_SOURCE_DIR "/tests/data/trec-sample.trec";

std::vector<std::string> Paragraphs(const v1::StoredArticle& article) {
  std::vector<std::string> out;
  for (const v1::Section& section : article.sections()) {
    for (const std::string& p : section.paragraphs()) out.push_back(p);
  }
  return out;
}

TEST(TrecReader, ReadsEveryDocOfTheSample) {
  StatusOr<std::string> content = ReadFileToString(kSample);
  ASSERT_TRUE(content.ok()) << content.status().ToString();
  std::vector<ReadIssue> issues;
  const std::vector<v1::StoredArticle> articles = ParseTrec(*content, kSample, &issues);
  EXPECT_TRUE(issues.empty()) << testutil::Describe(issues);
  ASSERT_EQ(articles.size(), 3u);

  const v1::StoredArticle& ap = articles[0];
  EXPECT_EQ(ap.id(), "AP631104-0001");
  EXPECT_EQ(ap.title(), "Soviet Union, Pakistan Sign Air Agreement");
  EXPECT_TRUE(ap.published().empty());
  EXPECT_EQ(ap.metadata().at("fileid"), "AP-NR-11-04-63 0214EST");
  EXPECT_EQ(ap.metadata().at("dateline"), "KARACHI, Pakistan (AP)");
  // Indented lines start paragraphs; the entity is decoded.
  EXPECT_EQ(Paragraphs(ap),
            (std::vector<std::string>{
                "Pakistan and the Soviet Union signed an agreement today allowing their national "
                "airlines to fly between Karachi and Moscow, officials said.",
                "The accord is the first of its kind between the two countries & follows months "
                "of negotiation in both capitals."}));
  EXPECT_EQ(ap.origin().line(), 1u);
  EXPECT_EQ(ap.origin().path(), kSample);

  const v1::StoredArticle& la = articles[1];
  EXPECT_EQ(la.id(), "LA010189-0002");
  EXPECT_EQ(la.title(), "INDIA, CHINA TO RESUME BORDER TALKS");
  EXPECT_EQ(la.published(), "1989-01-01");
  ASSERT_EQ(la.authors_size(), 1);
  EXPECT_EQ(la.authors(0), "JANE DOE, Times Staff Writer");
  EXPECT_EQ(Paragraphs(la).size(), 2u);
  EXPECT_TRUE(Paragraphs(la)[1].starts_with("The talks, the first"));
  EXPECT_EQ(la.origin().line(), 15u);

  const v1::StoredArticle& wire = articles[2];
  EXPECT_EQ(wire.id(), "XIE19980105.0011");
  EXPECT_TRUE(wire.title().empty());
  EXPECT_EQ(wire.published(), "1998-01-05");
  EXPECT_EQ(Paragraphs(wire).back(),
            "The two sides <left> the Kuril Islands question for later talks.");
  EXPECT_EQ(wire.origin().line(), 50u);

  EXPECT_NE(ap.content_hash(), la.content_hash());
}

TEST(TrecReader, BrokenRecordsAreReportedAndTheRestRead) {
  const std::string good = "<DOC>\n<DOCNO> G1 </DOCNO>\n<TEXT>\nFine.\n</TEXT>\n</DOC>\n";
  constexpr auto kError = ReadIssue::Severity::kError;
  const std::vector<testutil::BrokenCase> cases = {
      {"truncated before the next DOC",
       "<DOC>\n<DOCNO> T1 </DOCNO>\n<TEXT>\ncut here\n" + good,
       {"G1"},
       kError,
       1,
       "never closed"},
      {"truncated at the end",
       good + "<DOC>\n<DOCNO> T2 </DOCNO>\n<TEXT>\nand",
       {"G1"},
       kError,
       7,
       "end of the file"},
      {"no DOCNO", "<DOC>\n<TEXT>\nNo id.\n</TEXT>\n</DOC>\n" + good, {"G1"}, kError, 1, "DOCNO"},
      {"unclosed TEXT",
       good + "<DOC>\n<DOCNO> U1 </DOCNO>\n<TEXT>\nopen\n</DOC>\n",
       {"G1"},
       kError,
       9,
       "<TEXT> is never closed"},
      {"empty DOC",
       good + "<DOC>\n<DOCNO> E1 </DOCNO>\n</DOC>\n",
       {"G1"},
       kError,
       7,
       "neither title nor text"},
      {"no DOC at all", "just some words\n", {}, kError, 1, "no <DOC>"},
      // Found by reader_trec_fuzz: the reader went back to the first record for ever.
      {"start tag cut before its '>'", good + "<DOC\n", {"G1"}, kError, 7, "never closed by '>'"},
  };
  testutil::ExpectBrokenCases(cases, [](std::string_view content, std::vector<ReadIssue>* issues) {
    return ParseTrec(content, "x.trec", issues);
  });
}

TEST(TrecReader, TextOutsideDocsIsAWarning) {
  std::vector<ReadIssue> issues;
  const auto articles = ParseTrec(
      "<DOC>\n<DOCNO>A</DOCNO>\n<TITLE>T</TITLE>\n</DOC>\nstray words\n<doc>\n<docno>B</docno>\n"
      "<text>lower-case tags</text>\n</doc>\n",
      "x.trec", &issues);
  ASSERT_EQ(articles.size(), 2u);
  EXPECT_EQ(articles[0].title(), "T");
  EXPECT_EQ(articles[1].id(), "B");
  EXPECT_EQ(articles[1].origin().line(), 6u);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].severity, ReadIssue::Severity::kWarning);
  EXPECT_EQ(issues[0].line, 5u);
}

TEST(TrecReader, UnknownDateIsKeptAsMetadata) {
  std::vector<ReadIssue> issues;
  const auto articles = ParseTrec(
      "<DOC>\n<DOCNO>A</DOCNO>\n<DATE>sometime in spring</DATE>\n<TEXT>x</TEXT>\n</DOC>\n",
      "x.trec", &issues);
  ASSERT_EQ(articles.size(), 1u);
  EXPECT_TRUE(articles[0].published().empty());
  EXPECT_EQ(articles[0].metadata().at("date"), "sometime in spring");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].severity, ReadIssue::Severity::kWarning);
  EXPECT_EQ(issues[0].line, 3u);
}

}  // namespace
}  // namespace dyad
