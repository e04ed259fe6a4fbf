// Where dyad's requests go: a dyad-searchd daemon over the binary protocol (dyad_client), or an
// index opened in-process with the daemon's own query engine (QueryService, dyad_engine; no
// network code), so both answer every request identically.
#ifndef DYAD_CLIENTS_CLI_BACKEND_H_
#define DYAD_CLIENTS_CLI_BACKEND_H_

#include <memory>
#include <string>

#include "core/status.h"
#include "dyad/v1/article.pb.h"
#include "dyad/v1/search.pb.h"

namespace dyad::cli {

// Not thread-safe.
class Backend {
 public:
  virtual ~Backend() = default;

  // The engine's answer, or its error: InvalidArgument for a bad query or filter value,
  // NotFound for an unknown more_like id, Unavailable when the index or daemon cannot be read.
  virtual StatusOr<v1::SearchResponse> Search(const v1::SearchRequest& request) = 0;
  // NotFound when the index has no article with this id.
  virtual StatusOr<v1::StoredArticle> Get(const std::string& id) = 0;
  virtual StatusOr<v1::HealthResponse> Health() = 0;
};

// Connects to the daemon at "HOST:PORT", sending `token` (may be empty) with every request.
// InvalidArgument for a malformed address, Unavailable when nothing answers there.
StatusOr<std::unique_ptr<Backend>> ConnectToDaemon(const std::string& address,
                                                   const std::string& token);

// Opens the index at `path` (a directory or stub, as dyad-searchd --index takes) read-only.
// The errors of QueryService::Open (NotFound when there is no index there...).
StatusOr<std::unique_ptr<Backend>> OpenIndex(const std::string& path);

}  // namespace dyad::cli

#endif  // DYAD_CLIENTS_CLI_BACKEND_H_
