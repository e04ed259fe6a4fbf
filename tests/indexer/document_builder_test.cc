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

// Every term with its wdf and positions, every value, and the data of `document`.
std::string Contents(const Xapian::Document& document) {
  std::string out;
  for (auto term = document.termlist_begin(); term != document.termlist_end(); ++term) {
    out.append(*term).append(":").append(std::to_string(term.get_wdf()));
    for (auto pos = term.positionlist_begin(); pos != term.positionlist_end(); ++pos) {
      out.append(",").append(std::to_string(*pos));
    }
    out.append(" ");
  }
  for (auto value = document.values_begin(); value != document.values_end(); ++value) {
    out.append("|").append(std::to_string(value.get_valueno())).append("=").append(*value);
  }
  return out.append("|").append(document.get_data());
}

// IndexText records, for the Enricher, the stems of the fields it reads: they must be what
// Analyzer::Stems gives (or absent, for text the Enricher analyses itself), and the document the
// one Build makes.
TEST(DocumentBuilderTest, RecordedStemsEqualAnalyzerStems) {
  auto analyzer = Analyzer::Create();
  ASSERT_TRUE(analyzer.ok());
  const std::string long_word(70, 'x');
  std::vector<v1::StoredArticle> articles = {
      Article("Pakistan's Energy Talks", {"Pakistan and Russia signed 3 pipeline deals in 2001.",
                                          "The U.S. watched; AT&T and C++ were not involved.",
                                          "Pak-Russia ties -- the 1980s' 'cold' war, 1,000.5 km."}),
      Article("Café talks", {"Ελλάδα and Россия, 巴基斯坦.", "Plain text " + long_word + " here."}),
      Article("Repeats", {"word word WORD words", "", "rock'n'roll o'clock isn't"}),
  };
  articles[0].mutable_sections(0)->set_heading("Background: the 1990s");
  v1::KeyPoint* point = articles[0].add_key_points();
  point->set_label("Energy");
  point->set_text("Pipelines & power plants");
  articles[0].add_authors("Ayesha Khan");

  DocumentBuilder reference(*analyzer);
  DocumentBuilder builder(*analyzer);
  FieldStems stems;
  for (const v1::StoredArticle& article : articles) {
    builder.IndexText(article, &stems);
    std::vector<const std::string*> fields = {&article.title()};
    for (const v1::Section& section : article.sections()) {
      fields.push_back(&section.heading());
      for (const std::string& paragraph : section.paragraphs()) fields.push_back(&paragraph);
    }
    for (const std::string* field : fields) {
      const std::vector<std::string>* recorded = stems.Find(*field);
      const bool ascii = std::all_of(field->begin(), field->end(),
                                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
      if (field->empty() || !ascii) {
        EXPECT_EQ(recorded, nullptr) << *field;
        continue;
      }
      ASSERT_NE(recorded, nullptr) << *field;
      EXPECT_EQ(*recorded, analyzer->Stems(*field)) << *field;
    }
    EXPECT_EQ(Contents(builder.Finish(article)), Contents(reference.Build(article)));
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
