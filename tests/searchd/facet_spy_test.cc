#include "searchd/facet_spy.h"

#include <gtest/gtest.h>

#include <map>

#include "core/schema.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

constexpr Xapian::valueno kSlot = schema::kSlotFacetCountry;

// Two small shards whose documents hold country lists.
class FacetSpyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::vector<std::vector<std::string>> shard_a = {{"PK", "RU"}, {"RU"}, {}, {"CN", "RU"}};
    const std::vector<std::vector<std::string>> shard_b = {{"PK"}, {"RU", "PK"}, {"US"}};
    Write("a", shard_a);
    Write("b", shard_b);
    for (const auto* shard : {&shard_a, &shard_b}) {
      for (const auto& values : *shard) {
        for (const std::string& value : values) ++expected_[value];
      }
    }
  }

  void Write(const std::string& name, const std::vector<std::vector<std::string>>& docs) {
    Xapian::WritableDatabase db(dir_.Sub(name), Xapian::DB_CREATE);
    for (const auto& values : docs) {
      Xapian::Document doc;
      doc.add_boolean_term("Qdoc");
      if (!values.empty()) doc.add_value(kSlot, schema::EncodeFacetValues(values));
      db.add_document(doc);
    }
    db.commit();
  }

  static void Run(const Xapian::Database& db, Xapian::MatchSpy* spy) {
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query::MatchAll);
    enquire.add_matchspy(spy);
    enquire.get_mset(0, 1, db.get_doccount());
  }

  static std::map<std::string, Xapian::doccount> AsMap(const FacetSpy& spy) {
    std::map<std::string, Xapian::doccount> counts;
    for (const FacetCount& c : spy.Counts()) counts[c.value] = c.count;
    return counts;
  }

  testutil::TempDir dir_;
  std::map<std::string, Xapian::doccount> expected_;
};

TEST_F(FacetSpyTest, CountsEachValueOfMultiValuedLists) {
  Xapian::Database both(dir_.Sub("a"));
  both.add_database(Xapian::Database(dir_.Sub("b")));
  FacetSpy spy(kSlot);
  Run(both, &spy);
  EXPECT_EQ(AsMap(spy), expected_);
  EXPECT_EQ(spy.documents(), 7u);
  const std::vector<FacetCount> counts = spy.Counts();
  ASSERT_EQ(counts.size(), 4u);
  EXPECT_EQ(counts[0].value, "RU");  // 4, then PK 3, then CN and US (1 each) by value.
  EXPECT_EQ(counts[1].value, "PK");
  EXPECT_EQ(counts[2].value, "CN");
  EXPECT_EQ(counts[3].value, "US");
}

TEST_F(FacetSpyTest, ResultsOfSeparateShardsMergeIntoTheCombinedCounts) {
  FacetSpy a(kSlot), b(kSlot);
  Run(Xapian::Database(dir_.Sub("a")), &a);
  Run(Xapian::Database(dir_.Sub("b")), &b);
  a.merge_results(b.serialise_results());
  EXPECT_EQ(AsMap(a), expected_);
  EXPECT_EQ(a.documents(), 7u);
}

TEST_F(FacetSpyTest, SerialisesAsTheBuiltInSpySoAStockRemoteServerCanRunIt) {
  const FacetSpy spy(kSlot);
  // What xapian-tcpsrv does: look the name up in the default registry and unserialise.
  const Xapian::Registry registry;
  const Xapian::MatchSpy* prototype = registry.get_match_spy(spy.name());
  ASSERT_NE(prototype, nullptr) << spy.name();
  std::unique_ptr<Xapian::MatchSpy> server(prototype->unserialise(spy.serialise(), registry));
  Run(Xapian::Database(dir_.Sub("b")), server.get());
  FacetSpy client(kSlot);
  Run(Xapian::Database(dir_.Sub("a")), &client);
  client.merge_results(server->serialise_results());
  EXPECT_EQ(AsMap(client), expected_);
}

TEST_F(FacetSpyTest, UnserialiseAndCloneKeepTheSlot) {
  for (Xapian::valueno slot : {kSlot, Xapian::valueno{300}, Xapian::valueno{70000}}) {
    const FacetSpy spy(slot);
    std::unique_ptr<Xapian::MatchSpy> copy(spy.unserialise(spy.serialise(), Xapian::Registry()));
    EXPECT_EQ(copy->serialise(), spy.serialise()) << slot;
    EXPECT_NE(dynamic_cast<FacetSpy*>(copy.get()), nullptr);
    std::unique_ptr<Xapian::MatchSpy> clone(spy.clone());
    EXPECT_EQ(clone->serialise(), spy.serialise());
    EXPECT_NE(dynamic_cast<FacetSpy*>(clone.get()), nullptr);
  }
}

}  // namespace
}  // namespace dyad
