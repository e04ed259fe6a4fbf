// ranking_sweep: scores ranking configurations on a judged collection in seconds, for tuning.
//
// Usage: ranking_sweep INDEX TOPICS QRELS CONFIG...
//   CONFIG is the name of a configuration of corpus/data/rankings.textproto, or a
//   dyad.v1.RankingConfig in Protobuf text format (`base: "bm25" bm25 { k1: 1.2 }`), resolved
//   against that catalogue like an entry of the file.
// Prints one line per configuration: MAP, P@10, nDCG@10 over the judged topics, and the mean
// search time per topic. Every topic is run to depth 1000 exactly as QueryService ranks it (the
// same Ranker: parse, weight, feedback), but without fetching documents or making snippets,
// which is most of the cost of `dyad-eval run`. The figures to report come from dyad-eval
// (bench/relevance/run.sh); this is for exploring parameters. Tune on CISI only.
#include <google/protobuf/text_format.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "clients/eval/evaluate.h"
#include "clients/eval/topics.h"
#include "core/ranking.h"
#include "core/schema.h"

namespace {

constexpr Xapian::doccount kDepth = 1000;

int Fail(const std::string& message) {
  std::cerr << "ranking_sweep: " << message << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace dyad;
  if (argc < 5) {
    std::cerr << "Usage: ranking_sweep INDEX TOPICS QRELS CONFIG...\n";
    return 2;
  }
  StatusOr<Analyzer> analyzer = Analyzer::Create();
  if (!analyzer.ok()) return Fail(analyzer.status().ToString());
  StatusOr<std::unique_ptr<Enricher>> enricher = Enricher::Load(*analyzer);
  if (!enricher.ok()) return Fail(enricher.status().ToString());
  StatusOr<Rankings> rankings = Rankings::Load();
  if (!rankings.ok()) return Fail(rankings.status().ToString());
  StatusOr<eval::TopicFile> topics = eval::ReadTopics(argv[2]);
  if (!topics.ok()) return Fail(topics.status().ToString());
  StatusOr<eval::Qrels> qrels = eval::ReadQrels(argv[3]);
  if (!qrels.ok()) return Fail(qrels.status().ToString());
  StatusOr<std::vector<eval::Measure>> measures =
      eval::SelectMeasures({"map", "P.10", "ndcg_cut.10"});
  if (!measures.ok()) return Fail(measures.status().ToString());

  Xapian::Database database;
  try {
    database = Xapian::Database(argv[1]);
  } catch (const Xapian::Error& e) {
    return Fail(e.get_description());
  }
  QueryBuilder builder(**enricher);
  builder.SetDatabase(database);
  const std::vector<std::string> fields = eval::DefaultQueryFields(topics->format);

  for (int a = 4; a < argc; ++a) {
    const std::string spec = argv[a];
    v1::RankingCatalog catalog;
    for (const v1::RankingConfig& config : rankings->configs()) *catalog.add_rankings() = config;
    if (!rankings->Find(spec).ok()) {
      v1::RankingConfig* config = catalog.add_rankings();
      if (!google::protobuf::TextFormat::ParseFromString(spec, config)) {
        return Fail("neither a ranking name nor a RankingConfig: " + spec);
      }
      config->set_name("sweep");
    }
    StatusOr<Rankings> resolved = Rankings::FromCatalog(catalog, "argument");
    if (!resolved.ok()) return Fail(resolved.status().ToString());
    StatusOr<const v1::RankingConfig*> config =
        resolved->Find(rankings->Find(spec).ok() ? spec : "sweep");
    if (!config.ok()) return Fail(config.status().ToString());
    const Ranker ranker(**enricher, **config);

    std::ostringstream run;
    const auto start = std::chrono::steady_clock::now();
    for (const eval::Topic& topic : topics->topics) {
      const std::string text = eval::NeutralizeQuery(eval::TopicQueryText(topic, fields));
      StatusOr<Xapian::Query> weighted = ranker.Parse(builder, text);
      if (!weighted.ok()) return Fail(weighted.status().ToString());
      Xapian::Enquire enquire(database);
      enquire.set_weighting_scheme(ranker.Weight());
      const Xapian::Query query = ranker.Feedback(enquire, *weighted, Xapian::Query());
      enquire.set_query(query);
      const Xapian::MSet mset = enquire.get_mset(0, kDepth);
      int rank = 0;
      for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
        // The article id is the Q term (lower case); CISI's ids are numbers.
        Xapian::TermIterator id = database.termlist_begin(*it);
        id.skip_to(schema::kPrefixId);
        char score[32];
        std::snprintf(score, sizeof score, "%.17g", it.get_weight());
        run << topic.qid << " Q0 " << (*id).substr(1) << " " << ++rank << " " << score
            << " sweep\n";
      }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    StatusOr<eval::Run> parsed = eval::ParseRun(run.str(), "sweep");
    if (!parsed.ok()) return Fail(parsed.status().ToString());
    StatusOr<eval::Evaluation> evaluation = eval::Evaluate(*qrels, *parsed, *measures, {});
    if (!evaluation.ok()) return Fail(evaluation.status().ToString());
    std::printf("map %.4f  P@10 %.4f  nDCG@10 %.4f  %5.1f ms/topic  %s\n",
                evaluation->summary.values[*eval::FindColumn(*evaluation, "map")],
                evaluation->summary.values[*eval::FindColumn(*evaluation, "P_10")],
                evaluation->summary.values[*eval::FindColumn(*evaluation, "ndcg_cut_10")],
                1000 * seconds / topics->topics.size(), spec.c_str());
    std::fflush(stdout);
  }
  return 0;
}
