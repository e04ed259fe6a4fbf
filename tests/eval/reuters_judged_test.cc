// Dyad's judged world-affairs set (bench/relevance/reuters_topics.tsv, reuters-dev.topics,
// reuters-dev.qrels) must be exactly what its rule gives on the Reuters-21578 development files:
// an article of reut2-000..010 is relevant to a query when its PLACES labels include every place
// of the query and its TOPICS labels one of the query's topics. Recomputed here from the
// articles as dyad-index reads them, so the committed judgements cannot drift from the rule or
// reach into the test split (reut2-011..021). Relevance figures themselves are in
// docs/relevance.md (bench/relevance/reuters_run.sh): indexing 11,000 articles is too slow for
// CI's budget, especially under the sanitizers.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "bench/reuters_eval.h"
#include "clients/eval/topics.h"

namespace dyad {
namespace {

std::set<std::string> Split(std::string_view list, char separator) {
  std::set<std::string> out;
  while (!list.empty()) {
    const std::size_t cut = list.find(separator);
    if (cut != 0) out.emplace(list.substr(0, cut));
    list.remove_prefix(cut == std::string_view::npos ? list.size() : cut + 1);
  }
  return out;
}

struct Definition {
  std::set<std::string> places;
  std::set<std::string> topics;
  std::string query;
};

TEST(ReutersJudgedSet, JudgementsFollowTheRuleOnTheDevelopmentFiles) {
  const std::string here = DYAD_SOURCE_DIR "/bench/relevance/";
  std::map<std::string, Definition> definitions;
  {
    std::ifstream in(here + "reuters_topics.tsv");
    ASSERT_TRUE(in) << "reuters_topics.tsv";
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::istringstream fields(line);
      std::string qid, places, topics, query;
      ASSERT_TRUE(std::getline(fields, qid, '\t') && std::getline(fields, places, '\t') &&
                  std::getline(fields, topics, '\t') && std::getline(fields, query))
          << line;
      definitions[qid] = {Split(places, ','), Split(topics, ','), query};
    }
  }
  ASSERT_GE(definitions.size(), 30u);

  // The TREC topics are the queries, word for word.
  auto topics = eval::ReadTopics(here + "reuters-dev.topics");
  ASSERT_TRUE(topics.ok()) << topics.status().ToString();
  EXPECT_TRUE(topics->issues.empty());
  ASSERT_EQ(topics->topics.size(), definitions.size());
  for (const eval::Topic& topic : topics->topics) {
    ASSERT_TRUE(definitions.contains(topic.qid)) << topic.qid;
    EXPECT_EQ(topic.fields.at("title"), definitions[topic.qid].query) << topic.qid;
  }

  std::map<std::string, std::set<std::string>> committed;
  {
    std::ifstream in(here + "reuters-dev.qrels");
    ASSERT_TRUE(in) << "reuters-dev.qrels";
    std::string qid, iteration, docid;
    int relevance = 0;
    while (in >> qid >> iteration >> docid >> relevance) {
      EXPECT_EQ(relevance, 1) << qid << " " << docid;
      committed[qid].insert(docid);
    }
  }

  auto articles = bench::ReadReuters(DYAD_SHARED_DIR "/corpora/reuters21578", 0, 10);
  ASSERT_TRUE(articles.ok()) << articles.status().ToString();
  ASSERT_EQ(articles->size(), 11000u);
  std::map<std::string, std::set<std::string>> derived;
  for (const v1::StoredArticle& article : *articles) {
    const auto label = [&](const char* key) {
      const auto found = article.metadata().find(key);
      return found == article.metadata().end() ? std::set<std::string>()
                                               : Split(found->second, ';');
    };
    const std::set<std::string> places = label("places");
    const std::set<std::string> topic_labels = label("topics");
    for (const auto& [qid, d] : definitions) {
      const bool all_places =
          std::includes(places.begin(), places.end(), d.places.begin(), d.places.end());
      const bool any_topic =
          std::any_of(d.topics.begin(), d.topics.end(),
                      [&](const std::string& t) { return topic_labels.contains(t); });
      if (all_places && any_topic) derived[qid].insert(article.id());
    }
  }
  for (const auto& [qid, d] : definitions) {
    EXPECT_GE(derived[qid].size(), 5u) << qid << ": too few relevant articles to measure";
    EXPECT_EQ(committed[qid], derived[qid]) << qid << ": regenerate with reuters_judged.py";
  }
  EXPECT_EQ(committed.size(), definitions.size());
}

}  // namespace
}  // namespace dyad
