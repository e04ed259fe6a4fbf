#include "core/country_salience.h"

#include <algorithm>
#include <map>

namespace dyad {
namespace {

// Where a part of the article lies in the joined text.
struct Part {
  std::uint32_t end;
  enum class Where { kTitle, kLead, kBody } where;
};

// The place of a dateline: "STAMFORD, Conn., March 3" -> "STAMFORD, Conn.".
std::string_view DatelinePlace(std::string_view dateline) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::size_t cut = dateline.size();
  for (std::size_t comma = dateline.find(','); comma != std::string_view::npos;
       comma = dateline.find(',', comma + 1)) {
    std::string_view rest = dateline.substr(comma + 1);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (std::any_of(std::begin(kMonths), std::end(kMonths),
                    [&](std::string_view m) { return rest.starts_with(m); })) {
      cut = comma;
      break;
    }
  }
  return dateline.substr(0, cut);
}

}  // namespace

std::vector<CountrySalience> ScoreCountries(const v1::StoredArticle& article,
                                            const CountryRecognizer& recognizer,
                                            const SalienceWeights& weights) {
  // One text for the whole article, so document-level context rules see all of it.
  std::string text;
  std::vector<Part> parts;
  const auto add = [&](const std::string& s, Part::Where where) {
    if (s.empty()) return;
    text += s;
    text += "\n\n";
    parts.push_back({static_cast<std::uint32_t>(text.size()), where});
  };
  add(article.title(), Part::Where::kTitle);
  for (const auto& point : article.key_points()) add(point.text(), Part::Where::kLead);
  bool lead_done = article.key_points_size() > 0;
  for (const auto& section : article.sections()) {
    add(section.heading(), Part::Where::kBody);
    for (const auto& paragraph : section.paragraphs()) {
      add(paragraph, lead_done ? Part::Where::kBody : Part::Where::kLead);
      lead_done = true;
    }
  }

  std::map<std::string, CountrySalience> by_code;
  const auto entry = [&](const std::string& code) -> CountrySalience& {
    CountrySalience& s = by_code[code];
    s.code = code;
    return s;
  };
  std::size_t part = 0;
  for (const CountryMention& mention : recognizer.Find(text)) {
    while (part + 1 < parts.size() && mention.begin >= parts[part].end) ++part;
    CountrySalience& s = entry(mention.code);
    ++s.mentions;
    if (parts[part].where == Part::Where::kTitle) ++s.title_mentions;
    if (parts[part].where == Part::Where::kLead) ++s.lead_mentions;
    if (mention.compound != 0) ++s.compound_mentions;
  }
  if (const auto dateline = article.metadata().find("dateline");
      dateline != article.metadata().end()) {
    // "FLORENCE, Ala.": the last, most general place decides.
    const std::vector<CountryMention> places =
        recognizer.FindInDateline(DatelinePlace(dateline->second));
    if (!places.empty()) entry(places.back().code).dateline = true;
  }

  std::vector<CountrySalience> scored;
  for (auto& [code, s] : by_code) {
    s.score = SalienceScore(s, weights);
    scored.push_back(std::move(s));
  }
  std::stable_sort(
      scored.begin(), scored.end(),
      [](const CountrySalience& a, const CountrySalience& b) { return a.score > b.score; });
  return scored;
}

double SalienceScore(const CountrySalience& s, const SalienceWeights& weights) {
  double score = (s.title_mentions > 0 ? weights.title : 0) + (s.dateline ? weights.dateline : 0) +
                 (s.lead_mentions > 0 ? weights.lead : 0) +
                 (s.compound_mentions > 0 ? weights.compound : 0);
  if (s.mentions > 0) {
    score += weights.first_mention +
             weights.more_mentions * (std::min(s.mentions, weights.mention_cap) - 1);
  }
  return score;
}

std::vector<std::string> SelectSalient(const std::vector<CountrySalience>& scored,
                                       const SalienceWeights& weights) {
  double best = 0;
  for (const CountrySalience& s : scored) best = std::max(best, s.score);
  std::vector<std::string> codes;
  for (const CountrySalience& s : scored) {
    if (s.score >= weights.threshold && s.score >= weights.relative * best) codes.push_back(s.code);
  }
  return codes;
}

std::vector<std::string> SalientCountries(const v1::StoredArticle& article,
                                          const CountryRecognizer& recognizer,
                                          const SalienceWeights& weights) {
  return SelectSalient(ScoreCountries(article, recognizer, weights), weights);
}

}  // namespace dyad
