#include "clients/cli/backend.h"

#include <utility>

#include "clients/client.h"
#include "core/analyzer.h"
#include "core/enricher.h"
#include "searchd/query_service.h"

namespace dyad::cli {
namespace {

class DaemonBackend : public Backend {
 public:
  explicit DaemonBackend(std::unique_ptr<Client> client) : client_(std::move(client)) {}

  StatusOr<v1::SearchResponse> Search(const v1::SearchRequest& request) override {
    return client_->Search(request);
  }
  StatusOr<v1::StoredArticle> Get(const std::string& id) override { return client_->Get(id); }
  StatusOr<v1::HealthResponse> Health() override { return client_->Health(); }

 private:
  std::unique_ptr<Client> client_;
};

class LocalBackend : public Backend {
 public:
  // The analyser and enricher live on the heap: the enricher and the service keep references.
  LocalBackend(std::unique_ptr<Analyzer> analyzer, std::unique_ptr<Enricher> enricher,
               std::unique_ptr<QueryService> service)
      : analyzer_(std::move(analyzer)),
        enricher_(std::move(enricher)),
        service_(std::move(service)) {}

  StatusOr<v1::SearchResponse> Search(const v1::SearchRequest& request) override {
    return service_->Search(request);
  }
  StatusOr<v1::StoredArticle> Get(const std::string& id) override {
    v1::GetArticleRequest request;
    request.set_id(id);
    StatusOr<v1::GetArticleResponse> response = service_->Get(request);
    if (!response.ok()) return response.status();
    return std::move(*response->mutable_article());
  }
  StatusOr<v1::HealthResponse> Health() override { return service_->Health(); }

 private:
  std::unique_ptr<Analyzer> analyzer_;
  std::unique_ptr<Enricher> enricher_;
  std::unique_ptr<QueryService> service_;
};

}  // namespace

StatusOr<std::unique_ptr<Backend>> ConnectToDaemon(const std::string& address,
                                                   const std::string& token) {
  StatusOr<std::pair<std::string, std::uint16_t>> host_port = ParseHostPort(address);
  if (!host_port.ok()) return host_port.status();
  StatusOr<std::unique_ptr<Client>> client = Client::Connect(host_port->first, host_port->second);
  if (!client.ok()) return client.status();
  if (!token.empty()) (*client)->set_token(token);
  return std::unique_ptr<Backend>(new DaemonBackend(std::move(*client)));
}

StatusOr<std::unique_ptr<Backend>> OpenIndex(const std::string& path) {
  StatusOr<Analyzer> analyzer = Analyzer::Create();
  if (!analyzer.ok()) return analyzer.status();
  auto owned_analyzer = std::make_unique<Analyzer>(std::move(*analyzer));
  StatusOr<std::unique_ptr<Enricher>> enricher = Enricher::Load(*owned_analyzer);
  if (!enricher.ok()) return enricher.status();
  StatusOr<std::unique_ptr<QueryService>> service = QueryService::Open(path, **enricher);
  if (!service.ok()) return service.status();
  return std::unique_ptr<Backend>(
      new LocalBackend(std::move(owned_analyzer), std::move(*enricher), std::move(*service)));
}

}  // namespace dyad::cli
