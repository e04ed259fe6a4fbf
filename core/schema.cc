#include "core/schema.h"

#include <algorithm>
#include <cctype>

namespace dyad::schema {

std::string BooleanTerm(std::string_view prefix, std::string_view value) {
  std::string term(prefix);
  for (char c : value) {
    term.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (term.size() > kMaxTermBytes) {
    std::size_t cut = kMaxTermBytes;
    // Do not cut inside a UTF-8 sequence.
    while (cut > prefix.size() && (static_cast<unsigned char>(term[cut]) & 0xC0) == 0x80) --cut;
    term.resize(cut);
  }
  return term;
}

std::string EncodeFacetValues(std::vector<std::string> values) {
  for (std::string& value : values) {
    if (value.size() <= 255) continue;
    std::size_t cut = 255;
    while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
    value.resize(cut);
  }
  std::erase(values, std::string());
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  std::string encoded;
  for (const std::string& value : values) {
    encoded.push_back(static_cast<char>(value.size()));
    encoded += value;
  }
  return encoded;
}

std::vector<std::string_view> DecodeFacetValues(std::string_view encoded) {
  std::vector<std::string_view> values;
  std::size_t at = 0;
  while (at < encoded.size()) {
    const std::size_t size = static_cast<unsigned char>(encoded[at]);
    if (at + 1 + size > encoded.size()) break;
    values.push_back(encoded.substr(at + 1, size));
    at += 1 + size;
  }
  return values;
}

}  // namespace dyad::schema
