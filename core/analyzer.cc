#include "core/analyzer.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <unordered_map>

#include "core/data_files.h"
#include "core/schema.h"

namespace dyad {
namespace {

bool IsApostrophe(UChar32 c) {
  switch (c) {
    case 0x2019:
    case 0x2018:
    case 0x02BC:
    case 0xFF07:
    case 0x00B4:
    case 0x0060:
    case '\'':
      return true;
    default:
      return false;
  }
}

// Maps apostrophes, hyphens and dashes (steps 2 and 3 of the header) in place.
icu::UnicodeString MapPunctuation(const icu::UnicodeString& in) {
  icu::UnicodeString out;
  const int32_t n = in.length();
  for (int32_t i = 0; i < n;) {
    const UChar32 c = in.char32At(i);
    const int32_t next = in.moveIndex32(i, 1);
    if (IsApostrophe(c)) {
      // "Pakistan's", and "U.S.S.R.'s" where the word before ends in an abbreviation's dot.
      const int32_t prev = i > 0 ? in.moveIndex32(i, -1) : -1;
      const bool letter_before = prev >= 0 && (u_isalnum(in.char32At(prev)) ||
                                               (in.char32At(prev) == '.' && prev > 0 &&
                                                u_isalnum(in.char32At(in.moveIndex32(prev, -1)))));
      const UChar32 after = next < n ? in.char32At(next) : 0;
      const int32_t after_next = next < n ? in.moveIndex32(next, 1) : n;
      const bool word_after_s = after_next < n && u_isalnum(in.char32At(after_next));
      if (letter_before && (after == 's' || after == 'S') && !word_after_s) {
        i = after_next;  // Possessive 's: drop both characters.
        continue;
      }
      const bool letter_after = next < n && u_isalnum(after);
      if (letter_before && letter_after)
        out.append(static_cast<UChar>('\''));
      else
        out.append(static_cast<UChar>(' '));  // Quote mark or plural possessive.
      i = next;
      continue;
    }
    switch (c) {
      case 0x2010:
      case 0x2011:
      case 0x2012:
      case 0x2013:
      case 0x2212:
      case 0xFE63:
      case 0xFF0D:
        out.append(static_cast<UChar>('-'));
        break;
      case 0x2014:
      case 0x2015:
        out.append(static_cast<UChar>(' '));
        break;
      case 0x00AD:  // Soft hyphen: invisible, joins the word.
        break;
      default:
        out.append(c);
    }
    i = next;
  }
  return out;
}

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool IsAscii(std::string_view text) {
  unsigned char any = 0;
  for (char c : text) any |= static_cast<unsigned char>(c);
  return any < 0x80;
}

// Normalize for ASCII text, with the same result as the ICU path: NFKC leaves ASCII alone, case
// folding lowers A-Z, and MapPunctuation's rules read the same on bytes as on code points. About
// 20 times faster; checked against the ICU path by tests/core/analyzer_test.cc.
std::string NormalizeAscii(std::string_view in, bool fold) {
  std::string out;
  out.reserve(in.size());
  const std::size_t n = in.size();
  for (std::size_t i = 0; i < n;) {
    const char c = in[i];
    if (c == '\'' || c == '`') {
      const bool letter_before = i > 0 && (IsAsciiAlnum(in[i - 1]) ||
                                           (in[i - 1] == '.' && i > 1 && IsAsciiAlnum(in[i - 2])));
      const std::size_t next = i + 1;
      const char after = next < n ? in[next] : '\0';
      const std::size_t after_next = next < n ? next + 1 : n;
      const bool word_after_s = after_next < n && IsAsciiAlnum(in[after_next]);
      if (letter_before && (after == 's' || after == 'S') && !word_after_s) {
        i = after_next;  // Possessive 's: drop both characters.
        continue;
      }
      out += letter_before && next < n && IsAsciiAlnum(after) ? '\'' : ' ';
      i = next;
      continue;
    }
    out += fold && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    ++i;
  }
  return out;
}

std::string Normalize(std::string_view text, const icu::Normalizer2* normalizer) {
  const icu::UnicodeString source = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString normalized = normalizer->normalize(source, status);
  if (U_FAILURE(status)) normalized = source;  // Only on allocation failure; keep the text.
  std::string out;
  MapPunctuation(normalized).toUTF8String(out);
  return out;
}

const icu::Normalizer2* CaseFoldingNormalizer() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
  return U_SUCCESS(status) ? n : nullptr;
}

const icu::Normalizer2* DisplayNormalizer() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCInstance(status);
  return U_SUCCESS(status) ? n : nullptr;
}

std::vector<std::string> SortedUnique(std::vector<std::string> terms) {
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

bool IsOperatorWord(std::string_view word) {
  for (std::string_view op : {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"}) {
    if (word == op) return true;
  }
  return false;
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

namespace {

// Records every word the TermGenerator meets, in order, and calls it a stop word so that nothing
// is added to the document: Xapian's tokeniser without the cost of building postings.
class WordRecorder : public Xapian::Stopper {
 public:
  explicit WordRecorder(std::vector<std::string>* words) : words_(words) {}
  bool operator()(const std::string& word) const override {
    words_->push_back(word);
    return true;
  }

 private:
  std::vector<std::string>* words_;
};

// English (or another Snowball) stems of recent words, per thread: Xapian::Stem is not
// thread-safe, and most words of a corpus recur, so a cache saves most of the stemming.
class StemCache {
 public:
  const std::string& Stem(const std::string& language, const std::string& word) {
    if (language != language_) {
      stemmer_ = Xapian::Stem(language);
      language_ = language;
      stems_.clear();
    }
    auto found = stems_.find(word);
    if (found != stems_.end()) return found->second;
    if (stems_.size() >= kMaxEntries) stems_.clear();
    return stems_.emplace(word, stemmer_(word)).first->second;
  }

 private:
  static constexpr std::size_t kMaxEntries = 1 << 17;
  std::string language_;
  Xapian::Stem stemmer_;
  std::unordered_map<std::string, std::string> stems_;
};

// The stemmer a TermGenerator uses: Snowball behind a cache of the words it has stemmed. Each
// TermGenerator gets its own (one thread each).
class CachingStemmer : public Xapian::StemImplementation {
 public:
  explicit CachingStemmer(std::string language) : language_(std::move(language)) {}
  std::string operator()(const std::string& word) override { return cache_.Stem(language_, word); }
  std::string get_description() const override { return "caching " + language_; }

 private:
  std::string language_;
  StemCache cache_;
};

}  // namespace

std::string Analyzer::NormalizeQuery(std::string_view query) const {
  // Boolean operators are upper-case words; case folding would turn them into search terms,
  // so they pass through unchanged and only the text between them is normalised.
  std::string out;
  std::size_t segment = 0;
  for (std::size_t i = 0; i < query.size();) {
    if (!IsAsciiLetter(query[i]) || (i > 0 && IsAsciiLetter(query[i - 1]))) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < query.size() && IsAsciiLetter(query[end])) ++end;
    const bool bounded = end == query.size() || !(static_cast<unsigned char>(query[end]) & 0x80);
    if (bounded && IsOperatorWord(query.substr(i, end - i))) {
      out += Normalize(query.substr(segment, i - segment));
      out += query.substr(i, end - i);
      segment = end;
    }
    i = end;
  }
  out += Normalize(query.substr(segment));
  // Typographic double quotes (pasted from a word processor) are quotes: Xapian's parser reads
  // them so, and Dyad's own reading of the query (QueryBuilder's field values) needs one form.
  static constexpr std::string_view kOpen = "\u201c", kClose = "\u201d";
  if (out.find(kOpen) == std::string::npos && out.find(kClose) == std::string::npos) return out;
  std::string quoted;
  quoted.reserve(out.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::string_view rest = std::string_view(out).substr(i);
    if (rest.starts_with(kOpen) || rest.starts_with(kClose)) {
      quoted += '"';
      i += kOpen.size() - 1;
    } else {
      quoted += out[i];
    }
  }
  return quoted;
}

StatusOr<Analyzer> Analyzer::Create(const AnalyzerOptions& options) {
  if (CaseFoldingNormalizer() == nullptr || DisplayNormalizer() == nullptr) {
    return Internal("ICU normalisation data is missing; reinstall libicu72");
  }
  try {
    Xapian::Stem check(options.language);
  } catch (const Xapian::Error& e) {
    return InvalidArgument("unknown stemming language '" + options.language + "': " + e.get_msg());
  }
  std::string path = options.stopwords_path;
  if (path.empty()) {
    StatusOr<std::string> found = FindDataFile("stopwords/en.txt");
    if (!found.ok()) return found.status();
    path = *found;
  }
  StatusOr<std::vector<std::string>> words = ReadDataLines(path);
  if (!words.ok()) return words.status();
  return Analyzer(options.language, std::make_shared<const std::vector<std::string>>(
                                        SortedUnique(std::move(*words))));
}

std::string Analyzer::Normalize(std::string_view text) const {
  if (IsAscii(text)) return NormalizeAscii(text, true);
  return dyad::Normalize(text, CaseFoldingNormalizer());
}

std::string Analyzer::NormalizeForDisplay(std::string_view text) const {
  if (IsAscii(text)) return NormalizeAscii(text, false);
  return dyad::Normalize(text, DisplayNormalizer());
}

std::string Analyzer::NormalizeWithIcu(std::string_view text, bool case_fold) {
  return dyad::Normalize(text, case_fold ? CaseFoldingNormalizer() : DisplayNormalizer());
}

Xapian::Stem Analyzer::MakeStemmer() const { return Xapian::Stem(new CachingStemmer(language_)); }

void Analyzer::ConfigureTermGenerator(Xapian::TermGenerator& generator) const {
  generator.set_stemmer(MakeStemmer());
  generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
}

void Analyzer::ConfigureQueryParser(Xapian::QueryParser& parser) const {
  parser.set_stemmer(MakeStemmer());
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  // Each parser owns its stopper: Xapian's reference counts are not atomic, so a stopper shared
  // between threads would race.
  parser.set_stopper(
      (new Xapian::SimpleStopper(stopwords_->begin(), stopwords_->end()))->release());
  parser.set_default_op(Xapian::Query::OP_OR);
  for (const schema::TextField& field : schema::kTextFields) {
    parser.add_prefix(field.name, field.prefix);
  }
  for (const schema::BooleanField& field : schema::kBooleanFields) {
    parser.add_boolean_prefix(field.name, field.prefix);
  }
}

std::unique_ptr<Xapian::Stopper> Analyzer::MakeStopper() const {
  return std::make_unique<Xapian::SimpleStopper>(stopwords_->begin(), stopwords_->end());
}

bool Analyzer::IsStopWord(std::string_view word) const {
  return std::binary_search(stopwords_->begin(), stopwords_->end(), word);
}

void Analyzer::IndexText(Xapian::TermGenerator& generator, std::string_view text,
                         Xapian::termcount wdf_inc, std::string_view prefix) const {
  if (text.empty()) return;
  generator.index_text(Normalize(text), wdf_inc, std::string(prefix));
  generator.increase_termpos(100);
}

StatusOr<Xapian::Query> Analyzer::ParseQuery(Xapian::QueryParser& parser, std::string_view query,
                                             unsigned flags, const QueryRewrite& rewrite) const {
  std::string normalized = NormalizeQuery(query);
  if (rewrite) {
    StatusOr<std::string> rewritten = rewrite(std::move(normalized));
    if (!rewritten.ok()) return rewritten.status();
    normalized = std::move(*rewritten);
  }
  try {
    return parser.parse_query(normalized, flags);
  } catch (const Xapian::QueryParserError& e) {
    return InvalidArgument("cannot parse query '" + std::string(query) + "': " + e.get_msg());
  } catch (const Xapian::Error& e) {
    return InvalidArgument("cannot parse query '" + std::string(query) +
                           "': " + e.get_description());
  }
}

std::vector<std::string> Analyzer::Words(std::string_view text) const {
  const std::string normalized = Normalize(text);
  if (IsAscii(normalized)) {
    // Only CJK text yields n-grams, which have no positions and are left out below; ASCII text
    // has none, so every word the tokeniser meets is one of the positional terms.
    std::vector<std::string> words;
    WordRecorder recorder(&words);
    Xapian::TermGenerator generator;
    generator.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
    generator.set_stopper(&recorder);
    generator.set_stopper_strategy(Xapian::TermGenerator::STOP_ALL);
    generator.index_text(normalized);
    return words;
  }
  Xapian::TermGenerator generator;
  generator.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
  generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
  Xapian::Document document;
  generator.set_document(document);
  generator.index_text(normalized);
  std::vector<std::pair<Xapian::termpos, std::string>> positioned;
  for (Xapian::TermIterator term = document.termlist_begin(); term != document.termlist_end();
       ++term) {
    for (Xapian::PositionIterator pos = term.positionlist_begin(); pos != term.positionlist_end();
         ++pos) {
      positioned.emplace_back(*pos, *term);
    }
  }
  std::sort(positioned.begin(), positioned.end());
  std::vector<std::string> words;
  words.reserve(positioned.size());
  for (auto& [pos, word] : positioned) words.push_back(std::move(word));
  return words;
}

std::vector<std::string> Analyzer::Stems(std::string_view text) const {
  std::vector<std::string> words = Words(text);
  StemWords(words);
  return words;
}

void Analyzer::StemWords(std::vector<std::string>& words) const {
  thread_local StemCache cache;
  for (std::string& word : words) word = cache.Stem(language_, word);
}

std::vector<std::string> Analyzer::IndexTerms(std::string_view text) const {
  Xapian::TermGenerator generator;
  ConfigureTermGenerator(generator);
  Xapian::Document document;
  generator.set_document(document);
  IndexText(generator, text);
  std::vector<std::string> terms(document.termlist_begin(), document.termlist_end());
  return SortedUnique(std::move(terms));
}

StatusOr<std::vector<std::string>> Analyzer::QueryTerms(std::string_view text) const {
  Xapian::QueryParser parser;
  ConfigureQueryParser(parser);
  StatusOr<Xapian::Query> query = ParseQuery(parser, text);
  if (!query.ok()) return query.status();
  std::vector<std::string> terms(query->get_unique_terms_begin(), query->get_unique_terms_end());
  return SortedUnique(std::move(terms));
}

}  // namespace dyad
