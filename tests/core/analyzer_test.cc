#include "core/analyzer.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace dyad {
namespace {

class AnalyzerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<Analyzer> created = Analyzer::Create();
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    analyzer_.emplace(std::move(*created));
  }
  std::optional<Analyzer> analyzer_;
};

TEST_F(AnalyzerTest, SpellingsOfOneWordGiveTheSameIndexTerms) {
  const std::vector<std::string> reference = analyzer_->IndexTerms("Pakistan");
  ASSERT_EQ(reference, (std::vector<std::string>{"Zpakistan", "pakistan"}));
  for (const char* variant : {"Pakistan’s", "Pakistan's", "PAKISTAN", "pakistan", "Pakistanʼs",
                              "ＰＡＫＩＳＴＡＮ", "PAKISTAN’S"}) {
    EXPECT_EQ(analyzer_->IndexTerms(variant), reference) << variant;
  }
}

TEST_F(AnalyzerTest, QueryTermsAreTermsTheIndexHas) {
  for (const char* text : {"Pakistan’s", "Pakistan's", "PAKISTAN", "Pak-Russia",
                           "Pakistan–Russia relations", "Sino-Soviet split", "Russia’s pivot"}) {
    const std::vector<std::string> indexed = analyzer_->IndexTerms(text);
    StatusOr<std::vector<std::string>> queried = analyzer_->QueryTerms(text);
    ASSERT_TRUE(queried.ok()) << queried.status().ToString();
    ASSERT_FALSE(queried->empty()) << text;
    for (const std::string& term : *queried) {
      EXPECT_TRUE(std::binary_search(indexed.begin(), indexed.end(), term))
          << text << ": query term " << term << " is not indexed";
    }
  }
}

TEST_F(AnalyzerTest, QueriesForApostropheVariantsAreIdentical) {
  auto straight = analyzer_->QueryTerms("Pakistan's");
  auto curly = analyzer_->QueryTerms("Pakistan’s");
  auto upper = analyzer_->QueryTerms("PAKISTAN");
  ASSERT_TRUE(straight.ok() && curly.ok() && upper.ok());
  EXPECT_EQ(*straight, *curly);
  EXPECT_EQ(*straight, *upper);
  EXPECT_EQ(*straight, (std::vector<std::string>{"Zpakistan"}));
}

TEST_F(AnalyzerTest, HyphenatedCompoundYieldsBothParts) {
  for (const char* text : {"Pak-Russia", "Pak‐Russia", "Pak–Russia", "Pak‑Russia"}) {
    const std::vector<std::string> terms = analyzer_->IndexTerms(text);
    EXPECT_EQ(terms, (std::vector<std::string>{"Zpak", "Zrussia", "pak", "russia"})) << text;
  }
  auto query = analyzer_->QueryTerms("Pak-Russia");
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(*query, (std::vector<std::string>{"pak", "russia"}));  // A phrase of both parts.
}

struct NormalizeCase {
  const char* input;
  const char* expected;
};

TEST_F(AnalyzerTest, NormalizeTable) {
  const NormalizeCase cases[] = {
      {"Pakistan’s", "pakistan"},
      {"the States’ role", "the states  role"},
      {"don’t", "don't"},
      {"the U.S.S.R.’s economy", "the u.s.s.r. economy"},
      {"Straße", "strasse"},
      {"ﬁnance", "finance"},               // NFKC ligature.
      {"co\u00ADoperation", "cooperation"},  // Soft hyphen.
      {"war—peace", "war peace"},           // Em dash separates.
      {"1947–1991", "1947-1991"},           // En dash joins.
      {"‘quoted’", " quoted "},
      {"bad \xff byte", "bad \uFFFD byte"},
  };
  for (const NormalizeCase& c : cases) {
    EXPECT_EQ(analyzer_->Normalize(c.input), c.expected) << c.input;
  }
}

TEST_F(AnalyzerTest, DisplayNormalizationKeepsCase) {
  EXPECT_EQ(analyzer_->NormalizeForDisplay("Pakistan’s ＵＮ seat"), "Pakistan UN seat");
}

TEST_F(AnalyzerTest, StopWordsLeaveQueriesButNotPhrases) {
  auto plain = analyzer_->QueryTerms("the balance of power");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, (std::vector<std::string>{"Zbalanc", "Zpower"}));
  auto phrase = analyzer_->QueryTerms("\"balance of power\"");
  ASSERT_TRUE(phrase.ok());
  EXPECT_EQ(*phrase, (std::vector<std::string>{"balance", "of", "power"}));
}

TEST_F(AnalyzerTest, FieldPrefixesComeFromTheSchema) {
  auto terms = analyzer_->QueryTerms("title:Russia author:Smith");
  ASSERT_TRUE(terms.ok());
  EXPECT_EQ(*terms, (std::vector<std::string>{"ZAsmith", "ZSrussia"}) )
      << "got " << ::testing::PrintToString(*terms);
}

TEST_F(AnalyzerTest, QueryNormalizationKeepsOperators) {
  EXPECT_EQ(analyzer_->NormalizeQuery("Pakistan’s ties AND (RUSSIA OR China) NOT India"),
            "pakistan ties AND (russia OR china) NOT india");
  EXPECT_EQ(analyzer_->NormalizeQuery("NEAR/3 ANDES ORegon"), "NEAR/3 andes oregon");
  EXPECT_EQ(analyzer_->NormalizeQuery("war and peace"), "war and peace");
}

TEST_F(AnalyzerTest, MalformedQueriesAreInvalidArgumentNeverExceptions) {
  Xapian::QueryParser parser;
  analyzer_->ConfigureQueryParser(parser);
  struct Case {
    const char* query;
    bool valid;
  };
  const Case cases[] = {{"Russia AND", false},  {"NOT", false},      {"AND OR", false},
                        {"((Russia", true},     {"\"unclosed phrase", true},
                        {"title:", true},       {"+-+-", true},      {"\xff\xfe", true},
                        {"Russia AND China", true}};
  for (const Case& c : cases) {
    StatusOr<Xapian::Query> query = analyzer_->ParseQuery(parser, c.query);
    EXPECT_EQ(query.ok(), c.valid) << c.query << ": " << query.status().ToString();
    if (!query.ok()) {
      EXPECT_EQ(query.status().code(), StatusCode::kInvalidArgument);
      EXPECT_NE(query.status().message().find("Syntax"), std::string::npos)
          << query.status().message();
    }
  }
}

TEST(AnalyzerCreateTest, MissingStopWordFileIsNotFound) {
  AnalyzerOptions options;
  options.stopwords_path = "/nonexistent/dyad/stopwords.txt";
  StatusOr<Analyzer> analyzer = Analyzer::Create(options);
  ASSERT_FALSE(analyzer.ok());
  EXPECT_EQ(analyzer.status().code(), StatusCode::kNotFound);
}

TEST(AnalyzerCreateTest, UnknownLanguageIsInvalidArgument) {
  AnalyzerOptions options;
  options.language = "klingon";
  StatusOr<Analyzer> analyzer = Analyzer::Create(options);
  ASSERT_FALSE(analyzer.ok());
  EXPECT_EQ(analyzer.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace dyad
