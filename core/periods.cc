#include "core/periods.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/data_files.h"
#include "core/themes.h"

namespace dyad {
namespace {

constexpr int kFirstYear = 1500;
constexpr int kLastYear = 2100;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

// Words after a number that make it an amount rather than a year.
bool IsUnit(std::string_view word) {
  static const std::set<std::string, std::less<>> kUnits = {
      "tonnes", "tons",   "tonne",  "barrels", "bpd",    "dlrs",   "dollars", "mln",
      "billion", "million", "shares", "pct",   "percent", "people", "troops",  "km",
      "kms",    "miles",  "feet",   "metres", "meters", "acres",  "bushels", "hours",
      "units",  "cars",   "jobs",   "men",    "workers", "soldiers", "mw",    "kg",
      "lbs",    "ounces", "yen",    "marks",  "francs", "pounds", "stg",     "cts"};
  std::string lower(word);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return kUnits.count(lower) > 0;
}

std::string DecadeLabel(int year) { return std::to_string(year / 10 * 10) + "s"; }

}  // namespace

std::vector<int> YearsIn(std::string_view text) {
  std::vector<int> years;
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    if (!IsDigit(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < n && IsDigit(text[end])) ++end;
    const std::size_t start = i;
    i = end;
    if (end - start != 4) continue;
    if (start > 0) {
      const char before = text[start - 1];
      if (IsAlpha(before) || before == '$' || before == '#' || before == '.' || before == '_') {
        continue;
      }
      if (before == ',' && start > 1 && IsDigit(text[start - 2])) continue;  // 1,987
    }
    if (end < n && text[end] == '.' && end + 1 < n && IsDigit(text[end + 1])) continue;  // 1987.5
    if (end < n && text[end] == ',' && end + 1 < n && IsDigit(text[end + 1])) continue;  // 1987,000
    const int year = std::stoi(std::string(text.substr(start, 4)));
    if (year < kFirstYear || year > kLastYear) continue;
    // Decades: 1980s, 1980's, 1980’s.
    std::size_t after = end;
    if (after < n && (text[after] == '\'')) ++after;
    if (text.substr(after).starts_with("\xE2\x80\x99")) after += 3;
    if (after < n && text[after] == 's' && (after + 1 == n || !IsAlpha(text[after + 1]))) {
      if (year % 10 == 0) {
        years.push_back(year);
        years.push_back(year + 9);
      }
      continue;
    }
    if (end < n && IsAlpha(text[end])) continue;  // 1987a, 2000km
    // The next word must not be a unit.
    std::size_t word = end;
    while (word < n && text[word] == ' ') ++word;
    std::size_t word_end = word;
    while (word_end < n && IsAlpha(text[word_end])) ++word_end;
    if (word_end > word && IsUnit(text.substr(word, word_end - word))) continue;
    years.push_back(year);
  }
  return years;
}

StatusOr<PeriodRecognizer> PeriodRecognizer::Load(const Analyzer& analyzer,
                                                  const std::string& path) {
  std::string file = path;
  if (file.empty()) {
    StatusOr<std::string> found = FindDataFile("eras.textproto");
    if (!found.ok()) return found.status();
    file = *found;
  }
  PeriodRecognizer recognizer;
  if (Status s = ReadTextProto(file, &recognizer.catalog_); !s.ok()) return s;
  std::set<std::string> ids;
  for (int i = 0; i < recognizer.catalog_.eras_size(); ++i) {
    const v1::Era& era = recognizer.catalog_.eras(i);
    if (era.id().empty() || !ids.insert(era.id()).second) {
      return InvalidArgument(file + ": era " + std::to_string(i + 1) +
                             " has no id or repeats one ('" + era.id() + "')");
    }
    if (era.from() > era.to()) {
      return InvalidArgument(file + ": era '" + era.id() + "' ends before it starts");
    }
    for (const std::string& name : era.names()) recognizer.names_.Add(analyzer, name, i, 1.0);
  }
  return recognizer;
}

void PeriodRecognizer::Add(std::string_view text, const std::vector<std::string>& stems,
                           Tally* tally) const {
  for (int year : YearsIn(text)) ++tally->years[year];
  names_.Match(stems, [&](int id, double) { tally->named_eras.insert(id); });
}

void PeriodRecognizer::Finish(const Tally& tally, std::string_view published,
                              v1::Enrichment* enrichment) const {
  int published_year = 0;
  if (published.size() >= 4) published_year = std::stoi(std::string(published.substr(0, 4)));

  std::set<int> decades;
  if (!tally.years.empty()) {
    enrichment->mutable_period()->set_from(tally.years.begin()->first);
    enrichment->mutable_period()->set_to(tally.years.rbegin()->first);
    for (const auto& [year, count] : tally.years) decades.insert(year / 10 * 10);
  } else if (published_year > 0) {
    enrichment->mutable_period()->set_from(published_year);
    enrichment->mutable_period()->set_to(published_year);
  }
  if (published_year > 0) decades.insert(published_year / 10 * 10);
  for (int decade : decades) enrichment->add_decades(DecadeLabel(decade));

  for (int i = 0; i < catalog_.eras_size(); ++i) {
    const v1::Era& era = catalog_.eras(i);
    bool in = tally.named_eras.count(i) > 0;
    if (!in && !era.named_only()) {
      in = published_year >= era.from() && published_year <= era.to();
      // By discussed years: at least two mentions of years inside the era and a quarter of all
      // year mentions, so dates in passing ("the 1945 charter") do not file a speech under
      // another period.
      int mentions = 0, all = 0;
      for (const auto& [year, count] : tally.years) {
        all += count;
        if (year >= era.from() && year <= era.to()) mentions += count;
      }
      in = in || (mentions >= 2 && mentions * 4 >= all);
    }
    if (in) enrichment->add_eras(era.id());
  }
}

bool PeriodRecognizer::HasEra(std::string_view id) const {
  return std::any_of(catalog_.eras().begin(), catalog_.eras().end(),
                     [&](const v1::Era& e) { return e.id() == id; });
}

}  // namespace dyad
