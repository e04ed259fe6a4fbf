// query_features: what the query engine's features cost, in process, on one thread.
//
//   query_features INDEX [ROUNDS]
//
// Runs a fixed query set ROUNDS times (default 20) over the index (a directory or a stub of
// shards) in each mode: top 10; top 10 plus six facets counted over the matcher's sample; top 10
// plus six exact facets; top 10 with explain; a 1000-hit page. Prints the mean latency per query
// and queries per second for each mode. Build an index first, e.g. Reuters-21578:
//   dyad-index build ../shared/corpora/reuters21578 --index /tmp/reuters-index
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "core/analyzer.h"
#include "core/enricher.h"
#include "searchd/query_service.h"

namespace {

constexpr const char* kQueries[] = {
    "oil prices", "trade deficit", "japan",        "interest rates",   "wheat export",
    "opec",       "coffee brazil", "bank merger",  "\"money supply\"", "grain AND soviet",
    "gold",       "dollar yen",    "sugar quota",  "strike",           "country:US",
    "tax*",       "pair:JP-US",    "crude OR oil", "earnings",         "acquisition",
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: query_features INDEX [ROUNDS]\n");
    return 2;
  }
  const int rounds = argc > 2 ? std::stoi(argv[2]) : 20;
  auto analyzer = dyad::Analyzer::Create();
  if (!analyzer.ok()) return 1;
  auto enricher = dyad::Enricher::Load(*analyzer);
  if (!enricher.ok()) return 1;
  auto service = dyad::QueryService::Open(argv[1], **enricher);
  if (!service.ok()) {
    std::fprintf(stderr, "%s\n", service.status().message().c_str());
    return 1;
  }
  const auto facets = [](dyad::v1::SearchRequest* r, bool exact) {
    for (auto field :
         {dyad::v1::FACET_FIELD_COUNTRY, dyad::v1::FACET_FIELD_DYAD, dyad::v1::FACET_FIELD_THEME,
          dyad::v1::FACET_FIELD_ERA, dyad::v1::FACET_FIELD_DECADE, dyad::v1::FACET_FIELD_SOURCE}) {
      r->add_facets()->set_field(field);
    }
    r->set_exact_facets(exact);
  };
  const std::vector<std::pair<const char*, std::function<void(dyad::v1::SearchRequest*)>>> modes = {
      {"top10", [](dyad::v1::SearchRequest*) {}},
      {"top10+facets(sample)", [&](dyad::v1::SearchRequest* r) { facets(r, false); }},
      {"top10+facets(exact)", [&](dyad::v1::SearchRequest* r) { facets(r, true); }},
      {"top10+explain", [](dyad::v1::SearchRequest* r) { r->set_explain(true); }},
      {"page of 1000", [](dyad::v1::SearchRequest* r) { r->set_limit(1000); }},
  };
  std::printf("index %s: %llu articles, %d rounds of %zu queries\n", argv[1],
              static_cast<unsigned long long>((*service)->Health()->article_count()), rounds,
              std::size(kQueries));
  for (const auto& [name, set] : modes) {
    std::size_t n = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int round = 0; round < rounds; ++round) {
      for (const char* query : kQueries) {
        dyad::v1::SearchRequest request;
        request.set_query(query);
        set(&request);
        auto response = (*service)->Search(request);
        if (!response.ok()) {
          std::fprintf(stderr, "%s: %s\n", query, response.status().message().c_str());
          return 1;
        }
        ++n;
      }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%-22s %8.3f ms/query %8.0f q/s\n", name, 1000 * seconds / n, n / seconds);
  }
  return 0;
}
