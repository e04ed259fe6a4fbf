// The query engine's features on a real index on disk, in process: filters, facets, sort,
// cursors, spelling, more-like-this, explain, wildcards, batches and reloads. Expected results
// are computed from the articles themselves (their stored enrichment), not written down.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "indexer/build.h"
#include "indexer/document_builder.h"
#include "searchd/query_service.h"
#include "tests/testing/shared_enricher.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

// Articles with varied countries, dates (one without), sources and languages.
constexpr std::pair<const char*, const char*> kArticles[] = {
    {"pk-ru.txt",
     "---\ndate: 2019-05\nsource: Dawn\n---\nPakistan and Russia: Energy Partners\n"
     "- Energy: Pipelines and gas.\nPakistan and Russia signed a gas pipeline deal. Since the "
     "Cold War ended in 1991, ties between Islamabad and Moscow improved. Pakistani and Russian "
     "officials met in Moscow.\n"},
    {"pk-ru-2.txt",
     "---\ndate: 2021-02-03\nsource: Dawn\n---\nPakistan Russia Pipeline Deal Signed\n"
     "Pakistan and Russia signed the gas pipeline deal; Pakistani and Russian energy officials "
     "say gas will flow through the pipeline from 2023.\n"},
    {"in-ru.txt",
     "---\ndate: 1985-03-01\nsource: Hindu\n---\nIndia and the Soviet Union: Arms\n"
     "India buys arms from the Soviet Union. Indian and Soviet defence officials met in Moscow "
     "in 1985, during the Cold War. Russia sells tanks to India.\n"},
    {"us-cn.txt",
     "---\ndate: 2020-01-02\nsource: Wire\n---\nUS and China Trade Talks\n"
     "The United States and China discussed tariffs and trade in steel. American and Chinese "
     "negotiators met in Beijing and Washington.\n"},
    {"us-ru.txt",
     "---\nsource: Wire\n---\nWashington and Moscow on Arms Control\n"
     "The United States and the Soviet Union signed an arms control treaty in 1987. American "
     "and Soviet leaders met in Washington during the Cold War.\n"},
    {"kz.txt",
     "---\ndate: 2010-06\nsource: Astana Times\nlanguage: fr\n---\nKazakhstan Uranium\n"
     "Kazakhstan mines uranium for nuclear energy and exports it to China. Kazakh officials "
     "met Chinese buyers in 2009.\n"},
};

class QueryFeaturesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { enricher_ = &testutil::SharedEnricher(); }

  void SetUp() override {
    for (const auto& [name, text] : kArticles) dir_.Write(std::string("c/") + name, text);
    Build("c", "index");
    service_ = Open(dir_.Sub("index"));
    ASSERT_NE(service_, nullptr);
    all_ = Must(Request(""), 100);
    ASSERT_EQ(all_.hits_size(), static_cast<int>(std::size(kArticles)));
  }

  void Build(const std::string& corpus, const std::string& index) {
    BuildReport report;
    const Status status = BuildIndex({{dir_.Sub(corpus)}, dir_.Sub(index)}, *enricher_, &report);
    ASSERT_TRUE(status.ok()) << status.ToString();
  }

  std::unique_ptr<QueryService> Open(const std::string& path, const QueryLimits& limits = {}) {
    auto service = QueryService::Open(path, *enricher_, limits);
    EXPECT_TRUE(service.ok()) << service.status().ToString();
    return service.ok() ? std::move(*service) : nullptr;
  }

  static v1::SearchRequest Request(const std::string& query) {
    v1::SearchRequest request;
    request.set_query(query);
    return request;
  }

  v1::SearchResponse Must(v1::SearchRequest request, std::uint32_t limit = 0) {
    if (limit != 0) request.set_limit(limit);
    auto response = service_->Search(request);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    return response.ok() ? *response : v1::SearchResponse();
  }

  static std::set<std::string> Ids(const v1::SearchResponse& response) {
    std::set<std::string> ids;
    for (const v1::Hit& hit : response.hits()) ids.insert(hit.id());
    return ids;
  }

  // The articles of all_ for which `keep` holds.
  std::set<std::string> Where(const std::function<bool(const v1::Hit&)>& keep) const {
    std::set<std::string> ids;
    for (const v1::Hit& hit : all_.hits()) {
      if (keep(hit)) ids.insert(hit.id());
    }
    return ids;
  }

  static bool HasCountry(const v1::Hit& hit, const std::string& code) {
    for (const v1::CountryScore& c : hit.enrichment().countries()) {
      if (c.salient() && c.code() == code) return true;
    }
    return false;
  }

  // Every value of a facet in one hit, as the index files them.
  static std::vector<std::string> FacetValues(const v1::Hit& hit, v1::FacetField field) {
    std::vector<std::string> values;
    const v1::Enrichment& e = hit.enrichment();
    switch (field) {
      case v1::FACET_FIELD_COUNTRY:
        for (const auto& c : e.countries()) {
          if (c.salient()) values.push_back(c.code());
        }
        break;
      case v1::FACET_FIELD_DYAD:
        for (const auto& d : e.dyads()) values.push_back(d.pair());
        break;
      case v1::FACET_FIELD_THEME:
        for (const auto& t : e.themes()) values.push_back(t.id());
        break;
      case v1::FACET_FIELD_ERA:
        values.assign(e.eras().begin(), e.eras().end());
        break;
      case v1::FACET_FIELD_DECADE:
        values.assign(e.decades().begin(), e.decades().end());
        break;
      case v1::FACET_FIELD_SOURCE:
        if (!hit.source().empty()) values.push_back(hit.source());
        break;
      default:
        break;
    }
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return values;
  }

  static const Enricher* enricher_;
  testutil::TempDir dir_;
  std::unique_ptr<QueryService> service_;
  v1::SearchResponse all_;  // Every article, with its enrichment.
};

const Enricher* QueryFeaturesTest::enricher_ = nullptr;

constexpr v1::FacetField kAllFacets[] = {v1::FACET_FIELD_COUNTRY, v1::FACET_FIELD_DYAD,
                                         v1::FACET_FIELD_THEME,   v1::FACET_FIELD_ERA,
                                         v1::FACET_FIELD_DECADE,  v1::FACET_FIELD_SOURCE};

struct FilterCase {
  const char* name;
  std::function<void(v1::Filters*)> set;
  std::function<bool(const v1::Hit&)> expected;
};

TEST_F(QueryFeaturesTest, FiltersSelectExactlyTheArticlesTheyDescribe) {
  const auto published = [](const v1::Hit& hit) { return DateNumber(hit.published()); };
  const FilterCase cases[] = {
      {"countries any, by code and name",
       [](v1::Filters* f) {
         f->add_countries("PK");
         f->add_countries("China");
       },
       [](const v1::Hit& h) { return HasCountry(h, "PK") || HasCountry(h, "CN"); }},
      {"countries all, historical name",
       [](v1::Filters* f) {
         f->add_countries("United States");
         f->add_countries("USSR");
         f->set_country_match(v1::COUNTRY_MATCH_ALL);
       },
       [](const v1::Hit& h) { return HasCountry(h, "US") && HasCountry(h, "RU"); }},
      {"dyad by names in either order", [](v1::Filters* f) { f->add_dyads("russia-pakistan"); },
       [](const v1::Hit& h) {
         for (const auto& d : h.enrichment().dyads()) {
           if (d.pair() == "PK-RU") return true;
         }
         return false;
       }},
      {"theme", [](v1::Filters* f) { f->add_themes("energy"); },
       [](const v1::Hit& h) {
         for (const auto& t : h.enrichment().themes()) {
           if (t.id() == "energy") return true;
         }
         return false;
       }},
      {"era", [](v1::Filters* f) { f->add_eras("cold-war"); },
       [](const v1::Hit& h) {
         return std::count(h.enrichment().eras().begin(), h.enrichment().eras().end(), "cold-war") >
                0;
       }},
      {"period overlap",
       [](v1::Filters* f) {
         f->mutable_period()->set_from(1980);
         f->mutable_period()->set_to(1990);
       },
       [](const v1::Hit& h) {
         const auto& p = h.enrichment().period();
         return p.from() != 0 && p.from() <= 1990 && p.to() >= 1980;
       }},
      {"period open end", [](v1::Filters* f) { f->mutable_period()->set_from(2000); },
       [](const v1::Hit& h) {
         return h.enrichment().period().from() != 0 && h.enrichment().period().to() >= 2000;
       }},
      {"publication range",
       [](v1::Filters* f) {
         f->set_published_from("2019");
         f->set_published_to("2020-06");
       },
       [&](const v1::Hit& h) { return published(h) >= 20190101 && published(h) <= 20200631; }},
      {"source, any case", [](v1::Filters* f) { f->add_sources("WIRE"); },
       [](const v1::Hit& h) { return h.source() == "Wire"; }},
      {"language", [](v1::Filters* f) { f->add_languages("fr"); },
       [](const v1::Hit& h) { return h.id() == "kz"; }},
      {"fields combine with AND",
       [](v1::Filters* f) {
         f->add_countries("RU");
         f->set_published_to("2000");
       },
       [&](const v1::Hit& h) {
         return HasCountry(h, "RU") && published(h) > 0 && published(h) <= 20001231;
       }},
  };
  for (const FilterCase& c : cases) {
    v1::SearchRequest request;
    c.set(request.mutable_filters());
    const std::set<std::string> expected = Where(c.expected);
    // A case that keeps every article or none would not test anything.
    EXPECT_FALSE(expected.empty()) << c.name;
    EXPECT_LT(expected.size(), std::size(kArticles)) << c.name;
    EXPECT_EQ(Ids(Must(request, 100)), expected) << c.name;
    // With a query, the filter narrows its matches.
    request.set_query("officials");
    std::set<std::string> narrowed;
    const std::set<std::string> matches = Ids(Must(Request("officials"), 100));
    std::set_intersection(matches.begin(), matches.end(), expected.begin(), expected.end(),
                          std::inserter(narrowed, narrowed.end()));
    EXPECT_EQ(Ids(Must(request, 100)), narrowed) << c.name;
  }
}

TEST_F(QueryFeaturesTest, SeedPairFilterFindsThePairAndNothingElse) {
  v1::SearchRequest request;
  request.mutable_filters()->add_dyads("PK-RU");
  const v1::SearchResponse response = Must(request, 100);
  EXPECT_TRUE(Ids(response).contains("pk-ru"));
  for (const v1::Hit& hit : response.hits()) {
    bool has = false;
    for (const auto& d : hit.enrichment().dyads()) has |= d.pair() == "PK-RU";
    EXPECT_TRUE(has) << hit.id();
  }
}

TEST_F(QueryFeaturesTest, PeriodFilterAndRangeSyntaxAgree) {
  v1::SearchRequest filtered;
  filtered.mutable_filters()->mutable_period()->set_from(1947);
  filtered.mutable_filters()->mutable_period()->set_to(1991);
  EXPECT_EQ(Ids(Must(filtered, 100)), Ids(Must(Request("1947..1991"), 100)));
  EXPECT_FALSE(Ids(Must(filtered, 100)).empty());
}

// A period-bound country name (name_periods.tsv) finds the articles filed under its country only
// when their discussed period overlaps the name's: "USSR" finds the Soviet-era Russia articles,
// not the recent ones, and "Russian Federation" the reverse; an article with no known period
// counts for both. No article says "USSR" or "Russia", so every match comes from the expansion.
TEST_F(QueryFeaturesTest, CountryNamesMatchTheCountryOnlyInTheirPeriod) {
  const std::pair<const char*, const char*> articles[] = {
      {"moscow-1985.txt",
       "---\ndate: 1985-03-01\n---\nGrain Talks in Moscow\nMoscow bought grain and the "
       "Kremlin signed a long-term grain agreement in 1985.\n"},
      {"moscow-2015.txt",
       "---\ndate: 2015-06-01\n---\nGrain Talks in Moscow\nMoscow bought grain and the "
       "Kremlin signed a long-term grain agreement in 2015.\n"},
      {"moscow-undated.txt", "Grain Talks in Moscow\nMoscow bought grain at the Kremlin.\n"},
      {"soviet-history.txt",
       "---\ndate: 2015-06-01\n---\nSoviet Grain in Memory\nHistorians recall how the Soviet "
       "Union bought grain in 1972 and how Moscow paid, in an essay published in 2015.\n"},
      {"karachi-2015.txt",
       "---\ndate: 2015-06-01\n---\nKarachi Grain\nKarachi and Lahore bought grain.\n"},
  };
  for (const auto& [name, text] : articles) dir_.Write(std::string("periods/") + name, text);
  Build("periods", "periods-index");
  std::unique_ptr<QueryService> service = Open(dir_.Sub("periods-index"));
  ASSERT_NE(service, nullptr);
  const auto search = [&](const std::string& query) {
    v1::SearchRequest request = Request(query);
    request.set_limit(100);
    auto response = service->Search(request);
    EXPECT_TRUE(response.ok()) << query << ": " << response.status().ToString();
    return response.ok() ? Ids(*response) : std::set<std::string>();
  };
  v1::SearchRequest every = Request("");
  every.set_limit(100);
  auto all = service->Search(every);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->hits_size(), static_cast<int>(std::size(articles)));
  // The articles filed under `code` whose stored period overlaps one of `periods` or is unknown.
  const auto expected = [&](const char* code, std::initializer_list<std::pair<int, int>> periods) {
    std::set<std::string> ids;
    for (const v1::Hit& hit : all->hits()) {
      const v1::YearSpan& p = hit.enrichment().period();
      bool in_period = p.from() == 0 && p.to() == 0;
      for (const auto& [from, to] : periods) in_period |= p.from() <= to && p.to() >= from;
      if (HasCountry(hit, code) && in_period) ids.insert(hit.id());
    }
    return ids;
  };
  const std::set<std::string> soviet_era = expected("RU", {{1922, 1991}});
  EXPECT_EQ(search("USSR"), soviet_era);
  // "Soviet" is also a word of the essay of 2015, which the expansion need not find.
  std::set<std::string> soviet_or_word = soviet_era;
  soviet_or_word.insert("soviet-history");
  EXPECT_EQ(search("Soviet"), soviet_or_word);
  EXPECT_EQ(search("Russian Federation"), expected("RU", {{1992, 9999}}));
  // "Russia" is said of the Soviet Union too: it is every Russia-filed article.
  EXPECT_EQ(search("Russia"), expected("RU", {{0, 9999}}));
  // What the enrichment gives these articles, so that the sets above are the interesting ones.
  EXPECT_EQ(soviet_era, (std::set<std::string>{"moscow-1985", "moscow-undated", "soviet-history"}));
  EXPECT_EQ(search("Russian Federation"),
            (std::set<std::string>{"moscow-2015", "moscow-undated", "soviet-history"}));
  // country: is the country at any time; _PERIODS adds periods by hand.
  EXPECT_EQ(search("country:ussr"), expected("RU", {{0, 9999}}));
  EXPECT_EQ(search("country:RU_from_2016"), (std::set<std::string>{"moscow-undated"}));
  EXPECT_EQ(search("country:RU_1980_1989_or_2015_2015"),
            expected("RU", {{1980, 1989}, {2015, 2015}}));
  // A demonym is its country: "Pakistani" finds the Karachi article, which never says Pakistan.
  EXPECT_EQ(search("Pakistani"), expected("PK", {{0, 9999}}));
  EXPECT_EQ(search("Pakistani"), (std::set<std::string>{"karachi-2015"}));
}

TEST_F(QueryFeaturesTest, BadFiltersAreInvalidArguments) {
  const std::function<void(v1::Filters*)> bad[] = {
      [](v1::Filters* f) { f->add_countries("Atlantis"); },
      [](v1::Filters* f) { f->add_dyads("PK"); },
      [](v1::Filters* f) { f->add_themes("cooking"); },
      [](v1::Filters* f) { f->add_eras("bronze-age"); },
      [](v1::Filters* f) { f->set_published_from("May 2001"); },
      [](v1::Filters* f) {
        f->set_published_from("2005");
        f->set_published_to("2001");
      },
      [](v1::Filters* f) {
        f->mutable_period()->set_from(1991);
        f->mutable_period()->set_to(1947);
      },
  };
  for (const auto& set : bad) {
    v1::SearchRequest request;
    set(request.mutable_filters());
    auto response = service_->Search(request);
    ASSERT_FALSE(response.ok()) << request.ShortDebugString();
    EXPECT_EQ(response.status().code(), StatusCode::kInvalidArgument)
        << response.status().message();
  }
}

TEST_F(QueryFeaturesTest, ExactFacetsEqualABruteCountOverTheMatches) {
  for (const std::string query : {"", "officials", "Russia OR China"}) {
    v1::SearchRequest request = Request(query);
    request.set_exact_facets(true);
    for (v1::FacetField field : kAllFacets) {
      v1::FacetRequest* facet = request.add_facets();
      facet->set_field(field);
      facet->set_limit(1000);
    }
    const v1::SearchResponse response = Must(request, 1);  // The counts ignore the page size.
    const v1::SearchResponse matches = Must(Request(query), 100);
    ASSERT_GT(matches.hits_size(), 1) << query;
    ASSERT_EQ(response.facets_size(), static_cast<int>(std::size(kAllFacets)));
    for (const v1::FacetResult& facet : response.facets()) {
      std::map<std::string, std::uint64_t> brute;
      for (const v1::Hit& hit : matches.hits()) {
        for (const std::string& value : FacetValues(hit, facet.field())) ++brute[value];
      }
      std::map<std::string, std::uint64_t> counted;
      for (const v1::FacetValue& value : facet.values()) counted[value.value()] = value.count();
      EXPECT_EQ(counted, brute) << query << " facet " << facet.field();
      EXPECT_EQ(facet.distinct_values(), brute.size());
      EXPECT_TRUE(facet.exact());
      EXPECT_EQ(facet.documents_counted(), static_cast<std::uint64_t>(matches.hits_size()));
      for (int i = 1; i < facet.values_size(); ++i) {
        EXPECT_GE(facet.values(i - 1).count(), facet.values(i).count());
      }
    }
  }
}

TEST_F(QueryFeaturesTest, FacetLimitKeepsTheMostFrequentValuesAndTheDistinctCount) {
  v1::SearchRequest request;
  request.set_exact_facets(true);
  request.add_facets()->set_field(v1::FACET_FIELD_COUNTRY);
  request.mutable_facets(0)->set_limit(1000);
  const v1::FacetResult full = Must(request).facets(0);
  ASSERT_GT(full.values_size(), 2);
  request.mutable_facets(0)->set_limit(2);
  const v1::FacetResult top = Must(request).facets(0);
  ASSERT_EQ(top.values_size(), 2);
  EXPECT_EQ(top.values(0).value(), full.values(0).value());
  EXPECT_EQ(top.values(1).value(), full.values(1).value());
  EXPECT_EQ(top.distinct_values(), full.distinct_values());

  request.mutable_facets(0)->set_limit(5000);
  EXPECT_EQ(service_->Search(request).status().code(), StatusCode::kInvalidArgument);
  request.mutable_facets(0)->set_limit(1);
  request.mutable_facets(0)->set_field(v1::FACET_FIELD_UNSPECIFIED);
  EXPECT_EQ(service_->Search(request).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(QueryFeaturesTest, SortsByDateWithUndatedArticlesAtTheLowEnd) {
  for (const v1::SortOrder order : {v1::SORT_ORDER_DATE_DESC, v1::SORT_ORDER_DATE_ASC}) {
    v1::SearchRequest request;
    request.set_sort(order);
    const v1::SearchResponse response = Must(request, 100);
    ASSERT_EQ(response.hits_size(), all_.hits_size());
    const int undated = order == v1::SORT_ORDER_DATE_DESC ? response.hits_size() - 1 : 0;
    EXPECT_TRUE(response.hits(undated).published().empty());
    for (int i = 1; i < response.hits_size(); ++i) {
      if (i == undated || i - 1 == undated) continue;
      const double before = DateNumber(response.hits(i - 1).published());
      const double after = DateNumber(response.hits(i).published());
      if (order == v1::SORT_ORDER_DATE_DESC) {
        EXPECT_GE(before, after);
      } else {
        EXPECT_LE(before, after);
      }
    }
  }
}

TEST_F(QueryFeaturesTest, CursorExportsEveryMatchOnceInOrder) {
  for (const v1::SortOrder order : {v1::SORT_ORDER_RELEVANCE, v1::SORT_ORDER_DATE_ASC}) {
    v1::SearchRequest request = Request("officials OR Moscow OR trade");
    request.set_sort(order);
    const v1::SearchResponse whole = Must(request, 100);
    ASSERT_GT(whole.hits_size(), 3);
    std::vector<std::string> exported;
    request.set_limit(2);
    for (int page = 0; page < 10; ++page) {
      const v1::SearchResponse response = Must(request);
      for (const v1::Hit& hit : response.hits()) {
        exported.push_back(hit.id());
        EXPECT_EQ(hit.rank(), exported.size());
      }
      if (response.next_cursor().empty()) break;
      request.set_cursor(response.next_cursor());
    }
    std::vector<std::string> expected;
    for (const v1::Hit& hit : whole.hits()) expected.push_back(hit.id());
    EXPECT_EQ(exported, expected);
  }
}

TEST_F(QueryFeaturesTest, CursorIsRefusedForAnotherSearchOrAChangedIndex) {
  v1::SearchRequest request = Request("officials");
  request.set_limit(1);
  const std::string cursor = Must(request).next_cursor();
  ASSERT_FALSE(cursor.empty());

  v1::SearchRequest other = Request("Moscow");
  other.set_cursor(cursor);
  EXPECT_EQ(service_->Search(other).status().code(), StatusCode::kInvalidArgument);
  v1::SearchRequest garbage = Request("officials");
  garbage.set_cursor("not-a-cursor");
  EXPECT_EQ(service_->Search(garbage).status().code(), StatusCode::kInvalidArgument);
  v1::SearchRequest both = request;
  both.set_cursor(cursor);
  both.set_offset(1);
  EXPECT_EQ(service_->Search(both).status().code(), StatusCode::kInvalidArgument);

  request.set_cursor(cursor);
  EXPECT_TRUE(service_->Search(request).ok());
  dir_.Write("more/new.txt", "Officials Meet\nOfficials from Chile met officials from Peru.\n");
  Build("more", "index");
  auto changed = service_->Search(request);
  ASSERT_FALSE(changed.ok());
  EXPECT_NE(changed.status().message().find("index changed"), std::string::npos);
}

TEST_F(QueryFeaturesTest, OffsetBeyondTheLimitPointsToCursors) {
  v1::SearchRequest request = Request("officials");
  request.set_offset(200000);
  auto response = service_->Search(request);
  ASSERT_FALSE(response.ok());
  EXPECT_NE(response.status().message().find("cursor"), std::string::npos);
}

TEST_F(QueryFeaturesTest, SpellingSuggestsWordsOfTheIndex) {
  v1::SearchRequest request = Request("pakistn pipelne");
  request.set_spelling(true);
  EXPECT_EQ(Must(request).corrected_query(), "pakistan pipeline");
  request.set_query("pakistan pipeline");
  EXPECT_EQ(Must(request).corrected_query(), "");  // Nothing to correct.
  request.set_query("pakistn");
  request.set_spelling(false);
  EXPECT_EQ(Must(request).corrected_query(), "");  // Not asked.
}

TEST_F(QueryFeaturesTest, SpellingLeavesWordsTheIndexHolds) {
  // Each word occurs in the articles; Xapian alone would offer "mines" for "ties" and "talks" for
  // "tanks", neighbours within two edits that are more frequent. None is corrected.
  v1::SearchRequest request = Request("ties arms deal tanks mines steel");
  request.set_spelling(true);
  EXPECT_EQ(Must(request).corrected_query(), "");
  // A misspelt word beside them is still corrected, and the others are left as typed.
  request.set_query("ties pipelne tanks");
  EXPECT_EQ(Must(request).corrected_query(), "ties pipeline tanks");
  // A quoted country name is given back as typed.
  request.set_query("pipelne -country:\"united states\"");
  EXPECT_EQ(Must(request).corrected_query(), "pipeline -country:\"united states\"");
}

TEST_F(QueryFeaturesTest, MoreLikeThisFindsTheCloseArticleAndNotItself) {
  v1::SearchRequest request;
  request.set_more_like("pk-ru");
  const v1::SearchResponse response = Must(request, 100);
  ASSERT_GT(response.hits_size(), 0);
  EXPECT_EQ(response.hits(0).id(), "pk-ru-2");
  EXPECT_FALSE(Ids(response).contains("pk-ru"));
  // With filters, only what passes them.
  request.mutable_filters()->add_sources("Wire");
  const v1::SearchResponse filtered = Must(request, 100);
  for (const v1::Hit& hit : filtered.hits()) EXPECT_EQ(hit.source(), "Wire");

  request.set_more_like("no-such-article");
  EXPECT_EQ(service_->Search(request).status().code(), StatusCode::kNotFound);
}

TEST_F(QueryFeaturesTest, ExplainGivesTermWeightsThatAddUpToTheScore) {
  v1::SearchRequest request = Request("pipeline tariffs arms uranium");
  request.set_explain(true);
  const v1::SearchResponse response = Must(request, 100);
  ASSERT_GE(response.hits_size(), 3);
  for (const v1::Hit& hit : response.hits()) {
    ASSERT_GT(hit.explanation_size(), 0) << hit.id();
    double sum = 0;
    for (const v1::TermWeight& term : hit.explanation()) {
      EXPECT_GT(term.weight(), 0) << term.term();
      sum += term.weight();
    }
    EXPECT_NEAR(sum, hit.score(), 1e-9 * hit.score()) << hit.id();
    for (int i = 1; i < hit.explanation_size(); ++i) {
      EXPECT_GE(hit.explanation(i - 1).weight(), hit.explanation(i).weight());
    }
  }
  EXPECT_EQ(Must(Request("pipeline"), 1).hits(0).explanation_size(), 0);  // Only on request.
}

TEST_F(QueryFeaturesTest, RankingNamesAConfigurationThatReordersTheSameMatches) {
  v1::SearchRequest plain = Request("pipeline gas officials");
  plain.set_ranking("bm25");
  v1::SearchRequest tuned = Request("pipeline gas officials");
  tuned.set_ranking("default");
  const v1::SearchResponse a = Must(plain, 100);
  const v1::SearchResponse b = Must(tuned, 100);
  // The default's feedback does not widen: the same articles, scored differently.
  EXPECT_EQ(Ids(a), Ids(b));
  ASSERT_GT(a.hits_size(), 0);
  EXPECT_NE(a.hits(0).score(), b.hits(0).score());
  // An empty name is the service's default, which QueryLimits can change.
  const v1::SearchResponse unnamed = Must(Request("pipeline gas officials"), 100);
  EXPECT_EQ(unnamed.hits(0).score(), b.hits(0).score());
  QueryLimits limits;
  limits.default_ranking = "bm25";
  auto service = Open(dir_.Sub("index"), limits);
  ASSERT_NE(service, nullptr);
  v1::SearchRequest request = Request("pipeline gas officials");
  request.set_limit(100);
  auto response = service->Search(request);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->hits(0).score(), a.hits(0).score());

  v1::SearchRequest unknown = Request("pipeline");
  unknown.set_ranking("bm99");
  auto refused = service_->Search(unknown);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("bm25"), std::string::npos);
  limits.default_ranking = "bm99";
  auto bad = QueryService::Open(dir_.Sub("index"), *enricher_, limits);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(QueryFeaturesTest, ACursorBelongsToItsRanking) {
  v1::SearchRequest request = Request("pipeline gas");
  request.set_limit(1);
  const v1::SearchResponse first = Must(request);
  ASSERT_FALSE(first.next_cursor().empty());
  request.set_cursor(first.next_cursor());
  request.set_ranking("bm25");
  auto response = service_->Search(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(QueryFeaturesTest, ExplainAddsUpUnderEveryRankingWithoutBoosts) {
  for (const char* ranking : {"bm25", "bm25-tuned", "bm25-prf", "default"}) {
    v1::SearchRequest request = Request("pipeline officials");
    request.set_explain(true);
    request.set_ranking(ranking);
    const v1::SearchResponse response = Must(request, 100);
    ASSERT_GT(response.hits_size(), 0) << ranking;
    for (const v1::Hit& hit : response.hits()) {
      double sum = 0;
      for (const v1::TermWeight& term : hit.explanation()) sum += term.weight();
      EXPECT_NEAR(sum, hit.score(), 1e-9 * hit.score()) << ranking << " " << hit.id();
    }
  }
}

TEST_F(QueryFeaturesTest, WildcardsExpandUpToTheLimit) {
  EXPECT_TRUE(Ids(Must(Request("pipel*"), 100)).contains("pk-ru"));
  EXPECT_EQ(Ids(Must(Request("title:pak*"), 100)), (std::set<std::string>{"pk-ru", "pk-ru-2"}));
  // A country name as a wildcard stays a wildcard (not expanded to country:PK).
  EXPECT_EQ(Ids(Must(Request("pakistan*"), 100)), Ids(Must(Request("pakistan"), 100)));
  EXPECT_TRUE(Ids(Must(Request("zzq*"), 100)).empty());
  // A wildcard after punctuation, hated after another hated word: an answer (it matches no
  // word, as the index has none with a dot), not a dead parser.
  EXPECT_EQ(Ids(Must(Request("pipeline -tanks -a.b*"), 100)),
            Ids(Must(Request("pipeline -tanks"), 100)));
  // A wildcard that matches no word, alone in a hated bracket after another hated word: an
  // answer (Xapian's reading of -(-word) is its own), not a dead parser.
  const auto nested = service_->Search(Request("pipeline -tanks -(-zzq*)"));
  EXPECT_TRUE(nested.ok() || nested.status().code() == StatusCode::kInvalidArgument);
  QueryLimits limits;
  limits.max_wildcard_expansion = 2;
  auto strict = Open(dir_.Sub("index"), limits);
  v1::SearchRequest request = Request("t*");
  auto response = strict->Search(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(response.status().message().find("wildcard"), std::string::npos);
}

TEST_F(QueryFeaturesTest, BatchAnswersEachSearchInOrder) {
  v1::Envelope envelope;
  envelope.set_request_id(9);
  v1::BatchRequest* batch = envelope.mutable_batch();
  *batch->add_searches() = Request("pipeline");
  *batch->add_searches() = Request("pair:PK-XX");
  *batch->add_searches() = Request("tariffs");
  const v1::Envelope response = service_->Handle(envelope);
  EXPECT_EQ(response.request_id(), 9u);
  ASSERT_TRUE(response.has_batch_result());
  const v1::BatchResponse& items = response.batch_result();
  ASSERT_EQ(items.items_size(), 3);
  EXPECT_EQ(Ids(items.items(0).search_result()), Ids(Must(Request("pipeline"))));
  EXPECT_EQ(items.items(1).error().code(), v1::ERROR_CODE_INVALID_ARGUMENT);
  EXPECT_EQ(Ids(items.items(2).search_result()), Ids(Must(Request("tariffs"))));

  QueryLimits limits;
  limits.max_batch = 2;
  auto small = Open(dir_.Sub("index"), limits);
  const v1::Envelope refused = small->Handle(envelope);
  EXPECT_EQ(refused.error().code(), v1::ERROR_CODE_INVALID_ARGUMENT);
  EXPECT_NE(refused.error().message().find("batch"), std::string::npos);
}

TEST_F(QueryFeaturesTest, FollowsASymlinkSwitchAndKeepsServingWhenTheNewTargetIsBroken) {
  namespace fs = std::filesystem;
  fs::create_directory_symlink(dir_.Sub("index"), dir_.Sub("live"));
  auto live = Open(dir_.Sub("live"));
  v1::SearchRequest request = Request("Chile");
  ASSERT_EQ(live->Search(request)->hits_size(), 0);

  dir_.Write("more/new.txt", "Chile and Peru\nChile and Peru agreed on fishing rights.\n");
  Build("c", "index2");
  Build("more", "index2");
  // Atomic publish: a new link renamed over the old one.
  fs::create_directory_symlink(dir_.Sub("index2"), dir_.Sub("live.new"));
  fs::rename(dir_.Sub("live.new"), dir_.Sub("live"));
  EXPECT_EQ(live->Search(request)->hits_size(), 1);
  EXPECT_EQ(live->reloads(), 1u);

  fs::create_directory_symlink(dir_.Sub("nothing-here"), dir_.Sub("live.new"));
  fs::rename(dir_.Sub("live.new"), dir_.Sub("live"));
  auto still = live->Search(request);
  ASSERT_TRUE(still.ok()) << still.status().ToString();
  EXPECT_EQ(still->hits_size(), 1);
  EXPECT_EQ(live->reloads(), 1u);
  EXPECT_FALSE(live->Reload().ok());
  EXPECT_TRUE(live->Search(request).ok());
}

TEST_F(QueryFeaturesTest, ReadsStubFilesOfShards) {
  dir_.Write("more/new.txt", "Chile and Peru\nChile and Peru agreed on fishing rights.\n");
  Build("more", "shard2");
  dir_.Write("shards.stub", "# two local shards\nauto index\n");
  auto stub = Open(dir_.Sub("shards.stub"));
  ASSERT_NE(stub, nullptr);
  EXPECT_EQ(stub->Health()->article_count(), std::size(kArticles));
  // Publishing a new stub (written aside, renamed over) switches to the new shard list.
  dir_.Write("shards.stub.new", "auto index\nglass " + dir_.Sub("shard2") + "\n");
  std::filesystem::rename(dir_.Sub("shards.stub.new"), dir_.Sub("shards.stub"));
  EXPECT_EQ(stub->Health()->article_count(), std::size(kArticles) + 1);
  EXPECT_EQ(stub->Search(Request("Chile"))->hits_size(), 1);

  dir_.Write("bad.stub", "auto index\nremote nowhere\n");
  auto bad = QueryService::Open(dir_.Sub("bad.stub"), *enricher_);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("bad.stub:2"), std::string::npos) << bad.status().message();
  dir_.Write("missing.stub", "auto no-such-shard\n");
  EXPECT_EQ(QueryService::Open(dir_.Sub("missing.stub"), *enricher_).status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace dyad
