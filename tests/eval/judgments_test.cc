#include "clients/eval/judgments.h"

#include <gtest/gtest.h>

#include "tests/testing/temp_dir.h"

namespace dyad::eval {
namespace {

TEST(ParseQrels, ReadsTrecQrelsSortedByTopicAndDocno) {
  auto qrels = ParseQrels("# judged in 2024\n2 0 b 1\n10 0 z 0\n2 0 a -1\n\n10 0 y 2\n", "q");
  ASSERT_TRUE(qrels.ok()) << qrels.status().ToString();
  ASSERT_EQ(qrels->topics.size(), 2u);
  // Byte order of topic ids, as trec_eval's strcmp: "10" before "2".
  EXPECT_EQ(qrels->topics.begin()->first, "10");
  const std::vector<Judgment>& two = qrels->topics.at("2");
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].docno, "a");
  EXPECT_EQ(two[0].rel, -1);
  EXPECT_EQ(two[0].line, 4);
  EXPECT_EQ(two[1].docno, "b");
  EXPECT_EQ(qrels->topics.at("10")[1].rel, 0);
}

TEST(ParseQrels, DetectsSmartRelFormatAndCountsEveryPairRelevant) {
  auto qrels = ParseQrels("     1     28\t0\t0.000000\n     1     35\t0\t0.000000\n", "CISI.REL");
  ASSERT_TRUE(qrels.ok()) << qrels.status().ToString();
  const std::vector<Judgment>& one = qrels->topics.at("1");
  ASSERT_EQ(one.size(), 2u);
  EXPECT_EQ(one[0].docno, "28");
  EXPECT_EQ(one[0].rel, 1);
  EXPECT_EQ(one[1].docno, "35");
}

TEST(ParseQrels, FormatCanBeForced) {
  // "1 28 0 0" is TREC by detection (integer relevance) but SMART when asked.
  auto trec = ParseQrels("1 28 0 0\n", "q");
  ASSERT_TRUE(trec.ok());
  EXPECT_EQ(trec->topics.at("1")[0].docno, "0");
  auto smart = ParseQrels("1 28 0 0\n", "q", QrelsFormat::kSmart);
  ASSERT_TRUE(smart.ok());
  EXPECT_EQ(smart->topics.at("1")[0].docno, "28");
  EXPECT_EQ(smart->topics.at("1")[0].rel, 1);
}

TEST(ParseQrels, HashInsideADocnoIsNotAComment) {
  auto qrels = ParseQrels("q1 0 msmarco_doc_00#4_163 1\n", "q");
  ASSERT_TRUE(qrels.ok());
  EXPECT_EQ(qrels->topics.at("q1")[0].docno, "msmarco_doc_00#4_163");
}

struct BadInput {
  const char* name;
  const char* text;
  const char* message;  // Expected in the error, after "file:line: ".
};

class BadQrels : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadQrels, ErrorNamesFileAndLine) {
  auto qrels = ParseQrels(GetParam().text, "qrels.txt");
  ASSERT_FALSE(qrels.ok());
  EXPECT_EQ(qrels.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(qrels.status().message().find(GetParam().message), std::string::npos)
      << qrels.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadQrels,
    ::testing::Values(
        BadInput{"ThreeFields", "1 0 a 1\n1 0 b\n", "qrels.txt:2: expected 4 fields"},
        BadInput{"FiveFields", "1 0 a 1 x\n", "qrels.txt:1: expected 4 fields"},
        BadInput{"TextRelevance", "1 0 a 1\n1 0 b yes\n", "qrels.txt:2: relevance 'yes'"},
        BadInput{"DuplicateJudgment", "1 0 a 1\n1 0 b 1\n1 0 a 0\n",
                 "qrels.txt:3: document 'a' judged twice for topic '1' (also line 1)"}),
    [](const auto& info) { return info.param.name; });

TEST(ParseRun, ReadsRunKeepingFileOrderAndLastTag) {
  auto run =
      ParseRun("1 Q0 a 1 2.5 first\n\n# note\n1 Q0 b 2 3 first extra fields\n2 Q0 c 1 -1e2 last\n",
               "run.txt");
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->run_id, "last");
  const std::vector<Retrieved>& one = run->topics.at("1");
  ASSERT_EQ(one.size(), 2u);
  EXPECT_EQ(one[0].docno, "a");
  EXPECT_DOUBLE_EQ(one[0].score, 2.5);
  EXPECT_EQ(one[1].line, 4);
  EXPECT_DOUBLE_EQ(run->topics.at("2")[0].score, -100);
}

class BadRun : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadRun, ErrorNamesFileAndLine) {
  auto run = ParseRun(GetParam().text, "run.txt");
  ASSERT_FALSE(run.ok());
  EXPECT_NE(run.status().message().find(GetParam().message), std::string::npos)
      << run.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadRun,
    ::testing::Values(
        BadInput{"FiveFields", "1 Q0 a 1 2.0 t\n1 Q0 b 2 1.0\n", "run.txt:2: expected 6 fields"},
        BadInput{"TextScore", "1 Q0 a 1 high t\n", "run.txt:1: score 'high' is not a number"},
        BadInput{"DuplicateDocument", "1 Q0 a 1 2 t\n1 Q0 b 2 1 t\n1 Q0 a 3 0 t\n",
                 "run.txt:3: document 'a' retrieved twice for topic '1' (also line 1)"}),
    [](const auto& info) { return info.param.name; });

TEST(ReadFiles, MissingFileIsNotFoundWithItsPath) {
  testutil::TempDir dir;
  auto qrels = ReadQrels(dir.Sub("absent.qrels"));
  ASSERT_FALSE(qrels.ok());
  EXPECT_EQ(qrels.status().code(), StatusCode::kNotFound);
  EXPECT_NE(qrels.status().message().find("absent.qrels"), std::string::npos);
}

TEST(ReadFiles, ReadsFromDisk) {
  testutil::TempDir dir;
  auto run = ReadRun(dir.Write("run.txt", "7 Q0 d 1 1 tag\r\n"));
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->run_id, "tag");  // "\r\n" endings are accepted.
  EXPECT_EQ(run->topics.at("7")[0].docno, "d");
}

}  // namespace
}  // namespace dyad::eval
