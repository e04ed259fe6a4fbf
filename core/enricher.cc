#include "core/enricher.h"

#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/country_salience.h"

namespace dyad {
namespace {

// Byte offsets where sentences of `text` start (ICU's English sentence rules), ascending.
std::vector<std::uint32_t> SentenceStarts(std::string_view text) {
  std::vector<std::uint32_t> starts = {0};
  UErrorCode status = U_ZERO_ERROR;
  UText* utext = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  // One iterator per thread: creating one costs more than breaking a paragraph. It keeps a
  // shallow clone of `utext`, which is replaced by the next call and never read in between.
  thread_local const std::unique_ptr<icu::BreakIterator> breaks = [] {
    UErrorCode created = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> iterator(
        icu::BreakIterator::createSentenceInstance(icu::Locale::getEnglish(), created));
    return U_SUCCESS(created) ? std::move(iterator) : nullptr;
  }();
  if (breaks == nullptr) status = U_MEMORY_ALLOCATION_ERROR;
  if (U_SUCCESS(status)) {
    breaks->setText(utext, status);
    for (int32_t at = breaks->next(); at != icu::BreakIterator::DONE; at = breaks->next()) {
      if (static_cast<std::size_t>(at) < text.size())
        starts.push_back(static_cast<std::uint32_t>(at));
    }
  }
  utext_close(utext);
  return starts;
}

}  // namespace

std::vector<std::string>& FieldStems::Add(const std::string* field) {
  if (used_ == entries_.size()) entries_.emplace_back();
  auto& [address, stems] = entries_[used_++];
  address = field;
  stems.clear();
  return stems;
}

const std::vector<std::string>* FieldStems::Find(const std::string& field) const {
  for (std::size_t k = 0; k < used_; ++k) {
    const std::size_t i = (next_ + k) % used_;
    if (entries_[i].first == &field) {
      next_ = i + 1;
      return &entries_[i].second;
    }
  }
  return nullptr;
}

std::string DyadOf(std::string_view a, std::string_view b) {
  std::string x(a), y(b);
  for (char& c : x) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (char& c : y) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (y < x) std::swap(x, y);
  return x + "-" + y;
}

StatusOr<std::unique_ptr<Enricher>> Enricher::Load(const Analyzer& analyzer,
                                                   const EnricherOptions& options) {
  StatusOr<CountryRecognizer> countries = CountryRecognizer::Load();
  if (!countries.ok()) return countries.status();
  StatusOr<ThemeMatcher> themes = ThemeMatcher::Load(analyzer, options.themes_path);
  if (!themes.ok()) return themes.status();
  StatusOr<PeriodRecognizer> periods = PeriodRecognizer::Load(analyzer, options.eras_path);
  if (!periods.ok()) return periods.status();
  return std::unique_ptr<Enricher>(
      new Enricher(analyzer, std::move(*countries), std::move(*themes), std::move(*periods)));
}

v1::Enrichment Enricher::Enrich(const v1::StoredArticle& article, const FieldStems* known) const {
  std::map<std::string, double> pairs;
  ThemeMatcher::Tally theme_tally = themes_.NewTally();
  PeriodRecognizer::Tally period_tally;

  const auto field = [&](const std::string& text, double weight) {
    if (text.empty()) return;
    const std::vector<std::string>* found = known != nullptr ? known->Find(text) : nullptr;
    const std::vector<std::string> own =
        found != nullptr ? std::vector<std::string>() : analyzer_.Stems(text);
    const std::vector<std::string>& stems = found != nullptr ? *found : own;
    themes_.Add(stems, weight, &theme_tally);
    periods_.Add(text, stems, &period_tally);

    const std::vector<CountryMention> mentions = countries_.Find(text);
    if (mentions.empty()) return;
    // Pairs named together: in one compound, or in one sentence.
    const std::vector<std::uint32_t> starts = SentenceStarts(text);
    std::map<std::size_t, std::set<std::string>> by_sentence;
    std::map<std::uint32_t, std::set<std::string>> by_compound;
    for (const CountryMention& m : mentions) {
      const std::size_t sentence =
          std::upper_bound(starts.begin(), starts.end(), m.begin) - starts.begin();
      by_sentence[sentence].insert(m.code);
      if (m.compound != 0) by_compound[m.compound].insert(m.code);
    }
    const auto add_pairs = [&](const std::set<std::string>& codes, double w) {
      for (auto a = codes.begin(); a != codes.end(); ++a) {
        for (auto b = std::next(a); b != codes.end(); ++b) pairs[DyadOf(*a, *b)] += w;
      }
    };
    for (const auto& [sentence, codes] : by_sentence) add_pairs(codes, weight);
    for (const auto& [compound, codes] : by_compound)
      add_pairs(codes, kCompoundPairWeight * weight);
  };

  field(article.title(), kWeightTitle);
  for (const v1::KeyPoint& point : article.key_points()) {
    field(point.label() + ": " + point.text(), kWeightKeyPoints);
  }
  int paragraph = 0;
  for (const v1::Section& section : article.sections()) {
    field(section.heading(), kWeightBody);
    for (const std::string& text : section.paragraphs()) {
      field(text, paragraph++ < 2 ? kWeightLead : kWeightBody);
    }
  }
  // The author note describes the author, not the subject: it feeds no country, pair or theme.

  // The country set: salience as tuned on Reuters-21578 (core/country_salience.h).
  v1::Enrichment enrichment;
  const SalienceWeights weights;
  const std::vector<CountrySalience> scored = ScoreCountries(article, countries_, weights);
  const std::vector<std::string> salient = SelectSalient(scored, weights);
  const auto is_salient = [&](std::string_view code) {
    return std::find(salient.begin(), salient.end(), code) != salient.end();
  };
  for (const CountrySalience& country : scored) {
    v1::CountryScore* score = enrichment.add_countries();
    score->set_code(country.code);
    score->set_mentions(country.mentions);
    score->set_salience(country.score);
    score->set_salient(is_salient(country.code));
  }

  // Dyads: pairs of salient countries named together, strongest first.
  std::vector<std::pair<std::string, double>> dyads;
  for (const auto& [pair, weight] : pairs) {
    if (is_salient(pair.substr(0, 2)) && is_salient(pair.substr(3)))
      dyads.emplace_back(pair, weight);
  }
  std::stable_sort(dyads.begin(), dyads.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [pair, weight] : dyads) {
    if (enrichment.dyads_size() == kMaxDyads) break;
    v1::DyadScore* dyad = enrichment.add_dyads();
    dyad->set_pair(pair);
    dyad->set_weight(weight);
  }

  for (v1::ThemeScore& theme : themes_.Assign(theme_tally)) {
    *enrichment.add_themes() = std::move(theme);
  }
  periods_.Finish(period_tally, article.published(), &enrichment);
  return enrichment;
}

}  // namespace dyad
