// Helpers shared by the corpus readers; not part of the indexer's API.
#ifndef DYAD_INDEXER_READER_INTERNAL_H_
#define DYAD_INDEXER_READER_INTERNAL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "indexer/reader.h"

namespace dyad::internal {

// Splits body lines into sections and paragraphs and takes the author note (reader.h rules).
void BuildBody(const std::vector<std::pair<std::string, std::uint32_t>>& lines,
               v1::StoredArticle* article);

// False (with an error issue) for oversized, binary or empty content. Invalid UTF-8 is repaired
// into *repaired with a warning; *repaired stays empty when the content was valid.
bool CheckContent(std::string_view content, const std::string& path, std::string* repaired,
                  std::vector<ReadIssue>* issues);

// "YYYY", "YYYY-MM" or "YYYY-MM-DD" from a date string, or nullopt.
std::optional<std::string> NormalizedDate(std::string_view value);

}  // namespace dyad::internal

#endif  // DYAD_INDEXER_READER_INTERNAL_H_
