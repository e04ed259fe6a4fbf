// QueryService: Dyad's query engine. Maps request Envelopes to response Envelopes over one index
// (a directory, or a stub file of local and remote shards: searchd/index_set.h). It never
// touches a socket, so the daemon, the CLI's --index mode and tests all run the same code.
#ifndef DYAD_SEARCHD_QUERY_SERVICE_H_
#define DYAD_SEARCHD_QUERY_SERVICE_H_

#include <xapian.h>

#include <map>
#include <memory>
#include <string>

#include "core/analyzer.h"
#include "core/enricher.h"
#include "core/expansion.h"
#include "core/query_builder.h"
#include "core/ranking.h"
#include "core/status.h"
#include "dyad/v1/envelope.pb.h"
#include "dyad/v1/get.pb.h"
#include "dyad/v1/search.pb.h"
#include "searchd/index_set.h"

namespace dyad {

struct QueryLimits {
  std::uint32_t default_limit = 10;
  std::uint32_t max_limit = 1000;     // Results per page.
  std::uint32_t max_offset = 100000;  // Deeper pages need a cursor.
  std::uint32_t max_query_bytes = 4096;
  std::uint32_t default_snippet_length = 200;
  std::uint32_t max_snippet_length = 2000;
  std::uint32_t default_facet_values = 10;
  std::uint32_t max_facet_values = 1000;
  // Without exact_facets the matcher looks at no fewer than this many matches, so counts are
  // a useful sample even for a top-10 page.
  std::uint32_t facet_sample = 1000;
  std::uint32_t max_wildcard_expansion = 1000;  // Terms one wildcard may stand for.
  std::uint32_t max_batch = 1000;               // Searches in one BatchRequest.
  std::uint32_t more_like_terms = 25;           // Terms of the article a more_like query uses.
  // Ranking configuration (core/ranking.h) of requests that name none; empty: the catalogue's
  // default_ranking.
  std::string default_ranking;
};

// Not thread-safe: Xapian objects are not. Each worker thread owns one QueryService.
class QueryService {
 public:
  // Opens the index read-only (IndexSet::Open's errors: NotFound when there is no index at
  // `index_path`, FailedPrecondition when a shard's schema version is not the one this build
  // reads...) and reads the ranking configurations (Rankings::Load's errors; InvalidArgument
  // when limits.default_ranking is not one of them). `enricher` (shared, thread-safe) must
  // outlive the service.
  static StatusOr<std::unique_ptr<QueryService>> Open(const std::string& index_path,
                                                      const Enricher& enricher,
                                                      const QueryLimits& limits = {});

  // Answers one request. Never throws; every failure becomes an Error envelope. The response
  // carries the request's request_id and the server's protocol version.
  v1::Envelope Handle(const v1::Envelope& request);

  // Each call first looks whether the index changed (Refresh).
  StatusOr<v1::SearchResponse> Search(const v1::SearchRequest& request);
  // InvalidArgument when the batch holds more than max_batch searches; otherwise one item per
  // search, in order, each a result or an error.
  StatusOr<v1::BatchResponse> Batch(const v1::BatchRequest& batch);
  StatusOr<v1::HealthResponse> Health();
  // The stored article with `request.id()` (compared without regard to case); NotFound if none.
  StatusOr<v1::GetArticleResponse> Get(const v1::GetArticleRequest& request);

  // Opens the index path afresh (a new stub, a new symlink target, new shards, reconnected
  // remote shards) and switches to it. On failure the service keeps answering from the index it
  // has and returns the error. The request being answered when another thread asks for a
  // reload is never affected: a service only reloads between requests.
  Status Reload();

  // Reloads when the watched paths changed since the index was opened (one stat() per path).
  // A failed reload is reported once and not retried until the paths change again.
  Status Refresh();

  // Successful reloads so far.
  std::uint64_t reloads() const { return reloads_; }

 private:
  QueryService(std::string path, IndexSet index, const Enricher& enricher,
               const QueryLimits& limits, Rankings rankings);

  void Use(IndexSet index);
  StatusOr<v1::SearchResponse> SearchWithRetry(const v1::SearchRequest& request);
  StatusOr<v1::SearchResponse> SearchOnce(const v1::SearchRequest& request, std::uint32_t offset);
  StatusOr<Xapian::Query> MoreLikeQuery(const std::string& id);
  void Explain(const Xapian::Query& weighted, const Xapian::Weight& weight,
               const std::map<std::string, double>& scales, const Xapian::Enquire& enquire,
               const Xapian::MSetIterator& hit, const std::string& id_term, v1::Hit* out);

  std::string path_;
  IndexSet index_;
  IndexStamp failed_stamp_;  // Stamp at the last failed reload.
  const Enricher& enricher_;
  const Analyzer& analyzer_;
  QueryLimits limits_;
  Rankings rankings_;
  QueryBuilder query_builder_;
  Xapian::Stem stemmer_;
  // Term frequencies for feedback (core/expansion.h), of index_ at freqs_.revision(); used
  // when index_ is one local shard.
  TermFreqCache freqs_;
  std::uint64_t reloads_ = 0;
};

// The Error envelope for a Status (its code mapped to an ErrorCode).
v1::Envelope ErrorEnvelope(std::uint64_t request_id, v1::ErrorCode code,
                           const std::string& message);
v1::ErrorCode ErrorCodeFor(const Status& status);

}  // namespace dyad

#endif  // DYAD_SEARCHD_QUERY_SERVICE_H_
