// Dyad index schema, version 1: every Xapian term prefix, value slot and metadata key that a Dyad
// index uses is defined here and nowhere else.
//
// Free text (indexed with positions and English stemming by core/analyzer.h):
//   unprefixed  all searchable text: title, key points, headings, body, author note
//   S           title            XK  key points       XH  section headings
//   A           authors and the author note
// Boolean filter terms (exact values, lower case):
//   Q   article id (unique; replace_document on it makes re-indexing idempotent)
//   XSRC source   L language   XA author (exact name)
//   XC country, XD dyad, XT theme, XE era, XY decade (added by enrichment)
// Value slots (Xapian::sortable_serialise of a number):
//   0 publication date as YYYYMMDD (missing month/day count as 01); absent when unknown
//   1, 2  start and end year of the period the article discusses (enrichment)
//   3..8  facet value lists (country, dyad, theme, era, decade, source): the document's values
//         for that facet, sorted and unique, each as one length byte (0-255) followed by that
//         many bytes (values longer than 255 bytes are cut on a UTF-8 boundary). Countries
//         are the salient ones (as XC), upper case ("PK"); dyads "PK-RU"; the source as written.
//         The whole list is one slot value, so counting identical lists (which
//         Xapian::ValueCountMatchSpy does, on every shard and over the remote protocol) and
//         splitting the distinct lists afterwards gives exact per-value counts.
// Document data: a serialised dyad.v1.StoredArticle.
// Database metadata: kMetaSchemaVersion holds kSchemaVersion in decimal.
#ifndef DYAD_CORE_SCHEMA_H_
#define DYAD_CORE_SCHEMA_H_

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

namespace dyad::schema {

inline constexpr int kSchemaVersion = 1;
inline constexpr char kMetaSchemaVersion[] = "dyad.schema_version";

// Free-text prefixes.
inline constexpr char kPrefixTitle[] = "S";
inline constexpr char kPrefixKeyPoints[] = "XK";
inline constexpr char kPrefixHeading[] = "XH";
inline constexpr char kPrefixAuthor[] = "A";

// Boolean prefixes.
inline constexpr char kPrefixId[] = "Q";
inline constexpr char kPrefixSource[] = "XSRC";
inline constexpr char kPrefixLanguage[] = "L";
inline constexpr char kPrefixAuthorExact[] = "XA";
inline constexpr char kPrefixCountry[] = "XC";
inline constexpr char kPrefixDyad[] = "XD";
inline constexpr char kPrefixTheme[] = "XT";
inline constexpr char kPrefixEra[] = "XE";
inline constexpr char kPrefixDecade[] = "XY";

// A term no article has (no prefix above starts "XN"): what the query parser's field processors
// return for "nothing", as Xapian 1.4.22's parser dies on an empty query from a field processor
// in some places (-x -(-country:atlantis)).
inline constexpr char kTermNoArticle[] = "XNONE";

// Value slots.
inline constexpr Xapian::valueno kSlotPublished = 0;
inline constexpr Xapian::valueno kSlotPeriodStart = 1;
inline constexpr Xapian::valueno kSlotPeriodEnd = 2;
inline constexpr Xapian::valueno kSlotFacetCountry = 3;
inline constexpr Xapian::valueno kSlotFacetDyad = 4;
inline constexpr Xapian::valueno kSlotFacetTheme = 5;
inline constexpr Xapian::valueno kSlotFacetEra = 6;
inline constexpr Xapian::valueno kSlotFacetDecade = 7;
inline constexpr Xapian::valueno kSlotFacetSource = 8;

// Within-document frequency increments: title and key points weigh more than body text.
inline constexpr Xapian::termcount kWdfTitle = 5;
inline constexpr Xapian::termcount kWdfKeyPoints = 3;
inline constexpr Xapian::termcount kWdfHeading = 2;
inline constexpr Xapian::termcount kWdfBody = 1;

// A free-text field the query syntax names, such as `title:`.
struct TextField {
  const char* name;
  const char* prefix;
};
inline constexpr TextField kTextFields[] = {
    {"title", kPrefixTitle},
    {"keypoints", kPrefixKeyPoints},
    {"heading", kPrefixHeading},
    {"author", kPrefixAuthor},
};

// A boolean filter the query syntax names, such as `id:`.
struct BooleanField {
  const char* name;
  const char* prefix;
};
inline constexpr BooleanField kBooleanFields[] = {
    {"id", kPrefixId},
    {"source", kPrefixSource},
    {"lang", kPrefixLanguage},
};

// Xapian has a 245-byte term limit; longer boolean values are cut so indexing never fails.
inline constexpr std::size_t kMaxTermBytes = 240;

// prefix + value, lower-cased ASCII and cut to kMaxTermBytes: the boolean term for a value.
std::string BooleanTerm(std::string_view prefix, std::string_view value);

// The facet value list of a slot 3..8 (format above); `values` need not be sorted or unique.
std::string EncodeFacetValues(std::vector<std::string> values);

// Splits a facet value list. A truncated list yields the complete values before the cut.
std::vector<std::string_view> DecodeFacetValues(std::string_view encoded);

}  // namespace dyad::schema

#endif  // DYAD_CORE_SCHEMA_H_
