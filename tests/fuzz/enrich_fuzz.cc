// Fuzz target: enrichment (countries, dyads, themes, periods) of an article made of arbitrary
// bytes: the first line is the title, the rest the body, through the plain-text reader.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "indexer/reader.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static dyad::fuzz::Knowledge& k = dyad::fuzz::Load(false);
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  std::vector<dyad::ReadIssue> issues;
  auto article = dyad::ParseTextArticle(content, "fuzz.txt", "fuzz", &issues);
  if (!article) return 0;
  const dyad::v1::Enrichment e = k.enricher->Enrich(*article);
  for (const auto& dyad : e.dyads()) {
    if (dyad.pair().size() != 5 || dyad.pair()[2] != '-') __builtin_trap();
  }
  (void)k.enricher->countries().Find(content);
  return 0;
}
