#include "core/query_builder.h"

#include <gtest/gtest.h>

#include "tests/testing/shared_enricher.h"

namespace dyad {
namespace {

class QueryBuilderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { enricher_ = &testutil::SharedEnricher(); }

  std::string Describe(const std::string& query) {
    QueryBuilder builder(*enricher_);
    StatusOr<Xapian::Query> parsed = builder.Parse(query);
    EXPECT_TRUE(parsed.ok()) << query << ": " << parsed.status().ToString();
    return parsed.ok() ? parsed->get_description() : "";
  }

  static const Enricher* enricher_;
};

const Enricher* QueryBuilderTest::enricher_ = nullptr;

struct FieldCase {
  const char* query;
  const char* term;  // Must appear in the parsed query.
};

TEST_F(QueryBuilderTest, KnowledgeFields) {
  const FieldCase cases[] = {
      {"country:PK", "XCpk"},       {"country:pakistan", "XCpk"},
      {"country:ussr", "XCru"},     {"country:Россия", "XCru"},
      {"pair:PK-RU", "XDpk-ru"},    {"pair:russia-pakistan", "XDpk-ru"},
      {"theme:energy", "XTenergy"}, {"era:cold-war", "XEcold-war"},
      {"decade:1980s", "XY1980s"},
  };
  for (const FieldCase& c : cases) {
    EXPECT_NE(Describe(c.query).find(c.term), std::string::npos)
        << c.query << " -> " << Describe(c.query);
  }
}

TEST_F(QueryBuilderTest, UnknownValuesAreInvalidArgumentsThatSayWhatIsKnown) {
  QueryBuilder builder(*enricher_);
  for (const char* query : {"country:atlantis", "pair:PK", "pair:pk-pk", "theme:cooking",
                            "era:bronze-age", "decade:1985", "1991..1947"}) {
    StatusOr<Xapian::Query> parsed = builder.Parse(query);
    ASSERT_FALSE(parsed.ok()) << query;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << query;
  }
  StatusOr<Xapian::Query> theme = builder.Parse("theme:cooking");
  EXPECT_NE(theme.status().message().find("energy"), std::string::npos) << theme.status().message();
}

// Xapian 1.4's parser drops a phrase in a field with a field processor, and after another + or
// - term dereferences a null query (the process dies). Quoted and punctuated country names reach
// the country field whole.
TEST_F(QueryBuilderTest, QuotedAndPunctuatedCountryNamesReachTheCountryField) {
  const FieldCase cases[] = {
      {"country:\"united states\"", "XCus"},
      {"country:\"Soviet Union\"", "XCru"},
      {"country:guinea-bissau", "XCgw"},
      {"peace -war -country:\"united states\"", "XCus"},
      {"+peace +country:\"united states\"", "XCus"},
      {"(country:\"united states\" OR country:PK) energy", "XCpk"},
      {"title:(oil country:\"united states\")", "XCus"},
      {"country:\u201cunited states\u201d", "XCus"},  // Typographic quotes, as pasted.
      {"oil -country:\u201cSoviet Union\u201d", "XCru"},
  };
  for (const FieldCase& c : cases) {
    EXPECT_NE(Describe(c.query).find(c.term), std::string::npos)
        << c.query << " -> " << Describe(c.query);
  }
  // The hated country is excluded, not dropped.
  EXPECT_NE(Describe("peace -war -country:\"united states\"").find("AND_NOT"), std::string::npos);
  EXPECT_EQ(Describe("\u201coil prices\u201d country:PK"), Describe("\"oil prices\" country:PK"));
  // A phrase inside quotes is text, not a field.
  EXPECT_EQ(Describe("\"country:x y\""), Describe("\"country x y\""));
}

TEST_F(QueryBuilderTest, PhrasesInFieldProcessorFieldsAreAnswersNotCrashes) {
  // Each of these killed the process inside Xapian::QueryParser before (found by envelope_fuzz).
  QueryBuilder builder(*enricher_);
  for (const char* query :
       {"-x -country:\"a b\"", "p -r: -Up9K.R730.199*", "-x: -a.b*", "+x +country:\"a b\"",
        "x +y +country:a.b", "-x -(country:\"a b\")", "-x -country:(\"a b\")",
        "+x +wildcard:\"a b\"", "-x -wildcardtitle:a-b", "-x -country:\"a b", "country:(PK OR IN)",
        "-x -country:PK(", "-x -country:", "-x -country: y", "-x -(-country:zz)",
        "-x -(a -(country:zz", "-x -(-wildcard:zzzq)", "-x -(a -(wildcard:_2e62"}) {
    StatusOr<Xapian::Query> parsed = builder.Parse(query);
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << query;
    }
  }
  StatusOr<Xapian::Query> several = builder.Parse("country:(PK OR IN)");
  ASSERT_FALSE(several.ok());
  EXPECT_NE(several.status().message().find("country:A OR country:B"), std::string::npos)
      << several.status().message();
  StatusOr<Xapian::Query> unknown = builder.Parse("-x -country:\"a b\"");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("a b"), std::string::npos)
      << unknown.status().message();
}

TEST_F(QueryBuilderTest, PeriodRangeIsAnOverlapOnTheSpanSlots) {
  const std::string description = Describe("Pakistan 1947..1991");
  EXPECT_NE(description.find("VALUE_LE 1"), std::string::npos) << description;
  EXPECT_NE(description.find("VALUE_GE 2"), std::string::npos) << description;
  EXPECT_NE(Describe("published:2001..2005-06").find("VALUE_RANGE 0"), std::string::npos);
}

TEST_F(QueryBuilderTest, CountryNamesInTextAlsoMatchTheCountry) {
  QueryBuilder builder(*enricher_);
  const std::string expanded = builder.Expand("USSR Pakistan energy");
  EXPECT_NE(expanded.find("country:RU"), std::string::npos) << expanded;
  EXPECT_NE(expanded.find("country:PK"), std::string::npos) << expanded;
  EXPECT_NE(Describe("USSR Pakistan").find("XCru"), std::string::npos);
  // Phrases and fields are left alone.
  EXPECT_EQ(builder.Expand("\"Soviet Union\" title:Russia"), "\"Soviet Union\" title:Russia");
  const std::string compound = builder.Expand("Pak-Russia ties");
  EXPECT_NE(compound.find("(Pak-Russia OR (country:PK AND country:RU))"), std::string::npos)
      << compound;
}

TEST_F(QueryBuilderTest, PeriodBoundNamesExpandToTheCountryInTheirPeriod) {
  QueryBuilder builder(*enricher_);
  const struct {
    const char* query;
    const char* expansion;  // Must appear in the expanded query.
  } cases[] = {
      {"USSR grain", "(USSR OR country:RU_1922_1991)"},
      {"Soviet grain", "(Soviet OR country:RU_1922_1991)"},
      {"U.S.S.R. grain", "(U.S.S.R. OR country:RU_1922_1991)"},
      {"Russian Federation grain", "(Russian Federation OR country:RU_from_1992)"},
      {"Russian Empire", "(Russian Empire OR country:RU_to_1917)"},
      {"Russia grain", "(Russia OR country:RU)"},
      {"West Germany trade", "(West Germany OR country:DE_1949_1990)"},
      {"Pakistani grain", "(Pakistani OR country:PK)"},
      {"Soviet-Afghan war", "(country:RU_1922_1991 AND country:AF)"},
  };
  for (const auto& c : cases) {
    const std::string expanded = builder.Expand(c.query);
    EXPECT_NE(expanded.find(c.expansion), std::string::npos) << c.query << " -> " << expanded;
    EXPECT_TRUE(builder.Parse(c.query).ok()) << c.query;
  }
  // The period is a filter on the country term: the term still scores, the slots filter.
  const std::string description = Describe("USSR");
  EXPECT_NE(description.find("XCru FILTER"), std::string::npos) << description;
  EXPECT_NE(description.find("VALUE_LE 1"), std::string::npos) << description;
}

TEST_F(QueryBuilderTest, BadCountryPeriodsAreInvalidArguments) {
  QueryBuilder builder(*enricher_);
  for (const char* query :
       {"country:RU_", "country:RU_1991", "country:RU_from", "country:RU_1991_1922",
        "country:RU_from_19x1", "country:RU_1922_1991_or", "country:RU_1922_1991_and_1995_1996",
        "country:atlantis_from_1922"}) {
    StatusOr<Xapian::Query> parsed = builder.Parse(query);
    ASSERT_FALSE(parsed.ok()) << query;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << query;
  }
  EXPECT_TRUE(builder.Parse("country:RU_to_1921_or_from_1992").ok());
}

}  // namespace
}  // namespace dyad
