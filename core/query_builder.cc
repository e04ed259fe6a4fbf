#include "core/query_builder.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

#include "core/schema.h"

namespace dyad {
namespace {

[[noreturn]] void Reject(const std::string& message) { throw Xapian::QueryParserError(message); }

// The value or, in a range processor, a QueryParserError with the status's message.
template <typename T>
T OrReject(StatusOr<T> value) {
  if (!value.ok()) Reject(value.status().message());
  return std::move(*value);
}

// A field processor must not throw: Xapian 1.4's parser leaks a node when a FieldProcessor's
// exception unwinds through it (LeakSanitizer shows it). Field processors record their error
// here and return MatchNothing; QueryBuilder::Parse turns a recorded error into the Status.
// One parse runs on one thread from start to end, so a thread-local slot is enough.
thread_local std::string t_field_error;

// What a field processor returns for "no article": never an empty Xapian::Query, on which
// Xapian 1.4.22's parser dereferences a null pointer when it is all of a hated bracket after
// another hated term (-x -(-country:atlantis), -x -(-zzq*); found by query_fuzz).
Xapian::Query NoArticle() { return Xapian::Query(schema::kTermNoArticle); }

Xapian::Query RecordError(const std::string& message) {
  if (t_field_error.empty()) t_field_error = message;
  return NoArticle();
}

Xapian::Query TermOrRecord(StatusOr<std::string> term) {
  if (!term.ok()) return RecordError(term.status().message());
  return Xapian::Query(*term);
}

// Xapian 1.4.22's QueryParser never calls the FieldProcessor of a free-text field (country: and
// the wildcard fields) for a phrase: a quoted value (country:"united states") or one that
// punctuation makes a phrase (country:guinea-bissau, wildcard:a.b) is dropped without a word,
// and after another + or - term (peace -war -country:"united states") the parser dereferences
// a null query and the process dies. So each such value reaches Xapian as one plain word, the
// marker '_' and the value's bytes in hex, which the field processors decode.
constexpr char kEncodedValueMark = '_';

bool IsPlainWordByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::string EncodeFieldValue(std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(1, kEncodedValueMark);
  for (const char c : value) {
    out += kHex[static_cast<unsigned char>(c) >> 4];
    out += kHex[static_cast<unsigned char>(c) & 0xf];
  }
  return out;
}

// The value EncodeFieldValue encoded, or `value` itself when it is not such an encoding.
std::string DecodeFieldValue(const std::string& value) {
  if (value.size() < 3 || value[0] != kEncodedValueMark || value.size() % 2 == 0) return value;
  const auto nibble = [](char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  };
  std::string out;
  for (std::size_t i = 1; i < value.size(); i += 2) {
    const int high = nibble(value[i]), low = nibble(value[i + 1]);
    if (high < 0 || low < 0) return value;
    out += static_cast<char>(high * 16 + low);
  }
  return out;
}

// The terms of knowledge values, shared by the query syntax and the request filters.
StatusOr<std::string> CountryTerm(const CountryRecognizer& countries, std::string_view value) {
  const std::optional<std::string> code = countries.Lookup(value);
  if (!code) {
    return InvalidArgument("unknown country '" + std::string(value) +
                           "': use an ISO code (PK) or a name");
  }
  return schema::BooleanTerm(schema::kPrefixCountry, *code);
}

StatusOr<std::string> PairTerm(const CountryRecognizer& countries, std::string_view value) {
  // "pk-ru", "pakistan-russia", "pakistan/russia", "pakistan,russia".
  const std::string text(value);
  const std::size_t cut = text.find_first_of("-/,");
  if (cut == std::string::npos || cut == 0 || cut + 1 == text.size()) {
    return InvalidArgument("pair:'" + text + "' is not two countries joined by '-' (pair:PK-RU)");
  }
  const auto a = countries.Lookup(text.substr(0, cut));
  const auto b = countries.Lookup(text.substr(cut + 1));
  if (!a || !b || *a == *b)
    return InvalidArgument("pair:'" + text + "' does not name two countries");
  return schema::BooleanTerm(schema::kPrefixDyad, DyadOf(*a, *b));
}

StatusOr<std::string> ThemeTerm(const ThemeMatcher& themes, std::string_view value) {
  const std::string id(value);
  if (!themes.Has(id)) {
    std::string known;
    for (const v1::Theme& t : themes.taxonomy().themes()) known += " " + t.id();
    return InvalidArgument("unknown theme '" + id + "'; themes:" + known);
  }
  return schema::BooleanTerm(schema::kPrefixTheme, id);
}

StatusOr<std::string> EraTerm(const PeriodRecognizer& periods, std::string_view value) {
  const std::string id(value);
  if (!periods.HasEra(id)) {
    std::string known;
    for (const v1::Era& e : periods.catalog().eras()) known += " " + e.id();
    return InvalidArgument("unknown era '" + id + "'; eras:" + known);
  }
  return schema::BooleanTerm(schema::kPrefixEra, id);
}

StatusOr<std::string> DecadeTerm(std::string_view value) {
  const bool ok = value.size() == 5 && value[4] == 's' && value[3] == '0' &&
                  std::all_of(value.begin(), value.begin() + 4, ::isdigit);
  if (!ok)
    return InvalidArgument("decade:'" + std::string(value) + "' is not a decade such as 1980s");
  return schema::BooleanTerm(schema::kPrefixDecade, value);
}

// "1922_1991", "to_1921_or_from_1992": the periods of a country:CODE_PERIODS value (made of
// word characters only, so that the query parser passes it whole to the field processor).
StatusOr<std::vector<NamePeriod>> ParsePeriods(std::string_view text) {
  std::vector<std::string_view> words;
  for (std::size_t at = 0;;) {
    const std::size_t cut = text.find('_', at);
    words.push_back(text.substr(at, cut == std::string_view::npos ? cut : cut - at));
    if (cut == std::string_view::npos) break;
    at = cut + 1;
  }
  const auto bad = [&] {
    return InvalidArgument(
        "country period '" + std::string(text) +
        "' is not periods such as 1922_1991, to_1921 or from_1992 joined by _or_");
  };
  const auto year = [](std::string_view s, int* out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    return s.size() == 4 && ec == std::errc() && p == s.data() + s.size();
  };
  std::vector<NamePeriod> periods;
  for (std::size_t i = 0; i < words.size();) {
    if (!periods.empty() && (words[i++] != "or" || i == words.size())) return bad();
    if (i + 1 >= words.size()) return bad();
    NamePeriod period;
    const bool ok = words[i] == "from" ? year(words[i + 1], &period.from)
                    : words[i] == "to"
                        ? year(words[i + 1], &period.to)
                        : year(words[i], &period.from) && year(words[i + 1], &period.to);
    if (!ok || period.from > period.to) return bad();
    periods.push_back(period);
    i += 2;
  }
  return periods;
}

// The expansion's form of periods: "1922_1991", "to_1921_or_from_1992".
std::string PeriodsText(const std::vector<NamePeriod>& periods) {
  std::string out;
  for (const NamePeriod& p : periods) {
    if (!out.empty()) out += "_or_";
    if (p.from == NamePeriod::kOpenFrom) {
      out += "to_" + std::to_string(p.to);
    } else if (p.to == NamePeriod::kOpenTo) {
      out += "from_" + std::to_string(p.from);
    } else {
      out += std::to_string(p.from) + "_" + std::to_string(p.to);
    }
  }
  return out;
}

// What "_1922_1991" adds to a country term: the article's discussed period overlaps one of the
// periods, or is unknown (no years and no date: nothing says it is from another time).
Xapian::Query PeriodsOrUnknown(const std::vector<NamePeriod>& periods) {
  std::vector<Xapian::Query> any;
  for (const NamePeriod& p : periods) any.push_back(*PeriodOverlapQuery(p.from, p.to));
  // Every non-empty value is >= "\0"; an empty limit would match every document.
  any.emplace_back(
      Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll,
      Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kSlotPeriodStart, std::string(1, '\0')));
  return Xapian::Query(Xapian::Query::OP_OR, any.begin(), any.end());
}

// country:NAME, and country:NAME_PERIODS (what Expand writes for a period-bound name).
class CountryField : public Xapian::FieldProcessor {
 public:
  explicit CountryField(const CountryRecognizer& countries) : countries_(countries) {}
  Xapian::Query operator()(const std::string& raw) override {
    const std::string value = DecodeFieldValue(raw);
    const std::size_t at = value.find('_');
    if (at == std::string::npos) return TermOrRecord(CountryTerm(countries_, value));
    StatusOr<std::string> term = CountryTerm(countries_, value.substr(0, at));
    if (!term.ok()) return RecordError(term.status().message());
    StatusOr<std::vector<NamePeriod>> periods =
        ParsePeriods(std::string_view(value).substr(at + 1));
    if (!periods.ok()) return RecordError(periods.status().message());
    return Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(*term),
                         PeriodsOrUnknown(*periods));
  }

 private:
  const CountryRecognizer& countries_;
};

class PairField : public Xapian::FieldProcessor {
 public:
  explicit PairField(const CountryRecognizer& countries) : countries_(countries) {}
  Xapian::Query operator()(const std::string& value) override {
    return TermOrRecord(PairTerm(countries_, value));
  }

 private:
  const CountryRecognizer& countries_;
};

class ThemeField : public Xapian::FieldProcessor {
 public:
  explicit ThemeField(const ThemeMatcher& themes) : themes_(themes) {}
  Xapian::Query operator()(const std::string& value) override {
    return TermOrRecord(ThemeTerm(themes_, value));
  }

 private:
  const ThemeMatcher& themes_;
};

class EraField : public Xapian::FieldProcessor {
 public:
  explicit EraField(const PeriodRecognizer& periods) : periods_(periods) {}
  Xapian::Query operator()(const std::string& value) override {
    return TermOrRecord(EraTerm(periods_, value));
  }

 private:
  const PeriodRecognizer& periods_;
};

class DecadeField : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string& value) override {
    return TermOrRecord(DecadeTerm(value));
  }
};

// "wildcard:treat" and "wildcardtitle:treat", which Expand writes for treat* and title:treat*:
// the terms of the whole database that start with the pattern (under the field's prefix), as one
// OP_SYNONYM. Xapian's own OP_WILDCARD expands on each shard separately and then weighs the
// synonym with that shard's statistics, so a sharded index would rank differently from one
// index; expanded here against every shard at once, all layouts give the same scores.
class WildcardField : public Xapian::FieldProcessor {
 public:
  WildcardField(std::shared_ptr<const QueryBuilder::WildcardState> state, std::string prefix)
      : state_(std::move(state)), prefix_(std::move(prefix)) {}
  Xapian::Query operator()(const std::string& raw) override {
    if (!state_->database) return RecordError("wildcards need an index to expand against");
    const std::string pattern = DecodeFieldValue(raw);
    const std::string start = prefix_ + pattern;
    std::vector<std::string> terms;
    const Xapian::Database& db = *state_->database;
    for (Xapian::TermIterator t = db.allterms_begin(start); t != db.allterms_end(start); ++t) {
      if (state_->limit != 0 && terms.size() == state_->limit) {
        return RecordError("wildcard '" + pattern + "*' matches more than " +
                           std::to_string(state_->limit) +
                           " words (the limit per wildcard): make it longer");
      }
      terms.push_back(*t);
    }
    if (terms.empty()) return NoArticle();
    return Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
  }

 private:
  std::shared_ptr<const QueryBuilder::WildcardState> state_;
  std::string prefix_;
};

constexpr char kWildcardField[] = "wildcard";

// Rewrites each WORD* outside quotes as wildcard:WORD, and FIELD:WORD* for a free-text field
// (title:, author: ...) as wildcardFIELD:WORD: the fields WildcardField expands. Other FIELD:
// values are left alone.
std::string MarkWildcards(std::string_view query) {
  std::string out;
  bool quoted = false;
  std::size_t token = 0;  // Where the current token starts in `out`.
  for (std::size_t i = 0; i < query.size(); ++i) {
    const char c = query[i];
    if (c == '"') quoted = !quoted;
    const bool ends_token = i + 1 == query.size() || query[i + 1] == ' ' || query[i + 1] == ')';
    if (c == '*' && !quoted && ends_token && out.size() > token) {
      std::size_t begin = token;
      while (begin < out.size() && (out[begin] == '+' || out[begin] == '-')) ++begin;
      const std::size_t colon = out.find(':', begin);
      if (colon == std::string::npos && begin < out.size()) {
        out.insert(begin, std::string(kWildcardField) + ":");
        continue;  // The '*' is dropped.
      }
      if (colon != std::string::npos && colon + 1 < out.size()) {
        const std::string field = out.substr(begin, colon - begin);
        const bool text_field =
            std::any_of(std::begin(schema::kTextFields), std::end(schema::kTextFields),
                        [&](const schema::TextField& f) { return field == f.name; });
        if (text_field) {
          out.insert(begin, kWildcardField);
          continue;
        }
      }
    }
    out += c;
    if (c == ' ' || c == '(' || c == ')' || c == '"') token = out.size();
  }
  return out;
}

// Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" into a YYYYMMDD number; the missing parts are the
// first (or, for an upper bound, the last) month and day.
std::optional<double> DateBound(std::string_view text, bool upper) {
  int year = 0, month = upper ? 12 : 1, day = upper ? 31 : 1;
  const auto number = [&](std::size_t from, std::size_t n, int* out) {
    if (text.size() < from + n) return false;
    auto [end, ec] = std::from_chars(text.data() + from, text.data() + from + n, *out);
    return ec == std::errc() && end == text.data() + from + n;
  };
  if (!number(0, 4, &year)) return std::nullopt;
  if (text.size() == 4) return year * 10000.0 + month * 100 + day;
  if (text.size() >= 7 && text[4] == '-' && number(5, 2, &month)) {
    if (text.size() == 7) return year * 10000.0 + month * 100 + (upper ? 31 : 1);
    if (text.size() == 10 && text[7] == '-' && number(8, 2, &day)) {
      return year * 10000.0 + month * 100 + day;
    }
  }
  return std::nullopt;
}

// "1947..1991": the discussed period overlaps [1947, 1991].
class PeriodRange : public Xapian::RangeProcessor {
 public:
  PeriodRange() : Xapian::RangeProcessor(schema::kSlotPeriodStart) {}
  Xapian::Query operator()(const std::string& begin, const std::string& end) override {
    const auto year = [](const std::string& s, int* out) {
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
      return s.size() == 4 && ec == std::errc() && p == s.data() + s.size();
    };
    int from = 0, to = 9999;
    if ((!begin.empty() && !year(begin, &from)) || (!end.empty() && !year(end, &to))) {
      return Xapian::Query(Xapian::Query::OP_INVALID);  // Not years: not ours.
    }
    return OrReject(PeriodOverlapQuery(from, to));
  }
};

class PublishedRange : public Xapian::RangeProcessor {
 public:
  PublishedRange() : Xapian::RangeProcessor(schema::kSlotPublished, "published:") {}
  Xapian::Query operator()(const std::string& begin, const std::string& end) override {
    return OrReject(PublishedRangeQuery(begin, end));
  }
};

// Splits text into alternating runs of word bytes (ASCII letters and digits, and every byte of a
// multi-byte UTF-8 character) and of other bytes.
std::vector<std::string_view> WordRuns(std::string_view text) {
  const auto is_word = [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x80 || std::isalnum(byte) != 0;
  };
  std::vector<std::string_view> runs;
  std::size_t start = 0;
  for (std::size_t i = 1; i <= text.size(); ++i) {
    if (i == text.size() || is_word(text[i]) != is_word(text[start])) {
      runs.push_back(text.substr(start, i - start));
      start = i;
    }
  }
  return runs;
}

// Xapian 1.4's QueryParser offers a correction for every word that has a more frequent
// neighbour in the spelling table, even a word the index holds ("nuclear" became "clear"). A
// correction is kept only for words that no article contains; `corrected` is Xapian's
// suggestion for `normalized` (the query as the parser read it). Returns "" when nothing is left
// to correct.
std::string KeepIndexedWords(std::string_view normalized, const std::string& corrected,
                             const Xapian::Database& database) {
  const std::vector<std::string_view> before = WordRuns(normalized);
  const std::vector<std::string_view> after = WordRuns(corrected);
  if (before.size() != after.size()) return corrected;  // Not word for word: Xapian's stands.
  std::string kept;
  bool changed = false;
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (before[i] != after[i] && !database.term_exists(std::string(before[i]))) {
      kept += after[i];
      changed = true;
    } else {
      kept += before[i];
    }
  }
  return changed ? kept : "";
}

}  // namespace

StatusOr<Xapian::Query> PeriodOverlapQuery(int from, int to) {
  if (from > to) {
    return InvalidArgument("period " + std::to_string(from) + ".." + std::to_string(to) +
                           " ends before it starts");
  }
  return Xapian::Query(Xapian::Query::OP_AND,
                       Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::kSlotPeriodStart,
                                     Xapian::sortable_serialise(to)),
                       Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kSlotPeriodEnd,
                                     Xapian::sortable_serialise(from)));
}

StatusOr<Xapian::Query> PublishedRangeQuery(std::string_view begin, std::string_view end) {
  const std::optional<double> from = begin.empty() ? 0.0 : DateBound(begin, false);
  const std::optional<double> to = end.empty() ? 99991231.0 : DateBound(end, true);
  if (!from || !to) {
    return InvalidArgument("published:" + std::string(begin) + ".." + std::string(end) +
                           " needs YYYY[-MM[-DD]] dates");
  }
  if (*from > *to) {
    return InvalidArgument("published:" + std::string(begin) + ".." + std::string(end) +
                           " ends before it starts");
  }
  return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotPublished,
                       Xapian::sortable_serialise(*from), Xapian::sortable_serialise(*to));
}

QueryBuilder::QueryBuilder(const Enricher& enricher)
    : enricher_(enricher),
      wildcards_(std::make_shared<WildcardState>()),
      stopper_(enricher.analyzer().MakeStopper()) {
  enricher_.analyzer().ConfigureQueryParser(parser_);
  parser_.set_stopper(stopper_.get());
  // Country names are free-text fields (their terms carry mention counts), the rest filters.
  parser_.add_prefix("country", (new CountryField(enricher_.countries()))->release());
  processor_fields_.push_back("country");
  parser_.add_boolean_prefix("pair", (new PairField(enricher_.countries()))->release());
  parser_.add_boolean_prefix("theme", (new ThemeField(enricher_.themes()))->release());
  parser_.add_boolean_prefix("era", (new EraField(enricher_.periods()))->release());
  parser_.add_boolean_prefix("decade", (new DecadeField())->release());
  parser_.add_prefix(kWildcardField, (new WildcardField(wildcards_, ""))->release());
  processor_fields_.push_back(kWildcardField);
  for (const schema::TextField& field : schema::kTextFields) {
    parser_.add_prefix(std::string(kWildcardField) + field.name,
                       (new WildcardField(wildcards_, field.prefix))->release());
    processor_fields_.push_back(std::string(kWildcardField) + field.name);
  }
  parser_.add_rangeprocessor((new PublishedRange())->release());
  parser_.add_rangeprocessor((new PeriodRange())->release());
}

std::string QueryBuilder::Expand(std::string_view raw_query) const {
  const std::string marked = MarkWildcards(raw_query);
  const std::string_view query = marked;
  // Spans not to touch: quoted phrases and field:value tokens.
  std::vector<std::pair<std::size_t, std::size_t>> protect;
  for (std::size_t i = 0; i < query.size(); ++i) {
    if (query[i] == '"') {
      const std::size_t close = query.find('"', i + 1);
      const std::size_t end = close == std::string_view::npos ? query.size() : close + 1;
      protect.emplace_back(i, end);
      i = end;
    } else if (query[i] == ':') {
      std::size_t begin = i;
      while (begin > 0 && query[begin - 1] != ' ' && query[begin - 1] != '(') --begin;
      std::size_t end = i + 1;
      if (end < query.size() && query[end] == '"') {
        const std::size_t close = query.find('"', end + 1);
        end = close == std::string_view::npos ? query.size() : close + 1;
      } else {
        while (end < query.size() && query[end] != ' ' && query[end] != ')') ++end;
      }
      protect.emplace_back(begin, end);
      i = end;
    }
  }
  const auto is_protected = [&](std::size_t begin, std::size_t end) {
    for (const auto& [b, e] : protect) {
      if (begin < e && end > b) return true;
    }
    return false;
  };
  // Each mention, or each compound ("Pak-Russia") as a whole, gets its country terms as an
  // alternative: "(Pakistan OR country:PK)", "(Pak-Russia OR (country:PK AND country:RU))"; a
  // name bound to periods (name_periods.tsv) only for articles of those periods:
  // "(USSR OR country:RU_1922_1991)".
  const std::vector<CountryMention> mentions = enricher_.countries().Find(query);
  std::string out;
  std::size_t copied = 0;
  for (std::size_t i = 0; i < mentions.size();) {
    std::size_t j = i + 1;
    while (j < mentions.size() && mentions[i].compound != 0 &&
           mentions[j].compound == mentions[i].compound) {
      ++j;
    }
    const std::size_t begin = mentions[i].begin;
    const std::size_t end = mentions[j - 1].end;
    if (begin >= copied && !is_protected(begin, end)) {
      std::string countries;
      for (std::size_t k = i; k < j; ++k) {
        const CountryMention& m = mentions[k];
        countries.append(k > i ? " AND country:" : "country:").append(m.code);
        const std::vector<NamePeriod> periods =
            enricher_.countries().NamePeriods(query.substr(m.begin, m.end - m.begin));
        if (!periods.empty()) countries.append("_").append(PeriodsText(periods));
      }
      if (j - i > 1) countries = "(" + countries + ")";
      out.append(query.substr(copied, begin - copied))
          .append("(")
          .append(query.substr(begin, end - begin))
          .append(" OR ")
          .append(countries)
          .append(")");
      copied = end;
    }
    i = j;
  }
  out.append(query.substr(copied));
  return out;
}

// Where Xapian could read FIELD: as a field prefix (FIELD preceded by something that is not
// an ASCII word character: conservative, as Xapian's own test is Unicode's), each value of a
// processor field becomes one plain word: left alone when it is one already, encoded
// (EncodeFieldValue) when it is quoted ("..." up to the next quote) or holds anything but ASCII
// letters, digits and '_' (up to the next space or ')'). Phrases are not read inside quotes.
// Then, as a guard, every FIELD: of those fields, quoted or not, must be followed by a plain
// word, nothing or a space; anything else (country:(PK OR IN)) is InvalidArgument.
StatusOr<std::string> QueryBuilder::ProtectFieldValues(
    std::string_view query, std::string normalized,
    std::vector<std::pair<std::string, std::string>>* encoded) const {
  const auto field_at = [&](std::string_view text, std::size_t i) -> std::size_t {
    if (i > 0 && IsPlainWordByte(text[i - 1])) return 0;
    for (const std::string& field : processor_fields_) {
      if (text.substr(i, field.size()) == field && text.substr(i + field.size(), 1) == ":") {
        return field.size() + 1;
      }
    }
    return 0;
  };
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  std::string out;
  bool quoted = false;
  for (std::size_t i = 0; i < normalized.size();) {
    const std::size_t prefix = quoted ? 0 : field_at(normalized, i);
    if (prefix == 0) {
      if (normalized[i] == '"') quoted = !quoted;
      out += normalized[i++];
      continue;
    }
    out.append(normalized, i, prefix);
    i += prefix;
    std::size_t end = i;
    if (end < normalized.size() && normalized[end] == '"') {
      const std::size_t close = normalized.find('"', end + 1);
      end = close == std::string::npos ? normalized.size() : close + 1;
    } else {
      while (end < normalized.size() && !is_space(normalized[end]) && normalized[end] != ')' &&
             normalized[end] != '(') {
        ++end;
      }
    }
    const std::string_view value = std::string_view(normalized).substr(i, end - i);
    if (!value.empty() && !std::all_of(value.begin(), value.end(), IsPlainWordByte)) {
      std::string_view inner = value;
      if (inner.front() == '"') {
        inner.remove_prefix(1);
        if (!inner.empty() && inner.back() == '"') inner.remove_suffix(1);
      }
      const std::string code = EncodeFieldValue(inner);
      if (encoded != nullptr) encoded->emplace_back(code, std::string(value));
      out += code;
    } else {
      out += value;
    }
    i = end;
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::size_t prefix = field_at(out, i);
    if (prefix == 0) continue;
    const std::size_t begin = i + prefix;
    std::size_t end = begin;
    while (end < out.size() && IsPlainWordByte(out[end])) ++end;
    const bool ends = end == out.size() || is_space(out[end]) || out[end] == ')';
    if (!ends) {
      const std::string field = out.substr(i, prefix - 1);
      return InvalidArgument("cannot parse query '" + std::string(query) + "': " + field +
                             ": takes one value (a word or a \"quoted name\"); write (" + field +
                             ":A OR " + field + ":B) for several");
    }
  }
  return out;
}

void QueryBuilder::SetDatabase(const Xapian::Database& database) {
  parser_.set_database(database);
  wildcards_->database = database;
}

void QueryBuilder::SetMaxWildcardExpansion(Xapian::termcount limit) { wildcards_->limit = limit; }

StatusOr<Xapian::Query> QueryBuilder::Parse(std::string_view query, const ParseOptions& options) {
  t_field_error.clear();
  parser_.set_stopper(options.stopwords ? stopper_.get() : nullptr);
  StatusOr<Xapian::Query> parsed = enricher_.analyzer().ParseQuery(
      parser_, options.expand_countries ? Expand(query) : MarkWildcards(query), kFlags,
      [&](std::string normalized) {
        return ProtectFieldValues(query, std::move(normalized), nullptr);
      });
  if (!t_field_error.empty()) {
    const std::string message = std::move(t_field_error);
    t_field_error.clear();
    return InvalidArgument("cannot parse query '" + std::string(query) + "': " + message);
  }
  return parsed;
}

std::string QueryBuilder::CorrectedQuery(std::string_view query) {
  // Parsed without country expansion, so the correction reads like what the user typed.
  t_field_error.clear();
  parser_.set_stopper(stopper_.get());
  std::vector<std::pair<std::string, std::string>> encoded;
  StatusOr<Xapian::Query> parsed = enricher_.analyzer().ParseQuery(
      parser_, query, kFlags | Xapian::QueryParser::FLAG_SPELLING_CORRECTION,
      [&](std::string normalized) {
        return ProtectFieldValues(query, std::move(normalized), &encoded);
      });
  const bool field_error = !t_field_error.empty();
  t_field_error.clear();
  if (!parsed.ok() || field_error) return "";
  try {
    std::string corrected = parser_.get_corrected_query_string();
    // Spelling correction leaves field values alone: put back what the user wrote.
    for (const auto& [code, original] : encoded) {
      const std::size_t at = corrected.find(code);
      if (at != std::string::npos) corrected.replace(at, code.size(), original);
    }
    if (corrected.empty() || !wildcards_->database) return corrected;
    return KeepIndexedWords(enricher_.analyzer().NormalizeQuery(query), corrected,
                            *wildcards_->database);
  } catch (const Xapian::Error&) {
    return "";  // A backend without a spelling table (remote shards): no suggestion.
  }
}

StatusOr<Xapian::Query> QueryBuilder::Filter(const v1::Filters& filters) const {
  std::vector<Xapian::Query> all;  // ANDed.
  // OR of the terms of one field; the first error wins.
  Status error;
  const auto any_of = [&](const auto& values, auto term_of) {
    if (values.empty()) return;
    std::vector<Xapian::Query> terms;
    for (const std::string& value : values) {
      StatusOr<std::string> term = term_of(value);
      if (!term.ok()) {
        if (error.ok()) error = term.status();
        return;
      }
      terms.emplace_back(*term);
    }
    all.emplace_back(Xapian::Query::OP_OR, terms.begin(), terms.end());
  };
  const CountryRecognizer& countries = enricher_.countries();
  if (filters.country_match() == v1::COUNTRY_MATCH_ALL) {
    for (const std::string& value : filters.countries()) {
      StatusOr<std::string> term = CountryTerm(countries, value);
      if (!term.ok()) return term.status();
      all.emplace_back(*term);
    }
  } else {
    any_of(filters.countries(), [&](const std::string& v) { return CountryTerm(countries, v); });
  }
  any_of(filters.dyads(), [&](const std::string& v) { return PairTerm(countries, v); });
  any_of(filters.themes(), [&](const std::string& v) { return ThemeTerm(enricher_.themes(), v); });
  any_of(filters.eras(), [&](const std::string& v) { return EraTerm(enricher_.periods(), v); });
  any_of(filters.sources(), [](const std::string& v) -> StatusOr<std::string> {
    return schema::BooleanTerm(schema::kPrefixSource, v);
  });
  any_of(filters.languages(), [](const std::string& v) -> StatusOr<std::string> {
    return schema::BooleanTerm(schema::kPrefixLanguage, v);
  });
  if (!error.ok()) return error;
  if (filters.has_period() && (filters.period().from() != 0 || filters.period().to() != 0)) {
    StatusOr<Xapian::Query> period = PeriodOverlapQuery(
        filters.period().from(), filters.period().to() == 0 ? 9999 : filters.period().to());
    if (!period.ok()) return period.status();
    all.push_back(std::move(*period));
  }
  if (!filters.published_from().empty() || !filters.published_to().empty()) {
    StatusOr<Xapian::Query> published =
        PublishedRangeQuery(filters.published_from(), filters.published_to());
    if (!published.ok()) return published.status();
    all.push_back(std::move(*published));
  }
  if (all.empty()) return Xapian::Query();
  return Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end());
}

}  // namespace dyad
