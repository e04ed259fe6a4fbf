// Export cursors: the opaque SearchResponse.next_cursor string.
//
// Format (ASCII, safe in URLs and JSON): "c1.OFFSET.REQUEST.INDEX" with OFFSET in decimal and
// REQUEST and INDEX as 16 hex digits:
//   OFFSET   matches already returned: the next page starts there;
//   REQUEST  fingerprint of what decides the matches and their order (query, filters, sort,
//            more_like), so a cursor cannot continue a different search;
//   INDEX    fingerprint of the index contents (document count, last document id, total
//            length), so a page never silently continues over a changed index.
// Pages are ordered by the request's sort with the document id breaking ties, so consecutive
// pages over the same index neither repeat nor skip a match.
#ifndef DYAD_SEARCHD_CURSOR_H_
#define DYAD_SEARCHD_CURSOR_H_

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "dyad/v1/search.pb.h"

namespace dyad {

struct Cursor {
  std::uint64_t offset = 0;
  std::uint64_t request = 0;
  std::uint64_t index = 0;
};

std::string EncodeCursor(const Cursor& cursor);

// InvalidArgument when `text` is not a cursor this server wrote.
StatusOr<Cursor> DecodeCursor(std::string_view text);

std::uint64_t RequestFingerprint(const v1::SearchRequest& request);
std::uint64_t IndexFingerprint(const Xapian::Database& database);

}  // namespace dyad

#endif  // DYAD_SEARCHD_CURSOR_H_
