#include "core/countries.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "core/data_files.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

using Kind = CountryMention::Kind;

const CountryRecognizer& Recognizer() {
  static const CountryRecognizer* recognizer = [] {
    auto loaded = CountryRecognizer::Load();
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.status().ToString();
      std::abort();
    }
    return new CountryRecognizer(std::move(*loaded));
  }();
  return *recognizer;
}

// "CODE=matched text" for each mention, in order.
std::vector<std::string> Describe(std::string_view text, bool dateline = false) {
  std::vector<std::string> out;
  const auto mentions = dateline ? Recognizer().FindInDateline(text) : Recognizer().Find(text);
  for (const CountryMention& m : mentions) {
    out.push_back(m.code + "=" + std::string(text.substr(m.begin, m.end - m.begin)));
  }
  return out;
}

struct Case {
  std::string text;
  std::vector<std::string> expected;
};

void CheckCases(const std::vector<Case>& cases) {
  for (const Case& c : cases) EXPECT_EQ(Describe(c.text), c.expected) << c.text;
}

TEST(CountryRecognizer, StandardNames) {
  CheckCases({
      {"Pakistan and Russia signed a deal.", {"PK=Pakistan", "RU=Russia"}},
      {"the Russian Federation and the Islamic Republic of Iran",
       {"RU=Russian Federation", "IR=Islamic Republic of Iran"}},
      {"Viet Nam, Bolivia and Côte d'Ivoire", {"VN=Viet Nam", "BO=Bolivia", "CI=Côte d'Ivoire"}},
      {"Cote d’Ivoire and Curacao", {"CI=Cote d’Ivoire", "CW=Curacao"}},
      {"Papua New Guinea and Guinea-Bissau", {"PG=Papua New Guinea", "GW=Guinea-Bissau"}},
      {"PAKISTAN SAYS INDIA MOVES TROOPS", {"PK=PAKISTAN", "IN=INDIA"}},
  });
}

TEST(CountryRecognizer, ShortForms) {
  CheckCases({
      {"The U.S. and the U.K. agreed.", {"US=U.S.", "GB=U.K."}},
      {"US troops left the UK base", {"US=US", "GB=UK"}},
      {"Pak army chief visits the States", {"PK=Pak", "US=the States"}},
      {"Britain, Holland and South Korea", {"GB=Britain", "NL=Holland", "KR=South Korea"}},
      {"the U.S.S.R. and the DPRK", {"RU=U.S.S.R.", "KP=DPRK"}},
  });
}

TEST(CountryRecognizer, DemonymsAndAdjectives) {
  CheckCases({
      {"Pakistani and Russian officials", {"PK=Pakistani", "RU=Russian"}},
      {"Afghan refugees fled Soviet troops", {"AF=Afghan", "RU=Soviet"}},
      {"Pakistanis, Afghans and Iranians", {"PK=Pakistanis", "AF=Afghans", "IR=Iranians"}},
      {"Dutch, Swiss and Chinese banks", {"NL=Dutch", "CH=Swiss", "CN=Chinese"}},
  });
  EXPECT_EQ(Recognizer().Find("Soviet troops")[0].kind, Kind::kHistorical);
  EXPECT_EQ(Recognizer().Find("Afghan troops")[0].kind, Kind::kDemonym);
}

TEST(CountryRecognizer, CapitalsAndCities) {
  CheckCases({
      {"Moscow and Islamabad", {"RU=Moscow", "PK=Islamabad"}},
      {"talks in Washington, Beijing and New Delhi",
       {"US=Washington", "CN=Beijing", "IN=New Delhi"}},
      {"KABUL, March 3", {"AF=KABUL"}},
  });
  EXPECT_EQ(Recognizer().Find("Kabul")[0].kind, Kind::kCity);
}

TEST(CountryRecognizer, HistoricalStatesMapToTheirContinuator) {
  CheckCases({
      {"the USSR and the Soviet Union", {"RU=USSR", "RU=Soviet Union"}},
      {"West Germany and East Germany", {"DE=West Germany", "DE=East Germany"}},
      {"Burma, Zaire and Ceylon", {"MM=Burma", "CD=Zaire", "LK=Ceylon"}},
      {"Czechoslovakia and Yugoslavia", {"CZ=Czechoslovakia", "RS=Yugoslavia"}},
      // From ISO 3166-3 through historical.tsv.
      {"Upper Volta and Dahomey", {"BF=Upper Volta", "BJ=Dahomey"}},
      {"German Democratic Republic", {"DE=German Democratic Republic"}},
  });
  const auto mentions = Recognizer().Find("Zaire");
  ASSERT_EQ(mentions.size(), 1u);
  EXPECT_EQ(mentions[0].kind, Kind::kHistorical);
}

TEST(CountryRecognizer, Compounds) {
  struct CompoundCase {
    std::string text;
    std::vector<std::string> codes;
  };
  const CompoundCase cases[] = {
      {"Pak-Russia relations", {"PK", "RU"}},
      {"the Indo-Pakistani war", {"IN", "PK"}},
      {"the Sino-Soviet split", {"CN", "RU"}},
      {"US-China trade", {"US", "CN"}},
      {"U.S.-Soviet talks", {"US", "RU"}},
      {"the Russo-Japanese war", {"RU", "JP"}},
      {"the Afghan-Soviet war", {"AF", "RU"}},
      {"Pakistan–Russia ties", {"PK", "RU"}},  // En dash.
      {"Anglo-French-German venture", {"GB", "FR", "DE"}},
  };
  for (const CompoundCase& c : cases) {
    const auto mentions = Recognizer().Find(c.text);
    ASSERT_EQ(mentions.size(), c.codes.size()) << c.text;
    for (std::size_t i = 0; i < mentions.size(); ++i) {
      EXPECT_EQ(mentions[i].code, c.codes[i]) << c.text;
      EXPECT_EQ(mentions[i].kind, Kind::kCompound) << c.text;
      EXPECT_EQ(mentions[i].compound, mentions[0].compound) << c.text;
      EXPECT_NE(mentions[i].compound, 0u) << c.text;
    }
  }
  // Two compounds in one text get different ids; a plain mention gets none.
  const auto two = Recognizer().Find("Sino-Soviet and Indo-Pakistani rivalries, and Japan");
  ASSERT_EQ(two.size(), 5u);
  EXPECT_NE(two[0].compound, two[2].compound);
  EXPECT_EQ(two[4].compound, 0u);
  EXPECT_EQ(two[4].kind, Kind::kName);
  // A spaced dash is not a compound.
  for (const auto& m : Recognizer().Find("Pakistan - Russia")) EXPECT_EQ(m.compound, 0u);
  // Combining forms count only inside a compound.
  CheckCases({
      {"Indo and Sino are prefixes", {}},
      {"General Franco ruled", {}},
      {"the Indo-European languages", {}},
      {"Anglo-Saxon law", {}},
  });
}

TEST(CountryRecognizer, Multilingual) {
  CheckCases({
      {"Россия и Пакистан", {"RU=Россия", "PK=Пакистан"}},
      {"Pakistán y Rusia", {"PK=Pakistán", "RU=Rusia"}},
      {"پاکستان اور روس", {"PK=پاکستان", "RU=روس"}},
      {"巴基斯坦和俄罗斯", {"PK=巴基斯坦", "RU=俄罗斯"}},
      {"les États-Unis et l'Allemagne", {"US=États-Unis", "DE=Allemagne"}},
      {"Deutschland und Frankreich", {"DE=Deutschland", "FR=Frankreich"}},
      {"الصين وباكستان", {"CN=الصين"}},
  });
}

TEST(CountryRecognizer, WordBoundariesApostrophesAndPossessives) {
  CheckCases({
      {"Pakistan’s army and Russia's navy", {"PK=Pakistan", "RU=Russia"}},
      {"the Philippines' debt", {"PH=Philippines"}},
      {"Romania, Nigeria and Omani oil", {"RO=Romania", "NG=Nigeria", "OM=Omani"}},
      {"Chadwick and Iranian", {"IR=Iranian"}},
      {"Pakistanis", {"PK=Pakistanis"}},
      {"NIGERIA'S OIL", {"NG=NIGERIA"}},
  });
  const std::string text = "Talks: Pakistan’s view.";
  const auto mentions = Recognizer().Find(text);
  ASSERT_EQ(mentions.size(), 1u);
  EXPECT_EQ(mentions[0].begin, 7u);
  EXPECT_EQ(mentions[0].end, 15u);
}

TEST(CountryRecognizer, AmbiguousNamesAreResolvedByContext) {
  CheckCases({
      // "US" only in capitals, and not as "us" in an all-capitals headline.
      {"let us go with US officials", {"US=US"}},
      {"LET US GO", {}},
      {"help US firms", {"US=US"}},
      // Washington the capital, not the person.
      {"George Washington crossed", {}},
      {"Washington said it would respond", {"US=Washington"}},
      // Georgia: the state when the text points to the United States, else the country.
      {"Atlanta, Georgia, is hot", {"US=Atlanta"}},
      {"Georgia and Russia clashed over Abkhazia", {"GE=Georgia", "RU=Russia"}},
      {"Tbilisi says Georgia wants talks; Atlanta mayor agrees",
       {"GE=Tbilisi", "GE=Georgia", "US=Atlanta"}},
      {"Georgia Gulf Corp said", {}},
      // Jordan and Chad: not in a person's or company's name.
      {"Michael Jordan scored", {}},
      {"King Hussein of Jordan", {"JO=Jordan"}},
      {"Amman, Jordan", {"JO=Amman", "JO=Jordan"}},
      {"Jordan River", {"JO=Jordan"}},
      {"Chad Smith said", {}},
      {"Lake Chad is shrinking", {"TD=Chad"}},
      {"Libyan troops left Chad.", {"LY=Libyan", "TD=Chad"}},
      // Turkey the bird, China the porcelain, Guinea the pig.
      {"turkey prices rose", {}},
      {"Turkey prices rose before Thanksgiving", {}},
      {"roast Turkey", {}},
      {"Turkey and Greece", {"TR=Turkey", "GR=Greece"}},
      {"fine china plates", {}},
      {"a guinea pig", {}},
      {"Guinea and Mali", {"GN=Guinea", "ML=Mali"}},
      // Seas and regions named after a country.
      {"the South China Sea and China", {"CN=China"}},
      {"the Indian Ocean", {}},
      {"Latin America and the Persian Gulf", {}},
      {"Paris Club creditors", {}},
      {"the Uruguay Round of trade talks", {}},
      // Currencies and ticker symbols.
      {"50 mln U.S. dlrs", {}},
      {"ROCKWELL <ROK> SAID", {}},
      // Foreign CLDR names that are English words.
      {"an Island nation", {}},
  });
}

TEST(CountryRecognizer, OrganisationsAreNotCountries) {
  CheckCases({
      {"NATO, the SCO, the UN, the EU, OPEC and ASEAN met", {}},
      {"the United Nations and the European Union", {}},
  });
}

TEST(CountryRecognizer, DatelineOnlyAbbreviations) {
  EXPECT_EQ(Describe("STAMFORD, Conn.", true),
            (std::vector<std::string>{"US=STAMFORD", "US=Conn"}));
  EXPECT_EQ(Describe("SCARBOROUGH, Ont.", true), (std::vector<std::string>{"CA=Ont"}));
  EXPECT_EQ(Describe("ARMONK, N.Y.", true), (std::vector<std::string>{"US=ARMONK", "US=N.Y."}));
  EXPECT_TRUE(Describe("Conn. and Ont.").empty());
}

TEST(CountryRecognizer, Lookup) {
  const std::pair<std::string, std::optional<std::string>> cases[] = {
      {"ussr", "RU"},
      {"USSR", "RU"},
      {"pakistani", "PK"},
      {"PK", "PK"},
      {"pk", "PK"},
      {"PAK", "PK"},
      {"deu", "DE"},
      {"us", "US"},
      {"Soviet Union", "RU"},
      {"west germany", "DE"},
      {"Россия", "RU"},
      {"Pakistán", "PK"},
      {"Kabul", "AF"},
      {"indo", "IN"},
      {"South China Sea", std::nullopt},
      {"Atlantis", std::nullopt},
      {"", std::nullopt},
      {"NATO", std::nullopt},
  };
  for (const auto& [name, code] : cases) EXPECT_EQ(Recognizer().Lookup(name), code) << name;
}

TEST(CountryRecognizer, EnglishName) {
  EXPECT_EQ(Recognizer().EnglishName("PK"), "Pakistan");
  EXPECT_EQ(Recognizer().EnglishName("RU"), "Russia");
  EXPECT_EQ(Recognizer().EnglishName("KR"), "South Korea");
  EXPECT_EQ(Recognizer().EnglishName("ZZ"), "");
}

TEST(CountryRecognizer, SurvivesInvalidUtf8AndEmptyText) {
  EXPECT_TRUE(Recognizer().Find("").empty());
  // An invalid byte separates words like punctuation does.
  EXPECT_EQ(Describe("Pak\xFF"
                     "istan and \xC3 Russia"),
            (std::vector<std::string>{"PK=Pak", "RU=Russia"}));
}

TEST(CountryRecognizer, IsSafeToShareBetweenThreads) {
  const std::string text = "Pakistan, Russia, the U.S. and Sino-Soviet talks in Kabul";
  const auto expected = Recognizer().Find(text);
  std::vector<std::thread> threads;
  std::atomic<int> mismatches = 0;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        const auto got = Recognizer().Find(text);
        if (got.size() != expected.size() || got[0].code != expected[0].code) ++mismatches;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches, 0);
}

TEST(CountryRecognizer, NamePeriodsSayWhenANameStoodForItsCountry) {
  auto recognizer = CountryRecognizer::Load();
  ASSERT_TRUE(recognizer.ok()) << recognizer.status().ToString();
  using P = NamePeriod;
  const struct {
    const char* name;
    std::vector<NamePeriod> periods;
  } cases[] = {
      {"USSR", {P{1922, 1991}}},
      {"soviet union", {P{1922, 1991}}},
      {"Russian Federation", {P{1992, P::kOpenTo}}},
      {"Soviets", {P{1922, 1991}}},
      {"Zairean", {P{1971, 1997}}},
      {"Russia", {}},  // Used for the Soviet Union too: not bound.
      {"Russian Empire", {P{P::kOpenFrom, 1917}}},
      {"West Germany", {P{1949, 1990}}},
      {"Pakistan", {}},
      {"RU", {}},
      {"Atlantis", {}},
  };
  for (const auto& c : cases) EXPECT_EQ(recognizer->NamePeriods(c.name), c.periods) << c.name;
}

TEST(CountryRecognizer, ReportsBadDataFilesWithFileAndLine) {
  testutil::TempDir dir;
  for (const char* file : {"aliases.tsv", "historical.tsv", "context.tsv", "name_periods.tsv"}) {
    auto path = FindDataFile(std::string("countries/") + file);
    ASSERT_TRUE(path.ok());
    std::filesystem::copy_file(*path, dir.Sub(file));
  }
  CountryRecognizerOptions options;
  options.data_dir = dir.path().string();
  ASSERT_TRUE(CountryRecognizer::Load(options).ok());

  {
    std::ofstream out(dir.Sub("aliases.tsv"), std::ios::app);
    out << "Atlantis\tXX1\tshort\n";
  }
  auto bad = CountryRecognizer::Load(options);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("aliases.tsv:"), std::string::npos);
  EXPECT_NE(bad.status().message().find("XX1"), std::string::npos);

  std::filesystem::copy_file(*FindDataFile("countries/aliases.tsv"), dir.Sub("aliases.tsv"),
                             std::filesystem::copy_options::overwrite_existing);
  for (const char* line :
       {"Atlantis\t1922\t1991\n", "USSR\t1991\t1922\n", "USSR\t19x2\t-\n", "USSR\t1922\n"}) {
    std::filesystem::copy_file(*FindDataFile("countries/name_periods.tsv"),
                               dir.Sub("name_periods.tsv"),
                               std::filesystem::copy_options::overwrite_existing);
    std::ofstream(dir.Sub("name_periods.tsv"), std::ios::app) << line;
    auto bad_period = CountryRecognizer::Load(options);
    ASSERT_FALSE(bad_period.ok()) << line;
    EXPECT_EQ(bad_period.status().code(), StatusCode::kInvalidArgument) << line;
    EXPECT_NE(bad_period.status().message().find("name_periods.tsv:"), std::string::npos)
        << bad_period.status().message();
  }
  std::filesystem::copy_file(*FindDataFile("countries/name_periods.tsv"),
                             dir.Sub("name_periods.tsv"),
                             std::filesystem::copy_options::overwrite_existing);

  std::filesystem::remove(dir.Sub("context.tsv"));
  options.data_dir = dir.path().string();
  std::filesystem::copy_file(*FindDataFile("countries/aliases.tsv"), dir.Sub("aliases.tsv"),
                             std::filesystem::copy_options::overwrite_existing);
  auto missing = CountryRecognizer::Load(options);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);

  CountryRecognizerOptions no_iso;
  no_iso.iso_3166_1_path = dir.Sub("nowhere.json");
  EXPECT_EQ(CountryRecognizer::Load(no_iso).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace dyad
