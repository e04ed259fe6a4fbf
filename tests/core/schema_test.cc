#include "core/schema.h"

#include <gtest/gtest.h>

#include <set>

namespace dyad::schema {
namespace {

TEST(Schema, PrefixesAreDistinct) {
  const std::vector<std::string> prefixes = {
      kPrefixTitle,  kPrefixKeyPoints,   kPrefixHeading, kPrefixAuthor,  kPrefixId,
      kPrefixSource, kPrefixLanguage,    kPrefixAuthorExact, kPrefixCountry, kPrefixDyad,
      kPrefixTheme,  kPrefixEra,         kPrefixDecade};
  EXPECT_EQ(std::set<std::string>(prefixes.begin(), prefixes.end()).size(), prefixes.size());
  // Xapian's convention: a prefix is one capital letter or 'X' followed by capitals.
  for (const std::string& p : prefixes) {
    for (char c : p) EXPECT_TRUE(c >= 'A' && c <= 'Z') << p;
  }
}

TEST(Schema, ValueSlotsAreDistinct) {
  EXPECT_EQ((std::set<Xapian::valueno>{kSlotPublished, kSlotPeriodStart, kSlotPeriodEnd}).size(),
            3u);
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
