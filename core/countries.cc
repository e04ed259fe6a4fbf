#include "core/countries.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "core/data_files.h"

namespace dyad {
namespace {

using Kind = CountryMention::Kind;

// Kinds of alias beyond what a mention reports.
enum class AliasKind { kName, kShort, kDemonym, kCity, kHistorical, kCombining, kBlock };

constexpr const char* kDefaultIso31661 = "/usr/share/iso-codes/json/iso_3166-1.json";
constexpr const char* kDefaultIso31663 = "/usr/share/iso-codes/json/iso_3166-3.json";
constexpr const char* kDisplayLanguages[] = {"en", "ru", "fr", "es", "de", "ar", "ur", "zh"};

// Priorities: a name keeps the code of its highest-priority (lowest number) source. Two sources
// of the same priority that disagree make the name ambiguous, and it is dropped (for example
// "Virgin Islands" from "Virgin Islands, British" and "Virgin Islands, U.S.").
enum Priority { kCurated = 0, kIsoName = 1, kDisplayName = 2, kDerived = 3 };

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

// One token of a text: a run of letters and digits, one CJK character, or an abbreviation with
// dots ("U.S.").
struct Token {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::string norm;          // Case-folded, accents removed, final dot of abbreviations removed.
  bool joined_prev = false;  // Only a hyphen, en dash or slash separates it from the previous one.
  bool space_prev = false;   // Only spaces separate it from the previous token.
  bool first_upper = false;  // First letter is upper case.
  bool first_lower = false;  // First letter is lower case (scripts without case: neither).
  bool all_upper = false;    // Has upper-case letters and no lower-case ones.
};

bool IsAsciiAlnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool IsWordChar(UChar32 c) {
  if (c < 0x80) return IsAsciiAlnum(static_cast<unsigned char>(c));
  if (u_isalnum(c)) return true;
  const std::int8_t type = u_charType(c);
  return type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK;
}

// Scripts written without spaces between words: each character is a token.
bool IsCjk(UChar32 c) {
  if (c < 0x2e80) return false;
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &status);
  return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA;
}

bool IsApostrophe(UChar32 c) {
  return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02bc || c == 0xff07 || c == 0x00b4 ||
         c == '`';
}

bool IsJoiner(UChar32 c) {
  return c == '-' || c == '/' || c == 0x2010 || c == 0x2011 || c == 0x2012 || c == 0x2013 ||
         c == 0x2212;
}

// Folds one code point into `out`: lower case, and for Latin, Greek and Cyrillic letters without
// their accents, so "Pakistán" and "pakistan", "Curaçao" and "Curacao" meet.
void AppendFolded(UChar32 c, std::string* out) {
  if (c < 0x80) {
    *out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    return;
  }
  if (c >= 0x0300 && c <= 0x036f) return;  // Combining diacritical marks.
  c = u_foldCase(c, U_FOLD_CASE_DEFAULT);
  if (c < 0x0530 || (c >= 0x1e00 && c <= 0x1eff)) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    icu::UnicodeString decomposed;
    if (U_SUCCESS(status) && nfd->getDecomposition(c, decomposed) && decomposed.length() > 0) {
      c = decomposed.char32At(0);
    }
  }
  char buffer[4];
  std::int32_t length = 0;
  UBool error = false;
  U8_APPEND(buffer, length, 4, c, error);
  if (!error) out->append(buffer, static_cast<std::size_t>(length));
}

bool IsAsciiLetter(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// ICU's case classes, without the call for ASCII (where only A-Z are upper case, only a-z lower
// case, and nothing title case).
bool IsUpper(UChar32 c) { return c < 0x80 ? c >= 'A' && c <= 'Z' : u_isupper(c); }
bool IsLower(UChar32 c) { return c < 0x80 ? c >= 'a' && c <= 'z' : u_islower(c); }
bool IsTitle(UChar32 c) { return c >= 0x80 && u_istitle(c); }

// Splits `text` into tokens (see Token). Possessive 's and apostrophes are not part of tokens.
std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto length = static_cast<std::int32_t>(text.size());
  const auto next_code_point = [&](std::int32_t at, UChar32* c) {
    U8_NEXT(bytes, at, length, *c);
    return at;
  };
  // What lies between the previous token and the next one.
  bool spaces = false;
  int joiners = 0;
  bool other = false;
  std::int32_t i = 0;
  while (i < length) {
    UChar32 c;
    const std::int32_t start = i;
    i = next_code_point(i, &c);
    if (c < 0 || !IsWordChar(c)) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xa0) {
        spaces = true;
      } else if (c >= 0 && IsJoiner(c)) {
        ++joiners;
      } else {
        other = true;
      }
      continue;
    }
    Token token;
    token.begin = static_cast<std::uint32_t>(start);
    if (!tokens.empty()) {
      token.space_prev = spaces && joiners == 0 && !other;
      token.joined_prev = !spaces && joiners == 1 && !other;
    }
    spaces = false;
    joiners = 0;
    other = false;
    token.first_upper = IsUpper(c) || IsTitle(c);
    token.first_lower = IsLower(c);
    bool has_upper = token.first_upper, has_lower = token.first_lower;
    AppendFolded(c, &token.norm);
    std::int32_t end = i;
    if (IsCjk(c)) {
      token.end = static_cast<std::uint32_t>(end);
      tokens.push_back(std::move(token));
      continue;
    }
    std::int32_t letters = 1;
    while (end < length) {
      if (IsAsciiAlnum(bytes[end])) {  // The common case, without decoding nor ICU.
        const char b = static_cast<char>(bytes[end]);
        has_upper = has_upper || (b >= 'A' && b <= 'Z');
        has_lower = has_lower || (b >= 'a' && b <= 'z');
        token.norm += b >= 'A' && b <= 'Z' ? static_cast<char>(b + 32) : b;
        ++end;
        ++letters;
        continue;
      }
      UChar32 d;
      const std::int32_t after = next_code_point(end, &d);
      if (d >= 0 && IsWordChar(d) && !IsCjk(d)) {
        has_upper = has_upper || IsUpper(d);
        has_lower = has_lower || IsLower(d);
        AppendFolded(d, &token.norm);
        end = after;
        ++letters;
        continue;
      }
      if (d >= 0 && IsApostrophe(d) && after < length &&
          (bytes[after] == 's' || bytes[after] == 'S') &&
          (after + 1 >= length || !IsAsciiAlnum(bytes[after + 1]))) {
        i = after + 1;  // Possessive: "Pakistan's", "Pakistan’s" -> "pakistan".
      }
      break;
    }
    if (i < end) i = end;
    // Abbreviations with dots: "U.S.", "U.S.S.R.", "D.C." become one token ("u.s"); "W.Va." does
    // not (two letters after the dot) and stays "w", "va" in texts and aliases alike.
    if (letters == 1 && c < 0x80 && IsAsciiLetter(static_cast<unsigned char>(c))) {
      std::int32_t j = end;
      std::string norm = token.norm;
      int pairs = 0;
      while (j + 1 < length && bytes[j] == '.' && IsAsciiLetter(bytes[j + 1]) &&
             (j + 2 >= length || !IsAsciiAlnum(bytes[j + 2]))) {
        norm += '.';
        AppendFolded(bytes[j + 1], &norm);
        has_upper = has_upper || (bytes[j + 1] >= 'A' && bytes[j + 1] <= 'Z');
        has_lower = has_lower || (bytes[j + 1] >= 'a' && bytes[j + 1] <= 'z');
        j += 2;
        ++pairs;
      }
      if (pairs > 0) {
        if (j < length && bytes[j] == '.') ++j;  // The final dot belongs to the abbreviation.
        token.norm = std::move(norm);
        end = j;
        i = j;
      }
    }
    token.end = static_cast<std::uint32_t>(end);
    token.all_upper = has_upper && !has_lower;
    tokens.push_back(std::move(token));
  }
  return tokens;
}

// Normalised tokens of an alias, and the tokens as written.
struct AliasTokens {
  std::vector<std::string> norms;
  std::vector<std::string> written;
};

AliasTokens TokenizeAlias(std::string_view name) {
  AliasTokens out;
  for (Token& t : Tokenize(name)) {
    out.written.emplace_back(name.substr(t.begin, t.end - t.begin));
    out.norms.push_back(std::move(t.norm));
  }
  return out;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += ' ';
    out += p;
  }
  return out;
}

std::vector<std::string> SplitWords(std::string_view s) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < s.size()) {
    const std::size_t begin = s.find_first_not_of(" \t", at);
    if (begin == std::string_view::npos) break;
    const std::size_t end = s.find_first_of(" \t", begin);
    out.emplace_back(s.substr(begin, end == std::string_view::npos ? end : end - begin));
    at = end == std::string_view::npos ? s.size() : end;
  }
  return out;
}

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (true) {
    const std::size_t cut = line.find('\t', at);
    std::string field = line.substr(at, cut == std::string::npos ? cut : cut - at);
    while (!field.empty() && field.back() == ' ') field.pop_back();
    while (!field.empty() && field.front() == ' ') field.erase(0, 1);
    out.push_back(std::move(field));
    if (cut == std::string::npos) break;
    at = cut + 1;
  }
  return out;
}

// A context word: lower case matches the normalised token, anything else the token as written.
struct CueWord {
  std::string text;
  bool exact;
};

struct Rule {
  enum class Type {
    kRejectPrev,
    kRejectNext,
    kRejectPrevName,
    kRejectNextName,
    kAcceptWith,
    kRejectWith
  } type;
  std::vector<CueWord> words;
};

}  // namespace

struct CountryRecognizer::Tables {
  struct Alias {
    std::vector<std::string> norms;
    std::vector<std::string> written;
    std::string code;  // Empty for a blocked phrase.
    AliasKind kind = AliasKind::kName;
    bool exact_case = false;
    bool capitalised = false;
    bool dateline_only = false;
    int priority = kCurated;
    bool ambiguous = false;  // Claimed by two codes at the same priority; never matches.
    std::vector<Rule> rules;
  };
  std::vector<Alias> aliases;
  std::vector<Rule> global_rules;                // Context rules of every alias (NAME "*").
  StringMap<std::size_t> by_key;                 // Joined norms -> alias.
  StringMap<std::vector<std::size_t>> by_first;  // First norm -> aliases, longest first.
  StringMap<std::vector<NamePeriod>> periods;    // Joined norms -> name_periods.tsv periods.
  std::map<std::string, std::string, std::less<>> english;  // Code -> English name.
  std::map<std::string, std::string, std::less<>> alpha3;   // Lower-case alpha-3 -> alpha-2.
};

namespace {

using Tables = CountryRecognizer::Tables;

struct AliasSpec {
  std::string name;
  std::string code;
  AliasKind kind = AliasKind::kName;
  bool exact_case = false;
  bool capitalised = false;
  bool dateline_only = false;
  int priority = kCurated;
};

void AddAlias(const AliasSpec& spec, Tables* tables) {
  AliasTokens tokens = TokenizeAlias(spec.name);
  if (tokens.norms.empty()) return;
  const std::string key = Join(tokens.norms);
  if (auto found = tables->by_key.find(key); found != tables->by_key.end()) {
    Tables::Alias& existing = tables->aliases[found->second];
    if (existing.priority < spec.priority || existing.code == spec.code) return;
    if (existing.priority == spec.priority) {
      existing.ambiguous = true;
      return;
    }
    // A better source: take its code and flags.
    existing.code = spec.code;
    existing.kind = spec.kind;
    existing.priority = spec.priority;
    existing.ambiguous = false;
    return;
  }
  Tables::Alias alias;
  alias.norms = std::move(tokens.norms);
  alias.written = std::move(tokens.written);
  alias.code = spec.code;
  alias.kind = spec.kind;
  alias.exact_case = spec.exact_case;
  alias.capitalised = spec.capitalised;
  alias.dateline_only = spec.dateline_only;
  alias.priority = spec.priority;
  tables->by_key.emplace(key, tables->aliases.size());
  tables->aliases.push_back(std::move(alias));
}

// Forms of an ISO or CLDR name: "Korea, Republic of" -> itself, "Korea" and "Republic of Korea";
// "Myanmar (Burma)" -> "Myanmar" and "Burma"; "St. Kitts & Nevis" -> "St. Kitts and Nevis".
void AddNameForms(std::string name, const std::string& code, AliasKind kind, int priority,
                  Tables* tables) {
  for (std::size_t amp; (amp = name.find(" & ")) != std::string::npos;)
    name.replace(amp, 3, " and ");
  AddAlias({name, code, kind, false, false, false, priority}, tables);
  for (const auto& [open, close] :
       {std::pair<std::string, std::string>{"(", ")"},
        std::pair<std::string, std::string>{"\xEF\xBC\x88", "\xEF\xBC\x89"}}) {
    const std::size_t o = name.find(open);
    const std::size_t c = name.find(close, o == std::string::npos ? 0 : o);
    if (o != std::string::npos && c != std::string::npos) {
      AddAlias({name.substr(0, o), code, kind, false, false, false, kDerived}, tables);
      AddAlias({name.substr(o + open.size(), c - o - open.size()), code, kind, false, false, false,
                kDerived},
               tables);
    }
  }
  const std::size_t comma = name.find(", ");
  if (comma != std::string::npos) {
    const std::string head = name.substr(0, comma);
    const std::string tail = name.substr(comma + 2);
    AddAlias({head, code, kind, false, false, false, kDerived}, tables);
    AddAlias({tail + " " + head, code, kind, false, false, false, kDerived}, tables);
  }
}

StatusOr<google::protobuf::Struct> ReadJson(const std::string& path) {
  StatusOr<std::string> content = ReadFileToString(path);
  if (!content.ok()) {
    return NotFound(content.status().message() +
                    " (Debian package iso-codes; CountryRecognizerOptions overrides the path)");
  }
  google::protobuf::Struct root;
  const auto status = google::protobuf::util::JsonStringToMessage(*content, &root);
  if (!status.ok()) {
    return InvalidArgument(path + ": not JSON: " + std::string(status.message()));
  }
  return root;
}

std::string Field(const google::protobuf::Struct& s, const char* name) {
  const auto it = s.fields().find(name);
  return it == s.fields().end() ? std::string() : it->second.string_value();
}

StatusOr<std::string> DataPath(const CountryRecognizerOptions& options, const char* file) {
  if (!options.data_dir.empty()) return (std::filesystem::path(options.data_dir) / file).string();
  return FindDataFile(std::string("countries/") + file);
}

// Reads a data file's lines with their line numbers (comments and blank lines skipped).
StatusOr<std::vector<std::pair<std::string, int>>> ReadNumberedLines(const std::string& path) {
  StatusOr<std::string> content = ReadFileToString(path);
  if (!content.ok()) return content.status();
  std::vector<std::pair<std::string, int>> lines;
  std::string_view rest = *content;
  int number = 0;
  while (!rest.empty()) {
    ++number;
    const std::size_t cut = rest.find('\n');
    std::string line(rest.substr(0, cut));
    rest.remove_prefix(cut == std::string_view::npos ? rest.size() : cut + 1);
    if (const std::size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    lines.emplace_back(std::move(line), number);
  }
  return lines;
}

Status LoadCurated(const std::string& path, Tables* tables) {
  auto lines = ReadNumberedLines(path);
  if (!lines.ok()) return lines.status();
  static const std::map<std::string, AliasKind, std::less<>> kKinds = {
      {"name", AliasKind::kName},
      {"short", AliasKind::kShort},
      {"demonym", AliasKind::kDemonym},
      {"city", AliasKind::kCity},
      {"historical", AliasKind::kHistorical},
      {"combining", AliasKind::kCombining},
      {"block", AliasKind::kBlock}};
  for (const auto& [line, number] : *lines) {
    const auto bad = [&, number = number](const std::string& why) {
      return InvalidArgument(path + ":" + std::to_string(number) + ": " + why);
    };
    std::vector<std::string> fields = SplitTabs(line);
    if (fields.size() < 3 || fields.size() > 4) {
      return bad("expected NAME<tab>CODE<tab>KIND[<tab>FLAGS]");
    }
    AliasSpec spec;
    spec.name = fields[0];
    const auto kind = kKinds.find(fields[2]);
    if (kind == kKinds.end()) return bad("unknown kind '" + fields[2] + "'");
    spec.kind = kind->second;
    if (spec.kind == AliasKind::kBlock) {
      if (fields[1] != "-") return bad("a block line has code '-'");
    } else {
      if (fields[1].size() != 2 || !std::isupper(static_cast<unsigned char>(fields[1][0])) ||
          !std::isupper(static_cast<unsigned char>(fields[1][1]))) {
        return bad("code '" + fields[1] + "' is not an upper-case ISO 3166-1 alpha-2 code");
      }
      spec.code = fields[1];
    }
    if (fields.size() == 4) {
      std::string flags = fields[3];
      std::replace(flags.begin(), flags.end(), ',', ' ');
      for (const std::string& flag : SplitWords(flags)) {
        if (flag == "case") {
          spec.exact_case = true;
        } else if (flag == "cap") {
          spec.capitalised = true;
        } else if (flag == "dateline") {
          spec.dateline_only = true;
        } else {
          return bad("unknown flag '" + flag + "'");
        }
      }
    }
    if (TokenizeAlias(spec.name).norms.empty()) return bad("name has no letters");
    const std::size_t before = tables->aliases.size();
    AddAlias(spec, tables);
    if (tables->aliases.size() == before) {
      const Tables::Alias& existing =
          tables->aliases[tables->by_key.at(Join(TokenizeAlias(spec.name).norms))];
      if (existing.code != spec.code) {
        return bad("'" + spec.name + "' is already listed for " +
                   (existing.code.empty() ? std::string("blocking") : existing.code));
      }
    }
    // Demonyms also name the people: "Pakistanis", "Afghans".
    if (spec.kind == AliasKind::kDemonym) {
      const std::string& last = spec.name;
      if (!(last.ends_with("s") || last.ends_with("sh") || last.ends_with("ch") ||
            last.ends_with("se") || last.ends_with("men"))) {
        AliasSpec plural = spec;
        plural.name += 's';
        AddAlias(plural, tables);
      }
    }
  }
  return Status::Ok();
}

Status LoadContext(const std::string& path, Tables* tables) {
  auto lines = ReadNumberedLines(path);
  if (!lines.ok()) return lines.status();
  static const std::map<std::string, Rule::Type, std::less<>> kTypes = {
      {"reject_prev", Rule::Type::kRejectPrev},
      {"reject_next", Rule::Type::kRejectNext},
      {"reject_prev_name", Rule::Type::kRejectPrevName},
      {"reject_next_name", Rule::Type::kRejectNextName},
      {"accept_with", Rule::Type::kAcceptWith},
      {"reject_with", Rule::Type::kRejectWith}};
  for (const auto& [line, number] : *lines) {
    const auto bad = [&, number = number](const std::string& why) {
      return InvalidArgument(path + ":" + std::to_string(number) + ": " + why);
    };
    std::vector<std::string> fields = SplitTabs(line);
    if (fields.size() < 2 || fields.size() > 3) return bad("expected NAME<tab>RULE<tab>WORDS");
    const auto type = kTypes.find(fields[1]);
    if (type == kTypes.end()) return bad("unknown rule '" + fields[1] + "'");
    const bool everyone = fields[0] == "*";
    const auto alias = tables->by_key.find(Join(TokenizeAlias(fields[0]).norms));
    if (!everyone && alias == tables->by_key.end()) {
      return bad("'" + fields[0] + "' is not a known name");
    }
    Rule rule{type->second, {}};
    if (fields.size() == 3) {
      for (const std::string& word : SplitWords(fields[2])) {
        const bool exact =
            std::any_of(word.begin(), word.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
        rule.words.push_back({exact ? word : Join(TokenizeAlias(word).norms), exact});
      }
    }
    if (everyone) {
      tables->global_rules.push_back(std::move(rule));
    } else {
      tables->aliases[alias->second].rules.push_back(std::move(rule));
    }
  }
  return Status::Ok();
}

// name_periods.tsv: NAME<TAB>FROM<TAB>TO; NAME must be a known name.
Status LoadNamePeriods(const std::string& path, Tables* tables) {
  auto lines = ReadNumberedLines(path);
  if (!lines.ok()) return lines.status();
  for (const auto& [line, number] : *lines) {
    const auto bad = [&, number = number](const std::string& why) {
      return InvalidArgument(path + ":" + std::to_string(number) + ": " + why);
    };
    const std::vector<std::string> fields = SplitTabs(line);
    if (fields.size() != 3) return bad("expected NAME<tab>FROM<tab>TO");
    NamePeriod period;
    for (int end = 0; end < 2; ++end) {
      const std::string& text = fields[1 + end];
      if (text == "-") continue;
      int year = 0;
      const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), year);
      if (ec != std::errc() || p != text.data() + text.size() || text.size() != 4) {
        return bad("'" + text + "' is not a year (YYYY) or '-'");
      }
      (end == 0 ? period.from : period.to) = year;
    }
    if (period.from > period.to) return bad("the period ends before it starts");
    const std::string key = Join(TokenizeAlias(fields[0]).norms);
    const auto found = tables->by_key.find(key);
    if (key.empty() || found == tables->by_key.end() ||
        tables->aliases[found->second].code.empty()) {
      return bad("'" + fields[0] + "' is not a known country name");
    }
    tables->periods[key].push_back(period);
  }
  return Status::Ok();
}

Kind MentionKind(AliasKind kind) {
  switch (kind) {
    case AliasKind::kName:
      return Kind::kName;
    case AliasKind::kShort:
      return Kind::kShortForm;
    case AliasKind::kDemonym:
      return Kind::kDemonym;
    case AliasKind::kCity:
      return Kind::kCity;
    case AliasKind::kHistorical:
      return Kind::kHistorical;
    case AliasKind::kCombining:
    case AliasKind::kBlock:
      return Kind::kCompound;
  }
  return Kind::kName;
}

bool CueMatches(const CueWord& cue, const Token& token, std::string_view text) {
  if (cue.exact) return text.substr(token.begin, token.end - token.begin) == cue.text;
  return token.norm == cue.text;
}

}  // namespace

StatusOr<CountryRecognizer> CountryRecognizer::Load(const CountryRecognizerOptions& options) {
  auto tables = std::make_shared<Tables>();

  StatusOr<std::string> aliases_path = DataPath(options, "aliases.tsv");
  if (!aliases_path.ok()) return aliases_path.status();
  if (Status s = LoadCurated(*aliases_path, tables.get()); !s.ok()) return s;

  const std::string iso1_path =
      options.iso_3166_1_path.empty() ? kDefaultIso31661 : options.iso_3166_1_path;
  StatusOr<google::protobuf::Struct> iso1 = ReadJson(iso1_path);
  if (!iso1.ok()) return iso1.status();
  std::vector<std::string> codes;
  std::map<std::string, std::string> iso_names;
  const auto list = iso1->fields().find("3166-1");
  if (list == iso1->fields().end()) return InvalidArgument(iso1_path + ": no \"3166-1\" list");
  for (const auto& value : list->second.list_value().values()) {
    const auto& entry = value.struct_value();
    const std::string code = Field(entry, "alpha_2");
    if (code.size() != 2) continue;
    codes.push_back(code);
    std::string alpha3 = Field(entry, "alpha_3");
    for (char& ch : alpha3) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    tables->alpha3[alpha3] = code;
    const std::string name = Field(entry, "name");
    const std::string common = Field(entry, "common_name");
    tables->english[code] = common;  // Else the CLDR name, else the ISO name (below).
    iso_names[code] = name;
    for (const char* field : {"name", "common_name", "official_name"}) {
      const std::string value_name = Field(entry, field);
      if (!value_name.empty())
        AddNameForms(value_name, code, AliasKind::kName, kIsoName, tables.get());
    }
  }

  // Former states of ISO 3166-3, under the code of their continuator.
  StatusOr<std::string> historical_path = DataPath(options, "historical.tsv");
  if (!historical_path.ok()) return historical_path.status();
  auto continuators = ReadNumberedLines(*historical_path);
  if (!continuators.ok()) return continuators.status();
  std::map<std::string, std::string> continuator;
  for (const auto& [line, number] : *continuators) {
    std::vector<std::string> fields = SplitTabs(line);
    if (fields.size() != 2 || fields[0].size() != 4 || fields[1].size() != 2) {
      return InvalidArgument(*historical_path + ":" + std::to_string(number) +
                             ": expected ALPHA4<tab>ALPHA2");
    }
    continuator[fields[0]] = fields[1];
  }
  const std::string iso3_path =
      options.iso_3166_3_path.empty() ? kDefaultIso31663 : options.iso_3166_3_path;
  StatusOr<google::protobuf::Struct> iso3 = ReadJson(iso3_path);
  if (!iso3.ok()) return iso3.status();
  if (const auto former = iso3->fields().find("3166-3"); former != iso3->fields().end()) {
    for (const auto& value : former->second.list_value().values()) {
      const auto& entry = value.struct_value();
      const auto to = continuator.find(Field(entry, "alpha_4"));
      if (to == continuator.end()) continue;
      AddNameForms(Field(entry, "name"), to->second, AliasKind::kHistorical, kIsoName,
                   tables.get());
    }
  }

  // CLDR display names through ICU.
  for (const char* language : kDisplayLanguages) {
    const icu::Locale in(language);
    for (const std::string& code : codes) {
      icu::UnicodeString display;
      icu::Locale("", code.c_str()).getDisplayCountry(in, display);
      std::string name;
      display.toUTF8String(name);
      if (name.empty() || name == code) continue;
      // CLDR's English names read better than ISO's ("Russia", not "Russian Federation"), except
      // the qualified ones ("Congo - Kinshasa", "Hong Kong SAR China").
      if (std::string_view(language) == "en" && tables->english[code].empty() &&
          name.find(" - ") == std::string::npos && name.find(" SAR ") == std::string::npos) {
        tables->english[code] = name;
      }
      AddNameForms(name, code, AliasKind::kName, kDisplayName, tables.get());
    }
  }

  for (auto& [code, english] : tables->english) {
    if (english.empty()) english = iso_names[code];
  }

  StatusOr<std::string> context_path = DataPath(options, "context.tsv");
  if (!context_path.ok()) return context_path.status();
  if (Status s = LoadContext(*context_path, tables.get()); !s.ok()) return s;

  StatusOr<std::string> periods_path = DataPath(options, "name_periods.tsv");
  if (!periods_path.ok()) return periods_path.status();
  if (Status s = LoadNamePeriods(*periods_path, tables.get()); !s.ok()) return s;

  for (std::size_t i = 0; i < tables->aliases.size(); ++i) {
    if (tables->aliases[i].ambiguous) continue;
    tables->by_first[tables->aliases[i].norms[0]].push_back(i);
  }
  for (auto& [first, list] : tables->by_first) {
    std::stable_sort(list.begin(), list.end(), [&](std::size_t a, std::size_t b) {
      return tables->aliases[a].norms.size() > tables->aliases[b].norms.size();
    });
  }
  return CountryRecognizer(std::move(tables));
}

std::vector<CountryMention> CountryRecognizer::Find(std::string_view text) const {
  return FindImpl(text, false);
}

std::vector<CountryMention> CountryRecognizer::FindInDateline(std::string_view dateline) const {
  return FindImpl(dateline, true);
}

std::vector<CountryMention> CountryRecognizer::FindImpl(std::string_view text,
                                                        bool dateline) const {
  const Tables& t = *tables_;
  const std::vector<Token> tokens = Tokenize(text);
  struct Match {
    std::size_t alias;
    std::size_t first;  // Token range [first, last).
    std::size_t last;
  };
  std::vector<Match> matches;
  for (std::size_t i = 0; i < tokens.size();) {
    const auto candidates = t.by_first.find(tokens[i].norm);
    bool matched = false;
    if (candidates != t.by_first.end()) {
      for (std::size_t index : candidates->second) {
        const Tables::Alias& alias = t.aliases[index];
        const std::size_t n = alias.norms.size();
        if (i + n > tokens.size()) continue;
        if (alias.dateline_only && !dateline) continue;
        bool ok = true;
        for (std::size_t k = 1; k < n && ok; ++k) ok = tokens[i + k].norm == alias.norms[k];
        if (!ok) continue;
        if (alias.capitalised && tokens[i].first_lower) continue;
        if (alias.exact_case) {
          for (std::size_t k = 0; k < n && ok; ++k) {
            const std::string& written = alias.written[k];
            const bool has_capital = std::any_of(written.begin(), written.end(),
                                                 [](char c) { return c >= 'A' && c <= 'Z'; });
            if (has_capital) {
              ok = text.substr(tokens[i + k].begin, tokens[i + k].end - tokens[i + k].begin) ==
                   written;
            }
          }
          if (!ok) continue;
        }
        matches.push_back({index, i, i + n});
        i += n;
        matched = true;
        break;
      }
    }
    if (!matched) ++i;
  }

  // Context rules.
  std::vector<bool> in_match(tokens.size(), false);
  for (const Match& m : matches) {
    if (t.aliases[m.alias].code.empty()) continue;
    for (std::size_t k = m.first; k < m.last; ++k) in_match[k] = true;
  }
  std::unordered_set<std::string_view> document_words;
  const auto has_word = [&](const CueWord& cue) {
    if (document_words.empty()) {
      for (const Token& token : tokens) document_words.insert(token.norm);
    }
    if (!cue.exact) return document_words.contains(cue.text);
    for (const Token& token : tokens) {
      if (CueMatches(cue, token, text)) return true;
    }
    return false;
  };
  const auto is_name = [&](std::size_t k, const Rule& rule) {
    const Token& token = tokens[k];
    if (!token.first_upper || token.all_upper || in_match[k]) return false;
    return std::none_of(rule.words.begin(), rule.words.end(),
                        [&](const CueWord& cue) { return CueMatches(cue, token, text); });
  };
  const auto accepted = [&](const Match& m) {
    const Tables::Alias& alias = t.aliases[m.alias];
    if (alias.code.empty()) return false;
    // A ticker symbol in angle brackets ("ROCKWELL <ROK>") or markup is not a name.
    if (tokens[m.first].begin > 0 && text[tokens[m.first].begin - 1] == '<' &&
        tokens[m.last - 1].end < text.size() && text[tokens[m.last - 1].end] == '>') {
      return false;
    }
    bool accept_cue = false, reject_cue = false;
    const auto apply = [&](const Rule& rule) {
      const auto any = [&](std::size_t k) {
        return std::any_of(rule.words.begin(), rule.words.end(),
                           [&](const CueWord& cue) { return CueMatches(cue, tokens[k], text); });
      };
      switch (rule.type) {
        case Rule::Type::kRejectPrev:
          if (m.first > 0 && any(m.first - 1)) return false;
          break;
        case Rule::Type::kRejectNext:
          if (m.last < tokens.size() && any(m.last)) return false;
          break;
        case Rule::Type::kRejectPrevName:
          if (m.first > 0 && tokens[m.first].space_prev && is_name(m.first - 1, rule)) return false;
          break;
        case Rule::Type::kRejectNextName:
          if (m.last < tokens.size() && tokens[m.last].space_prev && is_name(m.last, rule)) {
            return false;
          }
          break;
        case Rule::Type::kAcceptWith:
          accept_cue = accept_cue || std::any_of(rule.words.begin(), rule.words.end(), has_word);
          break;
        case Rule::Type::kRejectWith:
          reject_cue = reject_cue || std::any_of(rule.words.begin(), rule.words.end(), has_word);
          break;
      }
      return true;
    };
    for (const Rule& rule : t.global_rules) {
      if (!apply(rule)) return false;
    }
    for (const Rule& rule : alias.rules) {
      if (!apply(rule)) return false;
    }
    return accept_cue || !reject_cue;
  };
  std::erase_if(matches, [&](const Match& m) { return !accepted(m); });

  // Compounds: matches joined by a hyphen ("Indo-Pakistani", "US-China"). Combining forms count
  // only inside one.
  std::vector<CountryMention> mentions;
  std::uint32_t next_compound = 0;
  for (std::size_t a = 0; a < matches.size();) {
    std::size_t b = a + 1;
    while (b < matches.size() && matches[b].first == matches[b - 1].last &&
           tokens[matches[b].first].joined_prev) {
      ++b;
    }
    const bool compound = b - a >= 2;
    if (compound) ++next_compound;
    for (std::size_t k = a; k < b; ++k) {
      const Tables::Alias& alias = t.aliases[matches[k].alias];
      if (!compound && alias.kind == AliasKind::kCombining) continue;
      CountryMention mention;
      mention.code = alias.code;
      mention.begin = tokens[matches[k].first].begin;
      mention.end = tokens[matches[k].last - 1].end;
      mention.compound = compound ? next_compound : 0;
      mention.kind = compound ? Kind::kCompound : MentionKind(alias.kind);
      mentions.push_back(std::move(mention));
    }
    a = b;
  }
  return mentions;
}

std::optional<std::string> CountryRecognizer::Lookup(std::string_view name) const {
  const Tables& t = *tables_;
  const AliasTokens tokens = TokenizeAlias(name);
  if (tokens.norms.empty()) return std::nullopt;
  const std::string key = Join(tokens.norms);
  if (const auto found = t.by_key.find(key); found != t.by_key.end()) {
    const Tables::Alias& alias = t.aliases[found->second];
    if (alias.ambiguous || alias.code.empty()) return std::nullopt;
    return alias.code;
  }
  if (tokens.norms.size() == 1 && key.size() == 2) {
    std::string code = key;
    for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (t.english.contains(code)) return code;
  }
  if (const auto found = t.alpha3.find(key); found != t.alpha3.end()) return found->second;
  return std::nullopt;
}

std::vector<NamePeriod> CountryRecognizer::NamePeriods(std::string_view name) const {
  const auto found = tables_->periods.find(Join(TokenizeAlias(name).norms));
  return found == tables_->periods.end() ? std::vector<NamePeriod>() : found->second;
}

std::string CountryRecognizer::EnglishName(std::string_view code) const {
  const auto found = tables_->english.find(code);
  return found == tables_->english.end() ? std::string() : found->second;
}

std::size_t CountryRecognizer::NameCount() const { return tables_->by_key.size(); }

}  // namespace dyad
