#include "searchd/cursor.h"

#include <charconv>
#include <cstdio>

namespace dyad {
namespace {

// FNV-1a, 64 bits: stable across runs and builds (std::hash is not).
std::uint64_t Fnv(std::string_view bytes, std::uint64_t hash = 14695981039346656037ull) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

std::string Hex(std::uint64_t value) {
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(value));
  return buffer;
}

bool ParseNumber(std::string_view text, int base, std::uint64_t* out) {
  if (text.empty()) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out, base);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::string EncodeCursor(const Cursor& cursor) {
  return "c1." + std::to_string(cursor.offset) + "." + Hex(cursor.request) + "." +
         Hex(cursor.index);
}

StatusOr<Cursor> DecodeCursor(std::string_view text) {
  const Status bad = InvalidArgument("cursor '" + std::string(text.substr(0, 64)) +
                                     "' is not one this server issued (pass next_cursor as is)");
  if (!text.starts_with("c1.")) return bad;
  text.remove_prefix(3);
  const std::size_t a = text.find('.');
  const std::size_t b = a == std::string_view::npos ? a : text.find('.', a + 1);
  if (b == std::string_view::npos) return bad;
  Cursor cursor;
  if (!ParseNumber(text.substr(0, a), 10, &cursor.offset) ||
      !ParseNumber(text.substr(a + 1, b - a - 1), 16, &cursor.request) ||
      !ParseNumber(text.substr(b + 1), 16, &cursor.index)) {
    return bad;
  }
  return cursor;
}

std::uint64_t RequestFingerprint(const v1::SearchRequest& request) {
  v1::SearchRequest key;
  key.set_query(request.query());
  *key.mutable_filters() = request.filters();
  key.set_sort(request.sort());
  key.set_more_like(request.more_like());
  key.set_ranking(request.ranking());
  return Fnv(key.SerializeAsString());
}

std::uint64_t IndexFingerprint(const Xapian::Database& database) {
  const std::string state = std::to_string(database.get_doccount()) + "/" +
                            std::to_string(database.get_lastdocid()) + "/" +
                            std::to_string(database.get_total_length());
  return Fnv(state);
}

}  // namespace dyad
