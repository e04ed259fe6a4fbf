// Generations and atomic publication (indexer/index_folder.h), incremental runs, shards, prune
// and duplicates, on real index folders.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <tuple>

#include "core/schema.h"
#include "indexer/build.h"
#include "indexer/index_folder.h"
#include "tests/indexer/index_contents.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

namespace fs = std::filesystem;

class PublishTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = Analyzer::Create();
    ASSERT_TRUE(created.ok());
    analyzer_.emplace(std::move(*created));
    auto enricher = Enricher::Load(*analyzer_);
    ASSERT_TRUE(enricher.ok()) << enricher.status().ToString();
    enricher_ = std::move(*enricher);
    for (int i = 0; i < 24; ++i) {
      dir_.Write("corpus/a" + std::to_string(i) + ".txt",
                 "Article " + std::to_string(i) + "\nRussia and Pakistan discussed trade " +
                     std::to_string(i) + " times in Moscow.\n");
    }
    dir_.Write("corpus/wire.smart",
               ".I 1\n.T\nWheat\n.W\nKansas wheat prices rose.\n.I 2\n.T\n"
               "Oil\n.W\nSaudi Arabia raised oil output.\n");
  }

  BuildReport Build(unsigned shards, bool prune = false, const std::string& index = "index",
                    unsigned segment_articles = 0, unsigned max_segments = 0) {
    BuildExtras extras;
    extras.shards = shards;
    extras.prune = prune;
    extras.segment_articles = segment_articles;
    extras.max_segments = max_segments;
    BuildReport report;
    const Status s =
        BuildIndex({{dir_.Sub("corpus")}, dir_.Sub(index)}, extras, *enricher_, &report);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return report;
  }

  std::set<std::string> Entries(const std::string& index = "index") {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_.Sub(index))) {
      names.insert(entry.path().filename().string());
    }
    return names;
  }

  std::map<std::string, std::string> Contents(const std::string& index = "index") {
    return testutil::IndexContents(dir_.Sub(index));
  }

  testutil::TempDir dir_;
  std::optional<Analyzer> analyzer_;
  std::unique_ptr<Enricher> enricher_;
};

TEST_F(PublishTest, FolderHoldsAStubAndTheLastTwoGenerations) {
  BuildReport first = Build(2);
  EXPECT_TRUE(first.published);
  EXPECT_EQ(first.generation, 1u);
  EXPECT_EQ(first.total, 26u);
  EXPECT_EQ(Entries(), (std::set<std::string>{"XAPIANDB", "dyad-index.lock", "gen-000001"}));
  // Xapian::Database(DIR), what searchd opens, reads the stub.
  Xapian::Database database(dir_.Sub("index"));
  EXPECT_EQ(database.get_doccount(), 26u);
  EXPECT_EQ(database.get_metadata(schema::kMetaSchemaVersion),
            std::to_string(schema::kSchemaVersion));
  EXPECT_EQ(database.get_metadata(kMetaGeneration), "1");
  // Shard databases of the build are gone; only the merged one is left.
  EXPECT_EQ(fs::directory_iterator(dir_.Sub("index/gen-000001"))->path().filename(), "index");

  dir_.Write("corpus/new.txt", "New\nChina and India.\n");
  EXPECT_EQ(Build(2).generation, 2u);
  dir_.Write("corpus/new2.txt", "Newer\nBrazil and Chile.\n");
  EXPECT_EQ(Build(2).generation, 3u);
  EXPECT_EQ(Entries(),
            (std::set<std::string>{"XAPIANDB", "dyad-index.lock", "gen-000002", "gen-000003"}));
  EXPECT_EQ(Xapian::Database(dir_.Sub("index")).get_doccount(), 28u);
}

TEST_F(PublishTest, SecondRunWritesNothing) {
  Build(2);
  const auto stamp = [&] {
    struct stat st {};
    EXPECT_EQ(::stat(dir_.Sub("index/XAPIANDB").c_str(), &st), 0);
    return std::make_tuple(st.st_ino, st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  };
  const auto before = stamp();
  const auto entries = Entries();
  const auto contents = Contents();
  for (unsigned shards : {2u, 3u}) {  // Whatever the shard count of the run.
    const BuildReport again = Build(shards);
    EXPECT_FALSE(again.published);
    EXPECT_EQ(again.generation, 1u);
    EXPECT_EQ(again.unchanged, 26u);
    EXPECT_EQ(again.added + again.replaced, 0u);
    EXPECT_EQ(again.total, 26u);
  }
  EXPECT_EQ(stamp(), before);
  EXPECT_EQ(Entries(), entries);
  EXPECT_EQ(Contents(), contents);
}

TEST_F(PublishTest, AnOpenReaderKeepsItsGenerationUntilItOpensAgain) {
  Build(2);
  Xapian::Database old_reader(dir_.Sub("index"));
  dir_.Write("corpus/a3.txt", "Article 3\nNow about Brazil.\n");
  fs::remove(dir_.Sub("corpus/a4.txt"));
  const BuildReport report = Build(2, true);
  EXPECT_EQ(report.replaced, 1u);
  EXPECT_EQ(*report.pruned, 1u);
  // The published database was never written: the old reader sees the old state, unchanged.
  EXPECT_EQ(old_reader.get_doccount(), 26u);
  EXPECT_EQ(old_reader.get_termfreq("brazil"), 0u);
  EXPECT_EQ(old_reader.get_termfreq("moscow"), 24u);
  Xapian::Database new_reader(dir_.Sub("index"));
  EXPECT_EQ(new_reader.get_doccount(), 25u);
  EXPECT_EQ(new_reader.get_termfreq("brazil"), 1u);
  EXPECT_EQ(new_reader.get_termfreq("moscow"), 22u);
}

TEST_F(PublishTest, LeftoversOfAKilledBuildAreRemoved) {
  Build(2);
  dir_.Write("index/gen-000007/shard-0/junk", "half-written");
  dir_.Write("index/gen-000002/index/junk", "half-written");
  dir_.Write("index/XAPIANDB.tmp", "auto gen-000007/index\n");
  // A run with nothing to do still clears them, and publishes nothing.
  EXPECT_FALSE(Build(2).published);
  EXPECT_EQ(Entries(), (std::set<std::string>{"XAPIANDB", "dyad-index.lock", "gen-000001"}));
  dir_.Write("corpus/new.txt", "New\nChina and India.\n");
  EXPECT_EQ(Build(2).generation, 2u);
  EXPECT_EQ(Xapian::Database(dir_.Sub("index")).get_doccount(), 27u);
}

TEST_F(PublishTest, RollbackRepublishesThePreviousGeneration) {
  Build(2);
  const auto first = Contents();
  dir_.Write("corpus/new.txt", "New\nChina and India.\n");
  Build(2);
  {
    StatusOr<IndexFolder> folder = IndexFolder::Lock(dir_.Sub("index"));
    ASSERT_TRUE(folder.ok());
    StatusOr<std::uint64_t> back = folder->Rollback();
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, 1u);
    EXPECT_EQ(folder->Rollback().status().code(), StatusCode::kFailedPrecondition);
  }
  EXPECT_EQ(Contents(), first);
  const BuildReport again = Build(2);  // The corpus still has new.txt: generation 2 again.
  EXPECT_EQ(again.added, 1u);
  EXPECT_EQ(again.generation, 2u);
}

TEST_F(PublishTest, ALockedFolderIsRefused) {
  StatusOr<IndexFolder> held = IndexFolder::Lock(dir_.Sub("index"));
  ASSERT_TRUE(held.ok());
  BuildReport report;
  const Status s = BuildIndex({{dir_.Sub("corpus")}, dir_.Sub("index")}, *enricher_, &report);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("another dyad-index"), std::string::npos) << s.message();
}

TEST_F(PublishTest, ForeignFoldersAreRefusedWithAReason) {
  Xapian::WritableDatabase(dir_.Sub("bare"), Xapian::DB_CREATE).commit();
  BuildReport report;
  Status s = BuildIndex({{dir_.Sub("corpus")}, dir_.Sub("bare")}, *enricher_, &report);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("bare Xapian database"), std::string::npos) << s.message();

  dir_.Write("stub/XAPIANDB", "auto /somewhere/else\n");
  s = BuildIndex({{dir_.Sub("corpus")}, dir_.Sub("stub")}, *enricher_, &report);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("not written by dyad-index"), std::string::npos) << s.message();
}

TEST_F(PublishTest, ShardedBuildsEqualAOneShardBuild) {
  Build(1, false, "one");
  Build(4, false, "four");
  EXPECT_EQ(Contents("four"), Contents("one"));
  EXPECT_EQ(Contents("four").size(), 26u);
}

TEST_F(PublishTest, IncrementalRunsEqualACleanBuild) {
  Build(3);
  dir_.Write("corpus/a1.txt", "Article 1\nRevised: Iran and Iraq.\n");
  dir_.Write("corpus/sub/b.md", "---\nid: bee\n---\nBeta\nAbout Pakistan.\n");
  fs::remove(dir_.Sub("corpus/a2.txt"));
  fs::remove(dir_.Sub("corpus/wire.smart"));
  const BuildReport report = Build(2, true);  // Another shard count than the first run.
  EXPECT_EQ(report.added, 1u);
  EXPECT_EQ(report.replaced, 1u);
  EXPECT_EQ(*report.pruned, 3u);
  EXPECT_EQ(report.total, 26u - 3u + 1u);
  Build(3, false, "clean");
  EXPECT_EQ(Contents(), Contents("clean"));
}

TEST_F(PublishTest, PruneWithManyShards) {
  Build(4);
  fs::remove(dir_.Sub("corpus/a5.txt"));
  fs::remove(dir_.Sub("corpus/a6.txt"));
  const BuildReport report = Build(4, true);
  EXPECT_EQ(*report.pruned, 2u);
  EXPECT_EQ(report.total, 24u);
  EXPECT_TRUE(report.published);
  const BuildReport again = Build(4, true);
  EXPECT_EQ(*again.pruned, 0u);
  EXPECT_FALSE(again.published);
}

TEST_F(PublishTest, ALaterRecordOfAnIdReplacesTheEarlierOneWhateverTheShards) {
  dir_.Write("corpus/z1.txt", "---\nid: dup\n---\nFirst\nAbout Chile.\n");
  dir_.Write("corpus/z2.txt", "---\nid: dup\n---\nSecond\nAbout Peru.\n");
  for (unsigned shards : {1u, 3u}) {
    const std::string index = shards == 1 ? "dup1" : "dup3";
    const BuildReport report = Build(shards, false, index);
    EXPECT_EQ(report.total, 27u);
    EXPECT_EQ(report.replaced, 1u);
    Xapian::Database database(dir_.Sub(index));
    EXPECT_EQ(database.get_termfreq("peru"), 1u);
    EXPECT_EQ(database.get_termfreq("chile"), 0u);
  }
  EXPECT_EQ(Contents("dup3"), Contents("dup1"));
}

// Shards are written as segments, compacted in runs as they pile up and at the end
// (shard_worker.h): tiny segments exercise every path, including an id read twice whose first
// record is in a segment already closed or compacted.
TEST_F(PublishTest, SegmentedShardsEqualOneSegment) {
  dir_.Write("corpus/b-dup.txt", "---\nid: dup\n---\nFirst\nAbout Chile.\n");
  for (int i = 0; i < 40; ++i) {
    dir_.Write("corpus/c" + std::to_string(i) + ".txt",
               "More " + std::to_string(i) + "\nIndia and China met in Delhi.\n");
  }
  dir_.Write("corpus/z-dup.txt", "---\nid: dup\n---\nSecond\nAbout Peru.\n");
  const BuildReport whole = Build(1, false, "whole");
  EXPECT_EQ(whole.total, 67u);
  EXPECT_EQ(whole.replaced, 1u);
  for (const auto& [shards, articles, max_segments] :
       {std::tuple{1u, 1u, 4u}, std::tuple{1u, 2u, 3u}, std::tuple{2u, 1u, 32u}}) {
    const std::string index = "seg" + std::to_string(shards) + "-" + std::to_string(articles) +
                              "-" + std::to_string(max_segments);
    const BuildReport report = Build(shards, false, index, articles, max_segments);
    EXPECT_EQ(report.total, 67u) << index;
    EXPECT_EQ(report.replaced, 1u) << index;
    EXPECT_EQ(Contents(index), Contents("whole")) << index;
    Xapian::Database database(dir_.Sub(index));
    EXPECT_EQ(database.get_termfreq("peru"), 1u) << index;
    EXPECT_EQ(database.get_termfreq("chile"), 0u) << index;
    // The spelling dictionary, flushed once at the end, is the same too.
    Xapian::Database one(dir_.Sub("whole"));
    EXPECT_EQ(database.get_spelling_suggestion("dlehi"), "delhi") << index;
    for (const char* word : {"india", "delhi", "russia", "peru", "chile"}) {
      std::size_t n = 0, m = 0;
      for (auto it = database.spellings_begin(); it != database.spellings_end(); ++it) {
        if (*it == word) n = it.get_termfreq();
      }
      for (auto it = one.spellings_begin(); it != one.spellings_end(); ++it) {
        if (*it == word) m = it.get_termfreq();
      }
      EXPECT_EQ(n, m) << index << " " << word;
      EXPECT_GT(m, 0u) << word;
    }
  }
  // Nothing but the published generation's database is left of the segments.
  for (const auto& entry : fs::recursive_directory_iterator(dir_.Sub("seg1-1-4"))) {
    EXPECT_EQ(entry.path().string().find("shard-"), std::string::npos) << entry.path();
  }
}

// The bundled State of the Union speeches, built with one shard and with three: every query
// finds the same articles with the same BM25 scores.
TEST(ShardedSearch, SameHitsAndScoresAsOneShard) {
  auto analyzer = Analyzer::Create();
  ASSERT_TRUE(analyzer.ok());
  auto enricher = Enricher::Load(*analyzer);
  ASSERT_TRUE(enricher.ok());
  testutil::TempDir dir;
  std::vector<fs::path> speeches;
  for (const auto& entry : fs::directory_iterator(DYAD_SOURCE_DIR "/corpus/sotu")) {
    speeches.push_back(entry.path());
  }
  std::sort(speeches.begin(), speeches.end());
  ASSERT_GT(speeches.size(), 200u);
  for (std::size_t i = 0; i < speeches.size(); i += 6) {  // 40 speeches from 1790 on.
    fs::create_directories(dir.Sub("corpus"));
    fs::copy_file(speeches[i], dir.path() / "corpus" / speeches[i].filename());
  }
  for (const auto& [shards, index] : {std::pair(1u, "s1"), std::pair(3u, "s3")}) {
    BuildExtras extras;
    extras.shards = shards;
    BuildReport report;
    ASSERT_TRUE(
        BuildIndex({{dir.Sub("corpus")}, dir.Sub(index)}, extras, **enricher, &report).ok());
    ASSERT_GE(report.total, 38u);  // Speeches; the walk also meets files of other kinds.
  }
  const auto run = [&](const std::string& index, const std::string& text) {
    Xapian::Database database(dir.Sub(index));
    Xapian::QueryParser parser;
    (*analyzer).ConfigureQueryParser(parser);
    parser.set_database(database);
    StatusOr<Xapian::Query> query = analyzer->ParseQuery(parser, text);
    EXPECT_TRUE(query.ok()) << text;
    Xapian::Enquire enquire(database);
    enquire.set_query(*query);
    enquire.set_weighting_scheme(Xapian::BM25Weight());
    std::vector<std::pair<std::string, double>> hits;  // Sorted: ties may come in any order.
    const Xapian::MSet mset = enquire.get_mset(0, 100);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      v1::StoredArticle article;
      EXPECT_TRUE(article.ParseFromString(it.get_document().get_data()));
      hits.emplace_back(article.id(), it.get_weight());
    }
    std::sort(hits.begin(), hits.end());
    return hits;
  };
  for (const char* text : {"war", "Soviet Union", "\"foreign relations\"", "title:union",
                           "tariff OR trade", "Mexico NEAR/5 Texas", "navy AND NOT army", "economy",
                           "Britain Spain France", "peace treaty"}) {
    const auto one = run("s1", text);
    EXPECT_FALSE(one.empty()) << text;
    EXPECT_EQ(run("s3", text), one) << text;
  }
}

TEST(ShardOf, SpreadsIdsOverEveryShardAndIsStable) {
  std::vector<int> counts(4);
  for (int i = 0; i < 4000; ++i) {
    const std::string id = "reuters-" + std::to_string(i);
    const unsigned shard = ShardOf(id, 4);
    ASSERT_LT(shard, 4u);
    EXPECT_EQ(ShardOf(id, 4), shard);
    ++counts[shard];
  }
  for (int count : counts) EXPECT_GT(count, 800) << "uneven spread";
  EXPECT_EQ(ShardOf("anything", 1), 0u);
  EXPECT_EQ(ShardOf("anything", 0), 0u);
}

}  // namespace
}  // namespace dyad
