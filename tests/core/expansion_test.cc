#include "core/expansion.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

// A database of `documents` articles whose words follow a skewed distribution, so that many
// candidate terms tie in weight (same document counts, same wdf): the case where the order of
// Xapian's steps shows.
Xapian::Database SkewedDatabase(const std::string& path, int documents, unsigned seed) {
  Xapian::WritableDatabase writer(path, Xapian::DB_CREATE);
  std::mt19937 random(seed);
  std::geometric_distribution<int> word(0.02);
  std::uniform_int_distribution<int> length(5, 120);
  for (int d = 0; d < documents; ++d) {
    Xapian::Document document;
    for (int n = length(random); n > 0; --n) {
      const std::string w = std::to_string(word(random));
      document.add_term("Z" + w);  // Stem-like terms...
      if (n % 3 == 0) document.add_term("w" + w);
      if (n % 7 == 0) document.add_boolean_term("XF" + w);  // ... and others, wdf 0.
    }
    writer.add_document(document);
  }
  writer.commit();
  return Xapian::Database(path);
}

struct Decider : Xapian::ExpandDecider {
  bool only_stems = false;
  bool operator()(const std::string& term) const override { return !only_stems || term[0] == 'Z'; }
};

TEST(TradExpansionTest, SameTermsAndWeightsAsXapiansEsetBitForBit) {
  testutil::TempDir dir;
  const Xapian::Database database = SkewedDatabase(dir.Sub("db"), 300, 7);
  std::mt19937 random(11);
  std::uniform_int_distribution<Xapian::docid> pick(1, database.get_doccount());
  TermFreqCache freqs;  // Shared by every case: a cache that has seen other searches.
  int compared = 0;
  for (int round = 0; round < 60; ++round) {
    std::set<Xapian::docid> chosen;
    for (int n = 1 + round % 15; n > 0; --n) chosen.insert(pick(random));
    const std::vector<Xapian::docid> rset_ids(chosen.begin(), chosen.end());
    Xapian::RSet rset;
    for (Xapian::docid id : rset_ids) rset.add_document(id);
    for (const bool only_stems : {false, true}) {
      for (const Xapian::termcount wanted : {1u, 5u, 30u, 1000u}) {
        Decider decider;
        decider.only_stems = only_stems;
        Xapian::Enquire enquire(database);  // No query: get_eset leaves nothing else out.
        const Xapian::ESet eset =
            enquire.get_eset(wanted, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
        const std::vector<ExpansionTerm> ours = TradExpansion(
            database, rset_ids, wanted, [&](const std::string& t) { return decider(t); }, freqs);
        std::vector<std::pair<std::string, double>> theirs_list, ours_list;
        for (auto it = eset.begin(); it != eset.end(); ++it) {
          if (it.get_weight() > 0) theirs_list.emplace_back(*it, it.get_weight());
        }
        for (const ExpansionTerm& term : ours) ours_list.emplace_back(term.term, term.weight);
        ASSERT_EQ(ours_list, theirs_list)
            << "rset of " << rset_ids.size() << ", " << wanted << " terms";
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, 60 * 2 * 4);
  EXPECT_GT(freqs.size(), 0u);
}

TEST(TradExpansionTest, NothingToExpandGivesNoTerms) {
  testutil::TempDir dir;
  const Xapian::Database database = SkewedDatabase(dir.Sub("db"), 10, 3);
  TermFreqCache freqs;
  const auto all = [](const std::string&) { return true; };
  EXPECT_TRUE(TradExpansion(database, {}, 10, all, freqs).empty());
  EXPECT_TRUE(TradExpansion(database, {1, 2}, 0, all, freqs).empty());
  EXPECT_TRUE(TradExpansion(
                  database, {1, 2}, 10, [](const std::string&) { return false; }, freqs)
                  .empty());
}

TEST(TermFreqCacheTest, GivesTheDatabasesFrequenciesAndForgetsThemOnReset) {
  testutil::TempDir dir;
  const Xapian::Database database = SkewedDatabase(dir.Sub("db"), 50, 5);
  TermFreqCache freqs;
  freqs.Reset(database.get_revision());
  EXPECT_EQ(freqs.revision(), database.get_revision());
  for (const std::string term : {"Z0", "Z1", "w0", "XF0", "absent"}) {
    EXPECT_EQ(freqs.Get(database, term), database.get_termfreq(term)) << term;
    EXPECT_EQ(freqs.Get(database, term), database.get_termfreq(term)) << term;  // Cached.
  }
  EXPECT_EQ(freqs.size(), 5u);
  freqs.Reset(42);
  EXPECT_EQ(freqs.size(), 0u);
  EXPECT_EQ(freqs.revision(), 42u);
}

}  // namespace
}  // namespace dyad
