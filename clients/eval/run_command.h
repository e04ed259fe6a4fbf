// `dyad-eval run`: runs every topic of a topic file through Dyad and writes a TREC run.
//
// Two ways to reach the engine, which give identical runs because both end in
// QueryService::Search with the same SearchRequest:
//   --index DIR    in-process: one QueryService (dyad_engine) per thread, no network layer;
//   --server H:P   dyad-searchd over the binary protocol: one connection per thread, several
//                  requests in flight on each (pipelined), answers matched by request id.
// Topic text is free text: NeutralizeQuery (topics.h) turns it into a query that means only its
// words. Depth beyond the server's page limit (1000) is fetched page by page.
#ifndef DYAD_CLIENTS_EVAL_RUN_COMMAND_H_
#define DYAD_CLIENTS_EVAL_RUN_COMMAND_H_

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "clients/eval/topics.h"
#include "core/status.h"
#include "dyad/v1/eval.pb.h"

namespace dyad::eval {

struct RunOptions {
  std::string topics_path;
  TopicFormat topics_format = TopicFormat::kAuto;
  std::vector<std::string> fields;  // Empty: DefaultQueryFields of the format.
  std::string server;               // HOST:PORT, or
  std::string index;                // an index folder.
  std::string out;                  // Run file; "-" is standard output.
  std::string tag = "dyad";
  std::uint32_t depth = 1000;  // Documents per topic.
  int threads = 0;             // 0: the number of processors.
  int pipeline = 8;            // Requests in flight per connection (--server).
  std::string ranking;         // SearchRequest.ranking; empty: the engine's default.
};

// One topic's answer: its documents in rank order, or why it has none.
struct TopicResult {
  struct Doc {
    std::string id;
    double score = 0;
  };
  bool searched = false;
  std::vector<Doc> docs;
  std::string error;  // Set when the engine refused or failed the query.
};

// A query to run: the topic id and its neutralised text.
struct TopicQuery {
  std::string qid;
  std::string query;
};

// Runs `queries` against options.index or options.server. `progress` (may be empty) is called
// after each topic, from any thread. A Status only for failures that stop everything (no index,
// no server); a refused query is that topic's error.
StatusOr<std::vector<TopicResult>> RunQueries(const std::vector<TopicQuery>& queries,
                                              const RunOptions& options,
                                              const std::function<void()>& progress = {});

// Writes the TREC run lines `qid Q0 docno rank score tag` for the results, in topic order.
// Scores are printed exactly (shortest round-trip form). Returns the number of lines.
std::uint64_t WriteTrecRun(const std::vector<TopicQuery>& queries,
                           const std::vector<TopicResult>& results, const std::string& tag,
                           std::ostream& out);

const char* RunUsage();

// Runs `dyad-eval run ARGS...` (args without "run"). Returns the exit status.
int RunRunCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace dyad::eval

#endif  // DYAD_CLIENTS_EVAL_RUN_COMMAND_H_
