#include "core/schema.h"

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

}  // namespace dyad::schema
