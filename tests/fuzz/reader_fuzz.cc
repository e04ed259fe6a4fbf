// Fuzz target for one corpus reader, chosen at compile time with DYAD_FUZZ_FORMAT (a CorpusFormat
// name): arbitrary bytes must give articles and issues, never a crash, and every article an id.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "indexer/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  std::vector<dyad::ReadIssue> issues;
  std::vector<dyad::v1::StoredArticle> articles;
  const std::string format = DYAD_FUZZ_FORMAT;
  if (format == "text") {
    if (auto a = dyad::ParseTextArticle(content, "fuzz.txt", "fuzz", &issues)) {
      articles.push_back(std::move(*a));
    }
  } else if (format == "jsonl") {
    articles = dyad::ParseJsonLines(content, "fuzz.jsonl", "fuzz", &issues);
  } else if (format == "trec") {
    articles = dyad::ParseTrec(content, "fuzz.trec", &issues);
  } else if (format == "smart") {
    articles = dyad::ParseSmart(content, "fuzz.all", &issues);
  } else if (format == "glasgow") {
    articles = dyad::ParseGlasgow(content, "fuzz.glasgow", &issues);
  } else if (format == "sgml") {
    articles = dyad::ParseReutersSgml(content, "fuzz.sgm", &issues);
  }
  for (const auto& article : articles) {
    if (article.id().empty()) __builtin_trap();
  }
  return 0;
}
