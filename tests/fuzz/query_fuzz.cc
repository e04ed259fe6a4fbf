// Fuzz target: a query string with every prefix and range Dyad knows, parsed by QueryBuilder and
// run by QueryService over a real index. Any input must give results or an InvalidArgument.
// tests/fuzz/query.dict lists the prefixes, range forms and operators, and the seeds of
// tests/fuzz/corpus/query use each of them.
#include <cstddef>
#include <cstdint>
#include <string>

#include "searchd/query_service.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static std::unique_ptr<dyad::QueryService> service = [] {
    dyad::fuzz::Knowledge& k = dyad::fuzz::Load(true);
    return dyad::QueryService::Open(k.index_path, *k.enricher).value();
  }();
  dyad::v1::SearchRequest request;
  request.set_query(std::string(reinterpret_cast<const char*>(data), size));
  request.set_limit(5);
  const auto response = service->Search(request);
  if (!response.ok() && response.status().code() != dyad::StatusCode::kInvalidArgument) {
    __builtin_trap();  // Only the query may be wrong; the engine must not fail otherwise.
  }
  return 0;
}
