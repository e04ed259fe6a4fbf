// Topic files in their four layouts, and free-text neutralisation checked through Dyad's real
// query parser.
#include "clients/eval/topics.h"

#include <gtest/gtest.h>

#include "core/analyzer.h"
#include "core/enricher.h"
#include "core/query_builder.h"
#include "tests/testing/temp_dir.h"

namespace dyad::eval {
namespace {

std::string Issues(const TopicFile& file) {
  std::string out;
  for (const TopicIssue& issue : file.issues) out += issue.ToString() + "\n";
  return out;
}

TEST(Topics, TrecTopicsWithLabelsAndOptionalClosingTags) {
  constexpr char kText[] = R"(<top>
<num> Number: 301
<title> International Organized Crime

<desc> Description:
Identify organizations that participate in international
criminal activity.

<narr> Narrative:
A relevant document must name the organization.
</top>

<top>
<num> Number: 302 </num>
<title> Topic: Poliomyelitis and Post-Polio </title>
<desc> Description: Is the disease under control? </desc>
<narr> Narrative:
</narr>
</top>
)";
  StatusOr<TopicFile> file = ParseTopics(kText, "topics.301");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->format, TopicFormat::kTrec);
  EXPECT_TRUE(file->issues.empty()) << Issues(*file);
  ASSERT_EQ(file->topics.size(), 2u);
  const Topic& t301 = file->topics[0];
  EXPECT_EQ(t301.qid, "301");
  EXPECT_EQ(t301.line, 1u);
  EXPECT_EQ(t301.fields.at("title"), "International Organized Crime");
  EXPECT_EQ(t301.fields.at("desc"),
            "Identify organizations that participate in international criminal activity.");
  EXPECT_EQ(t301.fields.at("narr"), "A relevant document must name the organization.");
  const Topic& t302 = file->topics[1];
  EXPECT_EQ(t302.qid, "302");
  EXPECT_EQ(t302.line, 13u);
  EXPECT_EQ(t302.fields.at("title"), "Poliomyelitis and Post-Polio");
  EXPECT_EQ(t302.fields.at("desc"), "Is the disease under control?");
  EXPECT_EQ(t302.fields.at("narr"), "");
  EXPECT_EQ(TopicQueryText(t301, DefaultQueryFields(file->format)),
            "International Organized Crime");
  EXPECT_EQ(TopicQueryText(t302, {"title", "desc"}),
            "Poliomyelitis and Post-Polio Is the disease under control?");
  EXPECT_EQ(TopicQueryText(t302, {"narr", "smry"}), "");
}

TEST(Topics, SmartTopicsKeepTheirIdsAsPrinted) {
  // CISI.QRY's shape: some topics have .T/.A/.B before .W.
  constexpr char kText[] =
      ".I 1\n.W\nWhat problems and concerns are there in making up descriptive titles?\n"
      "What difficulties are involved?\n"
      ".I 017\n.T\nCitation indexing\n.A\nGarfield, E.\n.W\n   Use of citation\n   indexes.\n"
      ".B\n1964\n";
  StatusOr<TopicFile> file = ParseTopics(kText, "CISI.QRY");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->format, TopicFormat::kSmart);
  EXPECT_TRUE(file->issues.empty()) << Issues(*file);
  ASSERT_EQ(file->topics.size(), 2u);
  EXPECT_EQ(file->topics[0].qid, "1");
  EXPECT_EQ(file->topics[0].fields.at("text"),
            "What problems and concerns are there in making up descriptive titles? What "
            "difficulties are involved?");
  EXPECT_EQ(file->topics[1].qid, "017");
  EXPECT_EQ(file->topics[1].line, 5u);
  EXPECT_EQ(file->topics[1].fields.at("title"), "Citation indexing");
  EXPECT_EQ(file->topics[1].fields.at("author"), "Garfield, E.");
  EXPECT_EQ(file->topics[1].fields.at("biblio"), "1964");
  EXPECT_EQ(TopicQueryText(file->topics[1], DefaultQueryFields(file->format)),
            "Use of citation indexes.");
}

TEST(Topics, GlasgowAndTsv) {
  StatusOr<TopicFile> glasgow = ParseTopics(
      "*FIND    1\n\n KENNEDY ADMINISTRATION PRESSURE ON NGO DINH DIEM\n TO STOP SUPPRESSING "
      "THE BUDDHISTS .\n\n*FIND    2\n\n EFFORTS OF AMBASSADOR HENRY CABOT LODGE\n\n*STOP\n",
      "TIME.QUE");
  ASSERT_TRUE(glasgow.ok()) << glasgow.status().ToString();
  EXPECT_EQ(glasgow->format, TopicFormat::kGlasgow);
  EXPECT_TRUE(glasgow->issues.empty()) << Issues(*glasgow);
  ASSERT_EQ(glasgow->topics.size(), 2u);
  EXPECT_EQ(glasgow->topics[0].qid, "1");
  EXPECT_EQ(glasgow->topics[0].fields.at("text"),
            "KENNEDY ADMINISTRATION PRESSURE ON NGO DINH DIEM TO STOP SUPPRESSING THE "
            "BUDDHISTS .");
  EXPECT_EQ(glasgow->topics[1].line, 6u);

  StatusOr<TopicFile> tsv =
      ParseTopics("# comment\nq1\tnuclear arms control\nq2\t  Pakistan  Russia \n", "t.tsv");
  ASSERT_TRUE(tsv.ok()) << tsv.status().ToString();
  EXPECT_EQ(tsv->format, TopicFormat::kTsv);
  ASSERT_EQ(tsv->topics.size(), 2u);
  EXPECT_EQ(tsv->topics[0].qid, "q1");
  EXPECT_EQ(tsv->topics[1].fields.at("text"), "Pakistan Russia");
  EXPECT_EQ(tsv->topics[1].line, 3u);
}

TEST(Topics, DetectionAndForcedFormats) {
  struct Case {
    const char* content;
    TopicFormat format;
  };
  const Case cases[] = {
      {"\n\n<top>\n<num> 1\n<title> x\n</top>\n", TopicFormat::kTrec},
      {"<TOP>\n<NUM> 1\n<TITLE> x\n</TOP>\n", TopicFormat::kTrec},
      {".I 5\n.W\nx\n", TopicFormat::kSmart},
      {"*FIND 3\nx\n*STOP\n", TopicFormat::kGlasgow},
      {"# topics\n7\tx y\n", TopicFormat::kTsv},
      {"just some words\n", TopicFormat::kAuto},
      {"", TopicFormat::kAuto},
  };
  for (const Case& c : cases) EXPECT_EQ(DetectTopicFormat(c.content), c.format) << c.content;
  // Unknown layout: an error that says what to do.
  StatusOr<TopicFile> unknown = ParseTopics("just some words\n", "q.txt");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("--topics-format"), std::string::npos);
  // Forcing TSV on a file with tabs in its text.
  StatusOr<TopicFile> forced = ParseTopics("a\tb\tc\n", "q.txt", TopicFormat::kTsv);
  ASSERT_TRUE(forced.ok());
  EXPECT_EQ(forced->topics[0].fields.at("text"), "b c");
  EXPECT_EQ(ParseTopicFormat("glasgow"), TopicFormat::kGlasgow);
  EXPECT_EQ(ParseTopicFormat("xml"), std::nullopt);
  EXPECT_STREQ(TopicFormatName(TopicFormat::kSmart), "smart");
}

TEST(Topics, BadTopicsAreReportedWithTheirLineAndTheRestKept) {
  struct Case {
    const char* name;
    const char* content;
    std::size_t topics;
    const char* issue;  // Expected in the first issue.
  };
  const Case cases[] = {
      {"duplicate", ".I 1\n.W\na\n.I 1\n.W\nb\n.I 2\n.W\nc\n", 2, "q:4: topic 1 appears twice"},
      {"no id", ".I 1\n.W\na\n.I\n.W\nb\n", 1, "q:4: .I without a topic number"},
      {"empty", ".I 1\n.W\n\n.I 2\n.W\nb\n", 1, "q:1: topic 1 has no text"},
      {"stray", ".I 1\nx\n.W\na\n", 1, "q:2: text outside a field"},
      {"tsv no tab", "1\ta\n2 b\n3\tc\n", 2, "q:2: expected 'qid<TAB>query'"},
      {"tsv blank id", "1\ta\n2 x\tb\n", 1, "q:2: topic id '2 x' contains a blank"},
      {"trec no num", "<top>\n<title> a\n</top>\n<top>\n<num> 2\n<title> b\n</top>\n", 1,
       "q:1: topic without an id"},
      {"trec unclosed", "<top>\n<num> 1\n<title> a\n<top>\n<num> 2\n<title> b\n</top>\n", 2,
       "q:1: <top> without </top>"},
      {"glasgow cut", "*FIND 1\na\n*FIND 2\nb\n", 2, "q:3: no *STOP"},
  };
  for (const Case& c : cases) {
    StatusOr<TopicFile> file = ParseTopics(c.content, "q");
    ASSERT_TRUE(file.ok()) << c.name << ": " << file.status().ToString();
    EXPECT_EQ(file->topics.size(), c.topics) << c.name;
    ASSERT_FALSE(file->issues.empty()) << c.name;
    EXPECT_NE(file->issues[0].ToString().find(c.issue), std::string::npos)
        << c.name << ": " << Issues(*file);
  }
  // Nothing readable at all is an error.
  EXPECT_FALSE(ParseTopics(".I\n.W\nx\n", "q").ok());
}

TEST(Topics, ReadTopicsNamesAMissingFile) {
  testutil::TempDir dir;
  StatusOr<TopicFile> missing = ReadTopics(dir.Sub("nope.qry"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("nope.qry"), std::string::npos);
  StatusOr<TopicFile> read = ReadTopics(dir.Write("t.tsv", "1\tx\n"));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->topics.size(), 1u);
}

TEST(NeutralizeQuery, RemovesQuerySyntax) {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {
      {"cats AND dogs", "cats and dogs"},
      {"war OR peace NOT famine", "war or peace not famine"},
      {"a NEAR/3 b XOR c ADJ d", "a near/3 b xor c adj d"},
      {"ANDROID ORegon Notary", "ANDROID ORegon Notary"},  // Only whole operator words.
      {"\"Soviet Union\" arms", "Soviet Union arms"},
      {"“curly” „low‟", "curly low"},
      {"title:nuclear author:smith", "title nuclear author smith"},
      {"(a OR b) [c] {d}", "a or b c d"},
      {"+must -not - dash", "must not dash"},
      {"well-known Pak-Russia", "well-known Pak-Russia"},
      {"1947..1991 etc...", "1947 1991 etc"},
      {"U.S.S.R. Pakistan's e.g.", "U.S.S.R. Pakistan's e.g."},
      {"wild* card~ boost^2 back\\slash", "wild card boost 2 back slash"},
      {"ＡＮＤ full-width ＂quoted＂ ｔｉｔｌｅ：x", "and full-width quoted title x"},
      {"  spaced\t\nout  ", "spaced out"},
      {"C++ and C#", "C++ and C#"},
      {"", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(NeutralizeQuery(c.in), c.out) << c.in;
}

// The point of neutralising: through Dyad's own parser, a topic means its words.
TEST(NeutralizeQuery, ParsesAsThePlainWords) {
  StatusOr<Analyzer> analyzer = Analyzer::Create();
  ASSERT_TRUE(analyzer.ok()) << analyzer.status().ToString();
  StatusOr<std::unique_ptr<Enricher>> enricher = Enricher::Load(*analyzer);
  ASSERT_TRUE(enricher.ok()) << enricher.status().ToString();
  QueryBuilder builder(**enricher);
  struct Case {
    const char* topic;
    const char* words;  // The same words with no syntax.
  };
  const Case cases[] = {
      {"retrieval AND indexing NOT manual", "retrieval and indexing not manual"},
      {"\"information retrieval\" systems", "information retrieval systems"},
      {"title:classification of documents", "title classification of documents"},
      {"-manual +automatic indexing", "manual automatic indexing"},
      {"libraries in 1960..1970", "libraries in 1960 1970"},
      {"country:nowhere theme:unknown", "country nowhere theme unknown"},
  };
  for (const Case& c : cases) {
    StatusOr<Xapian::Query> raw = builder.Parse(c.topic);
    StatusOr<Xapian::Query> neutral = builder.Parse(NeutralizeQuery(c.topic));
    StatusOr<Xapian::Query> plain = builder.Parse(c.words);
    ASSERT_TRUE(neutral.ok()) << c.topic << ": " << neutral.status().ToString();
    ASSERT_TRUE(plain.ok()) << c.words;
    EXPECT_EQ(neutral->get_description(), plain->get_description()) << c.topic;
    // Without neutralising, the syntax changes the query (or is an error).
    if (raw.ok()) {
      EXPECT_NE(raw->get_description(), plain->get_description()) << c.topic;
    }
  }
}

}  // namespace
}  // namespace dyad::eval
