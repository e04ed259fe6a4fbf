#include "core/schema.h"

#include <gtest/gtest.h>

#include <set>

namespace dyad::schema {
namespace {

TEST(Schema, PrefixesAreDistinct) {
  const std::vector<std::string> prefixes = {
      kPrefixTitle,  kPrefixKeyPoints, kPrefixHeading,     kPrefixAuthor,  kPrefixId,
      kPrefixSource, kPrefixLanguage,  kPrefixAuthorExact, kPrefixCountry, kPrefixDyad,
      kPrefixTheme,  kPrefixEra,       kPrefixDecade};
  EXPECT_EQ(std::set<std::string>(prefixes.begin(), prefixes.end()).size(), prefixes.size());
  // Xapian's convention: a prefix is one capital letter or 'X' followed by capitals.
  for (const std::string& p : prefixes) {
    for (char c : p) EXPECT_TRUE(c >= 'A' && c <= 'Z') << p;
    // No indexed term can be the term the query parser uses for "no article".
    EXPECT_FALSE(std::string_view(kTermNoArticle).starts_with(p)) << p;
  }
}

TEST(Schema, ValueSlotsAreDistinct) {
  EXPECT_EQ((std::set<Xapian::valueno>{kSlotPublished, kSlotPeriodStart, kSlotPeriodEnd,
                                       kSlotFacetCountry, kSlotFacetDyad, kSlotFacetTheme,
                                       kSlotFacetEra, kSlotFacetDecade, kSlotFacetSource})
                .size(),
            9u);
}

TEST(Schema, FacetValueListsAreSortedUniqueAndRoundTrip) {
  const std::string encoded = EncodeFacetValues({"RU", "PK", "", "RU", "CN"});
  EXPECT_EQ(encoded, std::string("\x02"
                                 "CN"
                                 "\x02"
                                 "PK"
                                 "\x02"
                                 "RU"));
  const std::vector<std::string_view> decoded = DecodeFacetValues(encoded);
  EXPECT_EQ(std::vector<std::string>(decoded.begin(), decoded.end()),
            (std::vector<std::string>{"CN", "PK", "RU"}));
  EXPECT_TRUE(DecodeFacetValues(EncodeFacetValues({})).empty());
}

TEST(Schema, FacetValueListsCutLongValuesAndSurviveTruncation) {
  std::string long_value;
  for (int i = 0; i < 200; ++i) long_value += "é";
  const std::string encoded = EncodeFacetValues({long_value, "a"});
  const std::vector<std::string_view> decoded = DecodeFacetValues(encoded);
  ASSERT_EQ(decoded.size(), 2u);
  EXPECT_EQ(decoded[0], "a");
  EXPECT_EQ(decoded[1].size(), 254u);  // 127 whole characters.
  // A cut list keeps the values that are complete.
  EXPECT_EQ(DecodeFacetValues(std::string_view(encoded).substr(0, 10)).size(), 1u);
}

TEST(Schema, BooleanTermLowerCasesAscii) {
  EXPECT_EQ(BooleanTerm(kPrefixId, "Sotu-1962-JFK"), "Qsotu-1962-jfk");
  EXPECT_EQ(BooleanTerm(kPrefixCountry, "PK"), "XCpk");
}

TEST(Schema, BooleanTermIsCutAtACharacterBoundary) {
  std::string value;
  for (int i = 0; i < 200; ++i) value += "é";  // Two bytes each.
  const std::string term = BooleanTerm(kPrefixSource, value);
  EXPECT_LE(term.size(), kMaxTermBytes);
  EXPECT_EQ((term.size() - std::string(kPrefixSource).size()) % 2, 0u);
}

}  // namespace
}  // namespace dyad::schema
