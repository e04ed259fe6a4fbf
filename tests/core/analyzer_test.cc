#include "core/analyzer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

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
      {"ﬁnance", "finance"},                 // NFKC ligature.
      {"co\u00ADoperation", "cooperation"},  // Soft hyphen.
      {"war—peace", "war peace"},            // Em dash separates.
      {"1947–1991", "1947-1991"},            // En dash joins.
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
  EXPECT_EQ(*terms, (std::vector<std::string>{"ZAsmith", "ZSrussia"}))
      << "got " << ::testing::PrintToString(*terms);
}

TEST_F(AnalyzerTest, QueryNormalizationKeepsOperators) {
  EXPECT_EQ(analyzer_->NormalizeQuery("Pakistan’s ties AND (RUSSIA OR China) NOT India"),
            "pakistan ties AND (russia OR china) NOT india");
  EXPECT_EQ(analyzer_->NormalizeQuery("NEAR/3 ANDES ORegon"), "NEAR/3 andes oregon");
  EXPECT_EQ(analyzer_->NormalizeQuery("war and peace"), "war and peace");
  EXPECT_EQ(
      analyzer_->NormalizeQuery("\u201cWar and Peace\u201d country:\u201cUnited States\u201d"),
      "\"war and peace\" country:\"united states\"");
}

TEST_F(AnalyzerTest, MalformedQueriesAreInvalidArgumentNeverExceptions) {
  Xapian::QueryParser parser;
  analyzer_->ConfigureQueryParser(parser);
  struct Case {
    const char* query;
    bool valid;
  };
  const Case cases[] = {
      {"Russia AND", false},       {"NOT", false},   {"AND OR", false}, {"((Russia", true},
      {"\"unclosed phrase", true}, {"title:", true}, {"+-+-", true},    {"\xff\xfe", true},
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

namespace dyad {
namespace {

// ASCII text skips ICU in Normalize and NormalizeForDisplay: the result must be the same.
TEST(AnalyzerAsciiFastPath, SameAsIcuOnATable) {
  auto analyzer = Analyzer::Create();
  ASSERT_TRUE(analyzer.ok());
  const std::vector<std::string> table = {"",
                                          "a",
                                          "A",
                                          "'",
                                          "''",
                                          "'s",
                                          "s'",
                                          "Pakistan's",
                                          "PAKISTAN'S",
                                          "Pakistan`s",
                                          "the Joneses' house",
                                          "U.S.S.R.'s army",
                                          "U.S.'s",
                                          ".'s",
                                          "rock 'n' roll",
                                          "don't",
                                          "O'Brien's",
                                          "it's'",
                                          "'tis",
                                          "a's b",
                                          "Pak-Russia",
                                          "--",
                                          "x - y",
                                          "C++ and C#",
                                          "AT&T's 1,000.50 shares",
                                          "e-mail: X@Y.COM",
                                          "tab\tand\nnewline\r\n",
                                          "\x01\x7f control",
                                          "'S",
                                          "A'S'",
                                          "1980's",
                                          "'80s",
                                          "abc'",
                                          "abc's's",
                                          "Mr. Smith's. Next",
                                          "WORD'sWORD",
                                          "word' s",
                                          "ALL CAPS TITLE: WHEAT, CORN",
                                          "&lt;b&gt;",
                                          "~`!@#$%^&*()_+=[]{}|;:\",<.>/?"};
  for (const std::string& text : table) {
    EXPECT_EQ(analyzer->Normalize(text), Analyzer::NormalizeWithIcu(text, true)) << text;
    EXPECT_EQ(analyzer->NormalizeForDisplay(text), Analyzer::NormalizeWithIcu(text, false)) << text;
  }
}

TEST(AnalyzerAsciiFastPath, SameAsIcuOnRandomText) {
  auto analyzer = Analyzer::Create();
  ASSERT_TRUE(analyzer.ok());
  const std::string alphabet = "aAsSzZ09 .'`-,\t\n\"&";
  std::mt19937 random(4);
  for (int i = 0; i < 20000; ++i) {
    std::string text(random() % 12, ' ');
    for (char& c : text) c = alphabet[random() % alphabet.size()];
    ASSERT_EQ(analyzer->Normalize(text), Analyzer::NormalizeWithIcu(text, true)) << text;
    ASSERT_EQ(analyzer->NormalizeForDisplay(text), Analyzer::NormalizeWithIcu(text, false)) << text;
  }
}

// Words() reads the tokeniser's words directly for ASCII text; the reference is the positional
// terms of a document indexed from the normalised text, in position order.
TEST(AnalyzerAsciiFastPath, WordsAreThePositionalTermsInOrder) {
  auto analyzer = Analyzer::Create();
  ASSERT_TRUE(analyzer.ok());
  const auto reference = [&](const std::string& text) {
    Xapian::TermGenerator generator;
    generator.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
    generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    Xapian::Document document;
    generator.set_document(document);
    generator.index_text(analyzer->Normalize(text));
    std::vector<std::pair<Xapian::termpos, std::string>> positioned;
    for (auto term = document.termlist_begin(); term != document.termlist_end(); ++term) {
      for (auto pos = term.positionlist_begin(); pos != term.positionlist_end(); ++pos) {
        positioned.emplace_back(*pos, *term);
      }
    }
    std::sort(positioned.begin(), positioned.end());
    std::vector<std::string> words;
    for (auto& [pos, word] : positioned) words.push_back(word);
    return words;
  };
  std::vector<std::string> table = {
      "Pakistan's talks with Russia’s Foreign Ministry (MOFA) in 1987.",
      "AT&T and C++ cost $1,000.50; U.S.A. e-mail x@y.com don't",
      "Pak-Russia — Sino-Soviet – Indo-Pakistani",
      "the the the",
      "",
      std::string(70, 'x') + " long words are left out " + std::string(64, 'y'),
      "WASHINGTON, March 3 - The U.S. Agriculture Department said..."};
  const std::string alphabet = "abcXYZ019 .'-,&+#@$_";
  std::mt19937 random(7);
  for (int i = 0; i < 3000; ++i) {
    std::string text(random() % 30, ' ');
    for (char& c : text) c = alphabet[random() % alphabet.size()];
    table.push_back(text);
  }
  for (const std::string& text : table) {
    ASSERT_EQ(analyzer->Words(text), reference(text)) << text;
  }
}

}  // namespace
}  // namespace dyad
