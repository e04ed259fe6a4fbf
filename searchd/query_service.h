// QueryService: Dyad's query engine. Maps request Envelopes to response Envelopes over one Xapian
// database. It never touches a socket, so the daemon, the CLI's --index mode and tests all run
// the same code.
#ifndef DYAD_SEARCHD_QUERY_SERVICE_H_
#define DYAD_SEARCHD_QUERY_SERVICE_H_

#include <memory>
#include <string>

#include <xapian.h>

#include "core/analyzer.h"
#include "core/enricher.h"
#include "core/query_builder.h"
#include "core/status.h"
#include "dyad/v1/envelope.pb.h"
#include "dyad/v1/get.pb.h"
#include "dyad/v1/search.pb.h"

namespace dyad {

struct QueryLimits {
  std::uint32_t default_limit = 10;
  std::uint32_t max_limit = 1000;        // Results per page.
  std::uint32_t max_offset = 100000;
  std::uint32_t max_query_bytes = 4096;
  std::uint32_t default_snippet_length = 200;
  std::uint32_t max_snippet_length = 2000;
};

// Not thread-safe: Xapian objects are not. Each worker thread owns one QueryService.
class QueryService {
 public:
  // Opens the index read-only. NotFound when there is no index at `index_path`,
  // FailedPrecondition when its schema version is not the one this build reads.
  // `enricher` (shared, thread-safe) must outlive the service.
  static StatusOr<std::unique_ptr<QueryService>> Open(const std::string& index_path,
                                                      const Enricher& enricher,
                                                      const QueryLimits& limits = {});

  // Answers one request. Never throws; every failure becomes an Error envelope. The response
  // carries the request's request_id and the server's protocol version.
  v1::Envelope Handle(const v1::Envelope& request);

  StatusOr<v1::SearchResponse> Search(const v1::SearchRequest& request);
  StatusOr<v1::HealthResponse> Health();
  // The stored article with `request.id()` (compared without regard to case); NotFound if none.
  StatusOr<v1::GetArticleResponse> Get(const v1::GetArticleRequest& request);

 private:
  QueryService(Xapian::Database database, const Enricher& enricher, const QueryLimits& limits);

  StatusOr<v1::SearchResponse> SearchOnce(const v1::SearchRequest& request);

  Xapian::Database database_;
  const Analyzer& analyzer_;
  QueryLimits limits_;
  QueryBuilder query_builder_;
  Xapian::Stem stemmer_;
};

// The Error envelope for a Status (its code mapped to an ErrorCode).
v1::Envelope ErrorEnvelope(std::uint64_t request_id, v1::ErrorCode code, const std::string& message);
v1::ErrorCode ErrorCodeFor(const Status& status);

}  // namespace dyad

#endif  // DYAD_SEARCHD_QUERY_SERVICE_H_
