#include "core/ranking.h"

#include <algorithm>
#include <set>

#include "core/data_files.h"
#include "core/schema.h"
#include "core/themes.h"

namespace dyad {
namespace {

// Defaults of a feature whose message is present with fields unset (ranking.proto).
constexpr std::uint32_t kFeedbackDocuments = 10;
constexpr std::uint32_t kFeedbackTerms = 20;
constexpr double kFeedbackWeight = 0.5;
constexpr std::uint32_t kProximityWindow = 8;
constexpr double kProximityWeight = 0.2;
constexpr double kDyadWeight = 1.0;
// Upper bounds that keep one search cheap.
constexpr std::uint32_t kMaxFeedbackDocuments = 1000;
constexpr std::uint32_t kMaxFeedbackTerms = 1000;
constexpr std::uint32_t kMaxProximityWindow = 1000;
constexpr std::size_t kMaxDyadCountries = 8;  // 28 pairs.

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

bool ValidName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '+' || c == '.';
  });
}

// Range checks of a resolved configuration; the message names the field.
Status Check(const v1::RankingConfig& config) {
  std::string bad;
  const auto at_least = [&](bool present, double value, double min, const char* field) {
    if (bad.empty() && present && !(value >= min)) {
      bad = std::string(field) + " must be at least " + std::to_string(min);
    }
  };
  const v1::Bm25Params& bm25 = config.bm25();
  at_least(bm25.has_k1(), bm25.k1(), 0, "bm25.k1");
  at_least(bm25.has_k2(), bm25.k2(), 0, "bm25.k2");
  at_least(bm25.has_k3(), bm25.k3(), 0, "bm25.k3");
  at_least(bm25.has_b(), bm25.b(), 0, "bm25.b");
  at_least(bm25.has_min_normlen(), bm25.min_normlen(), 0, "bm25.min_normlen");
  if (bad.empty() && bm25.has_b() && bm25.b() > 1) bad = "bm25.b must be at most 1";
  const v1::FieldWeights& fields = config.fields();
  at_least(fields.has_title(), fields.title(), 0, "fields.title");
  at_least(fields.has_key_points(), fields.key_points(), 0, "fields.key_points");
  at_least(fields.has_headings(), fields.headings(), 0, "fields.headings");
  const v1::Feedback& feedback = config.feedback();
  at_least(feedback.has_weight(), feedback.weight(), 0, "feedback.weight");
  if (bad.empty() && feedback.has_documents() &&
      (feedback.documents() < 1 || feedback.documents() > kMaxFeedbackDocuments)) {
    bad = "feedback.documents must be from 1 to " + std::to_string(kMaxFeedbackDocuments);
  }
  if (bad.empty() && feedback.has_terms() &&
      (feedback.terms() < 1 || feedback.terms() > kMaxFeedbackTerms)) {
    bad = "feedback.terms must be from 1 to " + std::to_string(kMaxFeedbackTerms);
  }
  if (bad.empty() && feedback.has_scheme() && feedback.scheme() != "trad" &&
      feedback.scheme() != "bo1") {
    bad = "feedback.scheme must be \"trad\" or \"bo1\"";
  }
  const v1::Proximity& proximity = config.proximity();
  at_least(proximity.has_weight(), proximity.weight(), 0, "proximity.weight");
  if (bad.empty() && proximity.has_window() &&
      (proximity.window() < 2 || proximity.window() > kMaxProximityWindow)) {
    bad = "proximity.window must be from 2 to " + std::to_string(kMaxProximityWindow);
  }
  at_least(config.dyad_boost().has_weight(), config.dyad_boost().weight(), 0, "dyad_boost.weight");
  if (!bad.empty()) return InvalidArgument(bad);
  return Status::Ok();
}

// A word run of the query text outside quotes, fields and operators, for proximity pairs.
std::vector<std::string> PlainRuns(std::string_view query) {
  std::vector<std::string> runs(1);
  bool quoted = false;
  std::size_t i = 0;
  while (i < query.size()) {
    if (query[i] == ' ' || query[i] == '\t' || query[i] == '\n') {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < query.size() && query[end] != ' ' && query[end] != '\t' && query[end] != '\n') {
      ++end;
    }
    const std::string_view token = query.substr(i, end - i);
    i = end;
    const std::size_t quotes = std::count(token.begin(), token.end(), '"');
    const bool was_quoted = quoted;
    if (quotes % 2 == 1) quoted = !quoted;
    static constexpr std::string_view kOperators[] = {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"};
    const bool syntax =
        was_quoted || quotes > 0 || token.find_first_of(":()*~^") != std::string_view::npos ||
        token[0] == '+' || token[0] == '-' || token.find("..") != std::string_view::npos ||
        std::find(std::begin(kOperators), std::end(kOperators), token) != std::end(kOperators);
    if (syntax) {
      if (!runs.back().empty()) runs.emplace_back();
      continue;
    }
    if (!runs.back().empty()) runs.back() += ' ';
    runs.back() += token;
  }
  if (runs.back().empty()) runs.pop_back();
  return runs;
}

}  // namespace

bool IsPlainTextTerm(std::string_view term) {
  if (term.empty()) return false;
  if (term[0] == 'Z') return term.size() > 1 && !IsUpper(term[1]);
  return !IsUpper(term[0]);
}

StatusOr<Rankings> Rankings::Load(const std::string& path) {
  std::string file = path;
  if (file.empty()) {
    StatusOr<std::string> found = FindDataFile("rankings.textproto");
    if (!found.ok()) return found.status();
    file = *found;
  }
  v1::RankingCatalog catalog;
  if (Status s = ReadTextProto(file, &catalog); !s.ok()) return s;
  return FromCatalog(catalog, file);
}

StatusOr<Rankings> Rankings::FromCatalog(const v1::RankingCatalog& catalog,
                                         const std::string& origin) {
  Rankings rankings;
  for (const v1::RankingConfig& config : catalog.rankings()) {
    const std::string where = origin + ": ranking '" + config.name() + "'";
    if (!ValidName(config.name())) {
      return InvalidArgument(origin + ": ranking name '" + config.name() +
                             "' must be letters, digits and - _ + .");
    }
    v1::RankingConfig resolved;
    if (!config.base().empty()) {
      const auto base = std::find_if(rankings.configs_.begin(), rankings.configs_.end(),
                                     [&](const auto& c) { return c.name() == config.base(); });
      if (base == rankings.configs_.end()) {
        return InvalidArgument(where + ": base '" + config.base() +
                               "' is not a ranking defined before it");
      }
      resolved = *base;
    }
    resolved.MergeFrom(config);
    resolved.set_description(config.description());
    resolved.set_base(config.base());
    if (Status s = Check(resolved); !s.ok()) return InvalidArgument(where + ": " + s.message());
    const bool taken = std::any_of(rankings.configs_.begin(), rankings.configs_.end(),
                                   [&](const auto& c) { return c.name() == config.name(); });
    if (taken) return InvalidArgument(where + " is defined twice");
    rankings.configs_.push_back(std::move(resolved));
  }
  if (rankings.configs_.empty()) return InvalidArgument(origin + ": no ranking configurations");
  rankings.default_name_ = catalog.default_ranking();
  if (rankings.default_name_.empty()) rankings.default_name_ = rankings.configs_.front().name();
  if (!rankings.Find(rankings.default_name_).ok()) {
    return InvalidArgument(origin + ": default_ranking '" + rankings.default_name_ +
                           "' is not one of its rankings");
  }
  return rankings;
}

StatusOr<const v1::RankingConfig*> Rankings::Find(std::string_view name) const {
  if (name.empty()) name = default_name_;
  for (const v1::RankingConfig& config : configs_) {
    if (config.name() == name) return &config;
  }
  std::string known;
  for (const v1::RankingConfig& config : configs_) known += " " + config.name();
  return InvalidArgument("unknown ranking '" + std::string(name) + "'; rankings:" + known);
}

Xapian::BM25Weight Ranker::Weight() const {
  const v1::Bm25Params& p = config_.bm25();
  // Xapian's defaults, as Xapian::BM25Weight() has them.
  return Xapian::BM25Weight(p.has_k1() ? p.k1() : 1, p.has_k2() ? p.k2() : 0,
                            p.has_k3() ? p.k3() : 1, p.has_b() ? p.b() : 0.5,
                            p.has_min_normlen() ? p.min_normlen() : 0.5);
}

std::vector<Xapian::Query> Ranker::FieldBoosts(const Xapian::Query& parsed) const {
  const v1::FieldWeights& fields = config_.fields();
  const std::pair<double, const char*> weighted_prefixes[] = {
      {fields.title(), schema::kPrefixTitle},
      {fields.key_points(), schema::kPrefixKeyPoints},
      {fields.headings(), schema::kPrefixHeading},
  };
  std::vector<Xapian::Query> boosts;
  for (Xapian::TermIterator t = parsed.get_unique_terms_begin(); t != parsed.get_unique_terms_end();
       ++t) {
    const std::string& term = *t;
    if (!IsPlainTextTerm(term)) continue;
    for (const auto& [weight, prefix] : weighted_prefixes) {
      if (weight <= 0) continue;
      // The field's copy of the term: "Zpipelin" is "ZSpipelin" in the title, "pipeline"
      // "Spipeline".
      std::string field_term;
      if (term[0] == 'Z') {
        field_term.append(1, 'Z').append(prefix).append(term, 1);
      } else {
        field_term.append(prefix).append(term);
      }
      boosts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(field_term), weight);
    }
  }
  return boosts;
}

std::vector<Xapian::Query> Ranker::ProximityBoosts(std::string_view query) const {
  if (!config_.has_proximity()) return {};
  const v1::Proximity& proximity = config_.proximity();
  const double weight = proximity.has_weight() ? proximity.weight() : kProximityWeight;
  const Xapian::termcount window = proximity.has_window() ? proximity.window() : kProximityWindow;
  if (weight <= 0) return {};
  const Analyzer& analyzer = enricher_.analyzer();
  std::set<std::pair<std::string, std::string>> pairs;
  std::vector<Xapian::Query> boosts;
  for (const std::string& run : PlainRuns(query)) {
    std::vector<std::string> words = analyzer.Words(run);
    std::erase_if(words, [&](const std::string& w) { return analyzer.IsStopWord(w); });
    for (std::size_t i = 1; i < words.size(); ++i) {
      if (words[i - 1] == words[i] || !pairs.emplace(words[i - 1], words[i]).second) continue;
      const Xapian::Query pair[] = {Xapian::Query(words[i - 1]), Xapian::Query(words[i])};
      boosts.emplace_back(
          Xapian::Query::OP_SCALE_WEIGHT,
          Xapian::Query(Xapian::Query::OP_NEAR, std::begin(pair), std::end(pair), window), weight);
    }
  }
  return boosts;
}

std::vector<Xapian::Query> Ranker::DyadBoosts(std::string_view query) const {
  if (!config_.has_dyad_boost()) return {};
  const double weight =
      config_.dyad_boost().has_weight() ? config_.dyad_boost().weight() : kDyadWeight;
  if (weight <= 0) return {};
  std::vector<std::string> codes;
  for (const CountryMention& mention : enricher_.countries().Find(query)) {
    if (std::find(codes.begin(), codes.end(), mention.code) == codes.end()) {
      codes.push_back(mention.code);
    }
  }
  if (codes.size() < 2 || codes.size() > kMaxDyadCountries) return {};
  std::vector<Xapian::Query> dyads;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    for (std::size_t j = i + 1; j < codes.size(); ++j) {
      dyads.emplace_back(schema::BooleanTerm(schema::kPrefixDyad, DyadOf(codes[i], codes[j])));
    }
  }
  // Dyad terms are boolean (wdf 0, so BM25 gives them nothing): a fixed weight for the articles
  // filed under any of the pairs.
  return {Xapian::Query(Xapian::Query::OP_FILTER,
                        Xapian::Query((new Xapian::FixedWeightPostingSource(weight))->release()),
                        Xapian::Query(Xapian::Query::OP_OR, dyads.begin(), dyads.end()))};
}

StatusOr<Xapian::Query> Ranker::Parse(QueryBuilder& builder, std::string_view query) const {
  QueryBuilder::ParseOptions options;
  options.stopwords = !config_.has_stopwords() || config_.stopwords();
  options.expand_countries = !config_.has_expand_countries() || config_.expand_countries();
  StatusOr<Xapian::Query> parsed = builder.Parse(query, options);
  if (!parsed.ok() || parsed->empty()) return parsed;
  std::vector<Xapian::Query> boosts = FieldBoosts(*parsed);
  for (const std::vector<Xapian::Query>& more : {ProximityBoosts(query), DyadBoosts(query)}) {
    boosts.insert(boosts.end(), more.begin(), more.end());
  }
  if (boosts.empty()) return parsed;
  // AND_MAYBE: the boosts weigh the articles the query matches and add none.
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, *parsed,
                       Xapian::Query(Xapian::Query::OP_OR, boosts.begin(), boosts.end()));
}

Xapian::Query Ranker::Feedback(Xapian::Enquire& enquire, const Xapian::Query& weighted,
                               const Xapian::Query& filter, std::map<std::string, double>* scales,
                               const LocalExpansion& local) const {
  if (!config_.has_feedback() || weighted.empty()) return weighted;
  const v1::Feedback& feedback = config_.feedback();
  const double weight = feedback.has_weight() ? feedback.weight() : kFeedbackWeight;
  if (weight <= 0) return weighted;
  std::vector<std::string> query_terms;
  for (Xapian::TermIterator t = weighted.get_unique_terms_begin();
       t != weighted.get_unique_terms_end(); ++t) {
    if (IsPlainTextTerm(*t)) query_terms.push_back(*t);
  }
  // Unique terms come sorted; stems and words mix, so count stems for the query's length.
  const std::size_t words = std::count_if(query_terms.begin(), query_terms.end(),
                                          [](const std::string& t) { return t[0] == 'Z'; });
  if (words < std::max<std::uint32_t>(1, feedback.min_query_terms())) return weighted;

  const Xapian::Query first_pass =
      filter.empty() ? weighted : Xapian::Query(Xapian::Query::OP_FILTER, weighted, filter);
  enquire.set_query(first_pass);
  const Xapian::MSet top =
      enquire.get_mset(0, feedback.has_documents() ? feedback.documents() : kFeedbackDocuments);
  if (top.empty()) return weighted;
  Xapian::RSet rset;
  for (Xapian::MSetIterator it = top.begin(); it != top.end(); ++it) rset.add_document(*it);

  // Stems of the unprefixed text that are neither query words nor stop words.
  struct Decider : Xapian::ExpandDecider {
    const Analyzer* analyzer;
    const std::vector<std::string>* query_terms;
    bool operator()(const std::string& term) const override {
      return term.size() > 2 && term[0] == 'Z' && IsPlainTextTerm(term) &&
             !analyzer->IsStopWord(std::string_view(term).substr(1)) &&
             !std::binary_search(query_terms->begin(), query_terms->end(), term);
    }
  } decider;
  decider.analyzer = &enricher_.analyzer();
  decider.query_terms = &query_terms;
  const std::string scheme = feedback.has_scheme() ? feedback.scheme() : "trad";
  const std::uint32_t wanted = feedback.has_terms() ? feedback.terms() : kFeedbackTerms;
  std::vector<ExpansionTerm> terms;
  if (local.database != nullptr && local.freqs != nullptr && scheme == "trad") {
    std::vector<Xapian::docid> documents(top.begin(), top.end());
    std::sort(documents.begin(), documents.end());  // As an RSet holds them.
    // get_eset also leaves out every term of the enquire's query.
    const std::vector<std::string> searched(first_pass.get_unique_terms_begin(),
                                            first_pass.get_unique_terms_end());
    terms = TradExpansion(
        *local.database, documents, wanted,
        [&](const std::string& term) {
          return decider(term) && !std::binary_search(searched.begin(), searched.end(), term);
        },
        *local.freqs);
  } else {
    enquire.set_expansion_scheme(scheme);
    const Xapian::ESet eset =
        enquire.get_eset(wanted, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
    for (Xapian::ESetIterator it = eset.begin(); it != eset.end(); ++it) {
      terms.push_back({*it, it.get_weight()});
    }
  }
  if (terms.empty()) return weighted;
  const double best = terms.front().weight;
  if (!(best > 0)) return weighted;
  std::vector<Xapian::Query> expansion;
  for (const ExpansionTerm& term : terms) {
    if (!(term.weight > 0)) break;
    const double scale = weight * term.weight / best;
    expansion.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(term.term), scale);
    if (scales != nullptr) (*scales)[term.term] = scale;
  }
  const Xapian::Query expanded(Xapian::Query::OP_OR, expansion.begin(), expansion.end());
  return Xapian::Query(feedback.widen() ? Xapian::Query::OP_OR : Xapian::Query::OP_AND_MAYBE,
                       weighted, expanded);
}

}  // namespace dyad
