// Country recognition: finds the countries a text mentions and maps them to ISO 3166-1 alpha-2
// codes ("PK"), by name, short form, demonym, capital or city, historical name or compound.
//
// Names come from three places, read when the recogniser is loaded:
//  - Debian iso-codes (/usr/share/iso-codes/json/iso_3166-1.json and iso_3166-3.json): the ISO
//    names ("Pakistan", "Korea, Republic of" also as "Korea, Republic of" -> "Republic of Korea")
//    and former states, mapped to their continuator by corpus/data/countries/historical.tsv;
//  - ICU/CLDR display names in en, ru, fr, es, de, ar, ur and zh ("Россия", "Pakistán",
//    "پاکستان", "巴基斯坦");
//  - the curated tables of corpus/data/countries/: aliases.tsv (short forms, demonyms, cities,
//    historical names, combining forms, blocked phrases) and context.tsv (ambiguity rules);
//    name_periods.tsv gives the years in which a name stood for its country ("USSR" 1922-1991),
//    which query expansion uses (core/query_builder.h); recognition ignores them.
// The matching and context rules are documented in docs/enrichment.md ("Countries").
//
// Thread-safety: a CountryRecognizer is immutable after Load; copies share the loaded tables and
// any number of threads may call its const methods at once.
#ifndef DYAD_CORE_COUNTRIES_H_
#define DYAD_CORE_COUNTRIES_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace dyad {

struct CountryMention {
  std::string code;         // ISO 3166-1 alpha-2, upper case ("PK")
  std::uint32_t begin = 0;  // byte offsets of the matched text in the input
  std::uint32_t end = 0;
  // 0, or an id shared by the parts of one compound ("Pak-Russia" -> PK and RU with the same id).
  std::uint32_t compound = 0;
  // kCity covers capitals, major cities and sub-national places used like them ("Texas").
  enum class Kind { kName, kShortForm, kDemonym, kCity, kHistorical, kCompound } kind;
};

// Years in which a name stood for its country, both ends included; kOpen* for an open end.
struct NamePeriod {
  static constexpr int kOpenFrom = 0;
  static constexpr int kOpenTo = 9999;
  int from = kOpenFrom;
  int to = kOpenTo;
  friend bool operator==(const NamePeriod&, const NamePeriod&) = default;
};

// Where the tables come from; empty paths mean the defaults named in the file comment.
struct CountryRecognizerOptions {
  std::string iso_3166_1_path;  // Default /usr/share/iso-codes/json/iso_3166-1.json.
  std::string iso_3166_3_path;  // Default /usr/share/iso-codes/json/iso_3166-3.json.
  std::string data_dir;         // Folder with aliases.tsv, historical.tsv, context.tsv and
                                // name_periods.tsv;
                                // default: FindDataFile("countries/...").
};

class CountryRecognizer {
 public:
  // Loads the tables. NotFound when a file is missing; InvalidArgument, with file and line, for a
  // malformed data line.
  static StatusOr<CountryRecognizer> Load(const CountryRecognizerOptions& options = {});

  // Every country mention in `text` (UTF-8; an invalid byte separates words), in text order.
  // Matching is on word boundaries over case-folded, accent-stripped tokens, longest alias first;
  // flags and context rules of the data files then decide ambiguous names.
  std::vector<CountryMention> Find(std::string_view text) const;

  // Find for a dateline ("STAMFORD, Conn., March 3"): also matches the dateline-only aliases
  // (US state and Canadian province abbreviations such as "Calif." or "Ont.").
  std::vector<CountryMention> FindInDateline(std::string_view dateline) const;

  // The code of one name, alias, demonym or code, case-insensitive: "ussr" -> "RU",
  // "pakistani" -> "PK", "PK" -> "PK", "PAK" -> "PK". Context rules do not apply. nullopt for
  // anything else, including blocked phrases ("South China Sea").
  std::optional<std::string> Lookup(std::string_view name) const;

  // The periods in which `name` (matched as by Lookup) stood for its country, in file order:
  // "USSR" -> {1922, 1991}; "Russian Federation" -> {1992, open}. Empty when the name is not
  // bound to a period (most names, and codes).
  std::vector<NamePeriod> NamePeriods(std::string_view name) const;

  // English name of a code ("PK" -> "Pakistan"); empty for an unknown code.
  std::string EnglishName(std::string_view code) const;

  // Number of distinct normalised names known (for diagnostics).
  std::size_t NameCount() const;

  struct Tables;  // Defined in countries.cc.

 private:
  explicit CountryRecognizer(std::shared_ptr<const Tables> tables) : tables_(std::move(tables)) {}
  std::vector<CountryMention> FindImpl(std::string_view text, bool dateline) const;

  std::shared_ptr<const Tables> tables_;
};

}  // namespace dyad

#endif  // DYAD_CORE_COUNTRIES_H_
