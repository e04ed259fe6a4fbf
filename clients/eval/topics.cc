#include "clients/eval/topics.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "clients/eval/judgments.h"

namespace dyad::eval {
namespace {

struct Line {
  std::string_view text;
  std::uint32_t number = 0;
};

std::vector<Line> SplitLines(std::string_view content) {
  std::vector<Line> lines;
  std::uint32_t number = 0;
  while (!content.empty()) {
    const std::size_t end = content.find('\n');
    std::string_view line = content.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back({line, ++number});
    if (end == std::string_view::npos) break;
    content.remove_prefix(end + 1);
  }
  return lines;
}

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

// Appends `text` to `field`, whitespace runs collapsed; every part ends with a space so the
// next one is separated from it (FinishFields trims the last).
void AppendText(std::string* field, std::string_view text) {
  for (const char c : text) {
    if (!IsBlank(c)) {
      *field += c;
    } else if (!field->empty() && field->back() != ' ') {
      *field += ' ';
    }
  }
  if (!field->empty() && field->back() != ' ') *field += ' ';
}

// Fields are built with a trailing space; this removes it.
void FinishFields(Topic* topic) {
  for (auto& [name, value] : topic->fields) value = std::string(Trim(value));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Collects topics, rejecting duplicate ids and empty topics.
class TopicCollector {
 public:
  explicit TopicCollector(TopicFile* file, const std::string& source)
      : file_(file), source_(source) {}

  void Issue(std::uint32_t line, std::string message) {
    file_->issues.push_back({source_, line, std::move(message)});
  }

  void Add(Topic topic) {
    FinishFields(&topic);
    if (topic.qid.empty()) {
      Issue(topic.line, "topic without an id; left out");
      return;
    }
    if (topic.qid.find_first_of(" \t") != std::string::npos) {
      Issue(topic.line, "topic id '" + topic.qid + "' contains a blank; left out");
      return;
    }
    if (!seen_.insert(topic.qid).second) {
      Issue(topic.line, "topic " + topic.qid + " appears twice; the later one is left out");
      return;
    }
    bool has_text = false;
    for (const auto& [name, value] : topic.fields) has_text = has_text || !value.empty();
    if (!has_text) {
      Issue(topic.line, "topic " + topic.qid + " has no text; left out");
      return;
    }
    file_->topics.push_back(std::move(topic));
  }

 private:
  TopicFile* file_;
  const std::string& source_;
  std::set<std::string> seen_;
};

// TREC: labels a field may start with, dropped from its text.
constexpr std::string_view kTrecLabels[] = {
    "number:",        "topic:",      "description:", "narrative:", "summary:",
    "domain:",        "concepts:",   "concept(s):",  "concept:",   "definitions:",
    "definition(s):", "definition:", "factors:",     "factor(s):", "factor:"};

std::string_view DropLabel(std::string_view text) {
  text = Trim(text);
  for (const std::string_view label : kTrecLabels) {
    if (text.size() >= label.size() && Lower(text.substr(0, label.size())) == label) {
      return Trim(text.substr(label.size()));
    }
  }
  return text;
}

void ParseTrec(const std::vector<Line>& lines, TopicCollector* out) {
  std::optional<Topic> topic;
  std::string field;  // Open field, "" for none.
  for (const Line& line : lines) {
    std::string_view text = line.text;
    const std::string_view trimmed = Trim(text);
    if (trimmed.empty()) continue;
    const std::string lower = Lower(trimmed);
    if (lower.starts_with("<top>")) {
      if (topic) {
        out->Issue(topic->line,
                   "<top> without </top>; the topic ends at line " + std::to_string(line.number));
        out->Add(std::move(*topic));
      }
      topic.emplace();
      topic->line = line.number;
      field.clear();
      text = trimmed.substr(5);
      if (Trim(text).empty()) continue;
    } else if (lower.starts_with("</top>")) {
      if (!topic) {
        out->Issue(line.number, "</top> without <top>; ignored");
        continue;
      }
      out->Add(std::move(*topic));
      topic.reset();
      field.clear();
      continue;
    } else if (!topic) {
      if (!trimmed.starts_with("#")) out->Issue(line.number, "text outside <top>; ignored");
      continue;
    }
    // Inside a topic: tags open fields, other text continues the open field.
    text = Trim(text);
    while (!text.empty()) {
      if (text.front() == '<') {
        const std::size_t close = text.find('>');
        if (close != std::string_view::npos) {
          const std::string tag = Lower(Trim(text.substr(1, close - 1)));
          text = Trim(text.substr(close + 1));
          if (!tag.empty() && tag.front() == '/') {
            field.clear();  // A closing tag ends the field.
            continue;
          }
          if (tag.empty() || tag.find_first_of(" =\"") != std::string::npos) {
            out->Issue(line.number, "unreadable tag <" + tag + ">; ignored");
            continue;
          }
          field = tag;
          topic->fields[field];  // A field that stays empty still exists.
          text = DropLabel(text);
          continue;
        }
      }
      // Text up to the next tag.
      const std::size_t next = text.find('<', 1);
      std::string_view part = text.substr(0, next);
      text = next == std::string_view::npos ? std::string_view() : text.substr(next);
      if (field.empty()) {
        out->Issue(line.number, "text outside a field of the topic; ignored");
        continue;
      }
      if (topic->fields[field].empty()) part = DropLabel(part);
      AppendText(&topic->fields[field], part);
    }
    if (topic->qid.empty() && topic->fields.contains("num")) {
      // The id is the num field's first word (some files write "<num> Number: 301 </num>").
      std::string_view num = Trim(topic->fields["num"]);
      num = num.substr(0, std::min(num.size(), num.find(' ')));
      topic->qid = std::string(num);
    }
  }
  if (topic) {
    out->Issue(topic->line, "the last <top> has no </top>; the topic is kept");
    out->Add(std::move(*topic));
  }
}

void ParseTsv(const std::vector<Line>& lines, TopicCollector* out) {
  for (const Line& line : lines) {
    const std::string_view trimmed = Trim(line.text);
    if (trimmed.empty() || trimmed.starts_with("#")) continue;
    const std::size_t tab = line.text.find('\t');
    if (tab == std::string_view::npos) {
      out->Issue(line.number, "expected 'qid<TAB>query', found no tab; line left out");
      continue;
    }
    Topic topic;
    topic.line = line.number;
    topic.qid = std::string(Trim(line.text.substr(0, tab)));
    if (topic.qid.find_first_of(" \t") != std::string::npos) {
      out->Issue(line.number, "topic id '" + topic.qid + "' contains a blank; line left out");
      continue;
    }
    AppendText(&topic.fields["text"], line.text.substr(tab + 1));
    out->Add(std::move(topic));
  }
}

// ".I", ".W", ... : a dot, an upper-case letter, then nothing or a blank.
char SmartMarker(std::string_view line) {
  if (line.size() < 2 || line[0] != '.' || !std::isupper(static_cast<unsigned char>(line[1]))) {
    return 0;
  }
  if (line.size() > 2 && !IsBlank(line[2])) return 0;
  return line[1];
}

std::string SmartFieldName(char marker) {
  switch (marker) {
    case 'W':
      return "text";
    case 'T':
      return "title";
    case 'A':
      return "author";
    case 'B':
      return "biblio";
    default:
      return std::string(1, static_cast<char>(std::tolower(marker)));
  }
}

void ParseSmart(const std::vector<Line>& lines, TopicCollector* out) {
  std::optional<Topic> topic;
  std::string field;
  bool skipping = false;  // After a broken .I, up to the next .I.
  for (const Line& line : lines) {
    const char marker = SmartMarker(line.text);
    if (marker == 'I') {
      if (topic) out->Add(std::move(*topic));
      topic.emplace();
      topic->line = line.number;
      topic->qid = std::string(Trim(line.text.substr(2)));
      field.clear();
      skipping = topic->qid.empty();
      if (skipping) {
        out->Issue(line.number, ".I without a topic number; topic left out");
        topic.reset();
      }
      continue;
    }
    if (skipping) continue;
    if (marker != 0) {
      if (!topic) {
        out->Issue(line.number, std::string(".") + marker + " before the first .I; ignored");
        continue;
      }
      field = SmartFieldName(marker);
      AppendText(&topic->fields[field], line.text.substr(2));
      continue;
    }
    if (Trim(line.text).empty()) continue;
    if (!topic || field.empty()) {
      out->Issue(line.number, "text outside a field of a .I record; ignored");
      continue;
    }
    AppendText(&topic->fields[field], line.text);
  }
  if (topic) out->Add(std::move(*topic));
}

void ParseGlasgow(const std::vector<Line>& lines, TopicCollector* out) {
  std::optional<Topic> topic;
  bool stopped = false;
  for (const Line& line : lines) {
    const std::string_view trimmed = Trim(line.text);
    if (trimmed.empty()) continue;
    if (stopped) {
      out->Issue(line.number, "text after *STOP; ignored");
      break;
    }
    if (trimmed.starts_with("*FIND")) {
      if (topic) out->Add(std::move(*topic));
      topic.emplace();
      topic->line = line.number;
      std::string_view id = Trim(trimmed.substr(5));
      id = id.substr(0, std::min(id.size(), id.find_first_of(" \t")));
      topic->qid = std::string(id);
      topic->fields["text"];
      continue;
    }
    if (trimmed.starts_with("*STOP")) {
      stopped = true;
      continue;
    }
    if (!topic) {
      out->Issue(line.number, "text before the first *FIND; ignored");
      continue;
    }
    AppendText(&topic->fields["text"], trimmed);
  }
  if (topic) {
    if (!stopped) {
      out->Issue(topic->line, "no *STOP after the last topic (file cut short?); topic " +
                                  topic->qid + " is kept");
    }
    out->Add(std::move(*topic));
  }
}

// Decodes one UTF-8 code point at s[i]; invalid bytes come back as themselves.
char32_t NextCodePoint(std::string_view s, std::size_t* i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(*i);
  int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  if (*i + extra >= s.size()) extra = 0;  // Truncated sequence: the byte alone.
  char32_t cp = extra == 0 ? c : c & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) cp = (cp << 6) | (byte(*i + k) & 0x3F);
  *i += 1 + extra;
  return cp;
}

std::string Nfkc(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status) || nfkc == nullptr) return std::string(text);
  const icu::UnicodeString source = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<std::int32_t>(text.size())));
  icu::UnicodeString normalized = nfkc->normalize(source, status);
  if (U_FAILURE(status)) return std::string(text);
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

bool IsOperatorWord(std::string_view word) {
  static constexpr std::string_view kOperators[] = {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"};
  return std::find(std::begin(kOperators), std::end(kOperators), word) != std::end(kOperators);
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

std::optional<TopicFormat> ParseTopicFormat(std::string_view name) {
  if (name == "auto") return TopicFormat::kAuto;
  if (name == "trec") return TopicFormat::kTrec;
  if (name == "tsv") return TopicFormat::kTsv;
  if (name == "smart") return TopicFormat::kSmart;
  if (name == "glasgow") return TopicFormat::kGlasgow;
  return std::nullopt;
}

const char* TopicFormatName(TopicFormat format) {
  switch (format) {
    case TopicFormat::kTrec:
      return "trec";
    case TopicFormat::kTsv:
      return "tsv";
    case TopicFormat::kSmart:
      return "smart";
    case TopicFormat::kGlasgow:
      return "glasgow";
    case TopicFormat::kAuto:
      break;
  }
  return "auto";
}

TopicFormat DetectTopicFormat(std::string_view content) {
  for (const Line& line : SplitLines(content)) {
    const std::string_view trimmed = Trim(line.text);
    if (trimmed.empty()) continue;
    const std::string lower = Lower(trimmed.substr(0, 5));
    if (lower.starts_with("<top")) return TopicFormat::kTrec;
    if (SmartMarker(line.text) == 'I') return TopicFormat::kSmart;
    if (trimmed.starts_with("*FIND")) return TopicFormat::kGlasgow;
    if (line.text.find('\t') != std::string_view::npos) return TopicFormat::kTsv;
    if (trimmed.starts_with("#")) continue;  // A TSV or TREC comment.
    return TopicFormat::kAuto;
  }
  return TopicFormat::kAuto;
}

std::string TopicIssue::ToString() const {
  return source + ":" + std::to_string(line) + ": " + message;
}

StatusOr<TopicFile> ParseTopics(std::string_view content, const std::string& source,
                                TopicFormat format) {
  TopicFile file;
  file.format = format == TopicFormat::kAuto ? DetectTopicFormat(content) : format;
  if (file.format == TopicFormat::kAuto) {
    return InvalidArgument(source +
                           ": cannot tell the topic format (expected <top>, '.I n', '*FIND n' "
                           "or 'qid<TAB>query' lines); give --topics-format");
  }
  const std::vector<Line> lines = SplitLines(content);
  TopicCollector collector(&file, source);
  switch (file.format) {
    case TopicFormat::kTrec:
      ParseTrec(lines, &collector);
      break;
    case TopicFormat::kTsv:
      ParseTsv(lines, &collector);
      break;
    case TopicFormat::kSmart:
      ParseSmart(lines, &collector);
      break;
    case TopicFormat::kGlasgow:
      ParseGlasgow(lines, &collector);
      break;
    case TopicFormat::kAuto:
      break;
  }
  if (file.topics.empty()) {
    std::string message =
        source + ": no topic could be read as " + TopicFormatName(file.format) + " topics";
    if (!file.issues.empty()) message += " (first problem: " + file.issues.front().ToString() + ")";
    return InvalidArgument(message);
  }
  return file;
}

StatusOr<TopicFile> ReadTopics(const std::string& path, TopicFormat format) {
  StatusOr<std::string> content = ReadTextFile(path);
  if (!content.ok()) return content.status();
  return ParseTopics(*content, path, format);
}

std::vector<std::string> DefaultQueryFields(TopicFormat format) {
  if (format == TopicFormat::kTrec) return {"title"};
  return {"text"};
}

std::string TopicQueryText(const Topic& topic, const std::vector<std::string>& fields) {
  std::string out;
  for (const std::string& name : fields) {
    const auto it = topic.fields.find(name);
    if (it == topic.fields.end() || it->second.empty()) continue;
    if (!out.empty()) out += ' ';
    out += it->second;
  }
  return out;
}

std::string NeutralizeQuery(std::string_view text) {
  const std::string normalized = Nfkc(text);
  std::string out;
  out.reserve(normalized.size());
  const auto space = [&] {
    if (!out.empty() && out.back() != ' ') out += ' ';
  };
  const auto at_word_start = [&] { return out.empty() || out.back() == ' '; };
  const std::string_view s = normalized;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t begin = i;
    const char32_t cp = NextCodePoint(s, &i);
    switch (cp) {
      case '"':
      case '(':
      case ')':
      case '[':
      case ']':
      case '{':
      case '}':
      case ':':
      case '*':
      case '~':
      case '^':
      case '\\':
      case ' ':
      case '\t':
      case '\n':
      case '\r':
      case '\f':
      case '\v':
      case 0x201C:
      case 0x201D:
      case 0x201E:
      case 0x201F:  // Curly double quotes.
        space();
        continue;
      case '+':
      case '-':
        if (at_word_start()) continue;  // Love/hate operators: drop.
        break;
      case '.':
        if (i < s.size() && s[i] == '.') {
          while (i < s.size() && s[i] == '.') ++i;
          space();
          continue;
        }
        break;
      default:
        if (cp < 0x80 && IsAsciiLetter(static_cast<char>(cp)) &&
            (begin == 0 || !IsAsciiLetter(s[begin - 1]))) {
          std::size_t end = begin;
          while (end < s.size() && IsAsciiLetter(s[end])) ++end;
          // Lower case is harmless even where the parser would not have seen an operator.
          const std::string_view word = s.substr(begin, end - begin);
          out += IsOperatorWord(word) ? Lower(word) : std::string(word);
          i = end;
          continue;
        }
        break;
    }
    out.append(s.substr(begin, i - begin));
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace dyad::eval
