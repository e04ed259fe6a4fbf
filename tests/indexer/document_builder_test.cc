#include "indexer/document_builder.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

// The spelling dictionary as (word, frequency) pairs, in order.
std::vector<std::pair<std::string, Xapian::doccount>> Spellings(const Xapian::Database& db) {
  std::vector<std::pair<std::string, Xapian::doccount>> out;
  for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) {
    out.emplace_back(*it, it.get_termfreq());
  }
  return out;
}

v1::StoredArticle Article(const std::string& title, std::vector<std::string> paragraphs) {
  v1::StoredArticle article;
  article.set_id(title);
  article.set_title(title);
  v1::Section* section = article.add_sections();
  for (std::string& p : paragraphs) section->add_paragraphs(std::move(p));
  return article;
}

// DocumentBuilder counts spelling words itself; the dictionary must be the one Xapian's
// TermGenerator::FLAG_SPELLING gives for the same unprefixed text.
TEST(DocumentBuilderTest, SpellingDictionaryEqualsXapiansFlagSpelling) {
  auto analyzer = Analyzer::Create();
  ASSERT_TRUE(analyzer.ok());
  std::vector<v1::StoredArticle> articles = {
      Article("Pakistan’s Energy Talks", {"Pakistan and Russia signed 3 pipeline deals in 2001.",
                                          "The U.S. watched; AT&T and C++ were not involved."}),
      Article("Ünïcödé Straße", {"Café naïve façade — Ελλάδα, Россия, 巴基斯坦 and 日本語の文章.",
                                 "Pakistan pipelines: PAKISTAN, pakistan, Pakistan's."}),
      Article("Repeats", {"word word word WORD", ""}),
  };
  v1::KeyPoint* point = articles[0].add_key_points();
  point->set_label("Energy");
  point->set_text("Pipelines & power plants");
  articles[0].add_authors("Ayesha Khan");
  articles[0].set_author_note("The author writes on Pakistan–Russia ties.");
  articles[0].mutable_sections(0)->set_heading("Background");

  testutil::TempDir dir;
  // Reference: Xapian's own spelling, fed every unprefixed text DocumentBuilder indexes.
  Xapian::WritableDatabase reference(dir.Sub("reference"), Xapian::DB_CREATE);
  Xapian::TermGenerator generator;
  analyzer->ConfigureTermGenerator(generator);
  generator.set_database(reference);
  using Flags = Xapian::TermGenerator::flags;
  generator.set_flags(Xapian::TermGenerator::FLAG_SPELLING,
                      Flags(~Xapian::TermGenerator::FLAG_SPELLING));
  Xapian::Document scratch;
  generator.set_document(scratch);
  for (const v1::StoredArticle& article : articles) {
    analyzer->IndexText(generator, article.title());
    for (const v1::KeyPoint& p : article.key_points()) {
      analyzer->IndexText(generator, p.label() + " " + p.text());
    }
    for (const v1::Section& section : article.sections()) {
      analyzer->IndexText(generator, section.heading());
      for (const std::string& paragraph : section.paragraphs()) {
        analyzer->IndexText(generator, paragraph);
      }
    }
    for (const std::string& author : article.authors()) analyzer->IndexText(generator, author);
    analyzer->IndexText(generator, article.author_note());
  }
  reference.commit();

  Xapian::WritableDatabase counted(dir.Sub("counted"), Xapian::DB_CREATE);
  DocumentBuilder builder(*analyzer);
  builder.EnableSpelling();
  for (std::size_t i = 0; i < articles.size(); ++i) {
    counted.add_document(builder.Build(articles[i]));
    if (i == 0) {  // A flush in the middle adds up with the later ones.
      EXPECT_GT(builder.spelling_words(), 0u);
      builder.FlushSpelling(counted);
      EXPECT_EQ(builder.spelling_words(), 0u);
      counted.commit();
    }
  }
  builder.FlushSpelling(counted);
  counted.commit();

  const auto expected = Spellings(reference);
  ASSERT_GT(expected.size(), 20u);
  const auto actual = Spellings(counted);
  for (const auto& entry : expected) {
    EXPECT_NE(std::find(actual.begin(), actual.end(), entry), actual.end())
        << "missing or miscounted: " << entry.first << " x" << entry.second;
  }
  for (const auto& entry : actual) {
    EXPECT_NE(std::find(expected.begin(), expected.end(), entry), expected.end())
        << "extra or miscounted: " << entry.first << " x" << entry.second;
  }
}

TEST(DocumentBuilderTest, NoSpellingUnlessEnabled) {
  auto analyzer = Analyzer::Create();
  ASSERT_TRUE(analyzer.ok());
  DocumentBuilder builder(*analyzer);
  const Xapian::Document document = builder.Build(Article("Title", {"Some words here."}));
  EXPECT_GT(document.termlist_count(), 0u);
  EXPECT_EQ(builder.spelling_words(), 0u);
}

}  // namespace
}  // namespace dyad
