// Reader for the Reuters-21578 SGML files (reut2-NNN.sgm, see reader.h for the mapping).
//
// A file is a `<!DOCTYPE lewis ...>` line followed by records:
//   <REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="5544" NEWID="1">
//   <DATE>26-FEB-1987 15:01:01.79</DATE>
//   <TOPICS><D>cocoa</D></TOPICS> <PLACES>...</PLACES> <PEOPLE/> <ORGS/> <EXCHANGES/> ...
//   <TEXT [TYPE="BRIEF"|"UNPROC"]>&#2;
//   <TITLE>...</TITLE> <DATELINE>    SALVADOR, Feb 26 - </DATELINE><BODY>...
//       Indented lines start paragraphs.
//    Reuter
//   &#3;</BODY></TEXT>
//   </REUTERS>
// The text is not XML: it holds numeric references to control characters (&#2; &#3; &#5; ...),
// which are dropped, and reut2-017.sgm has a byte that is not UTF-8 (repaired with a warning).
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "indexer/reader.h"
#include "indexer/reader_internal.h"

namespace dyad {
namespace {

constexpr std::string_view kOpenTag = "<REUTERS";
constexpr std::string_view kCloseTag = "</REUTERS>";

std::string_view Trim(std::string_view s) {
  const std::size_t begin = s.find_first_not_of(" \t\r\n\f\v");
  if (begin == std::string_view::npos) return {};
  const std::size_t end = s.find_last_not_of(" \t\r\n\f\v");
  return s.substr(begin, end - begin + 1);
}

// Concatenation without operator+ on temporaries, which g++ 12 misreports under -Wrestrict.
std::string Concat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view part : parts) out.append(part);
  return out;
}

void AppendCodePoint(std::uint32_t c, std::string* out) {
  // C0 controls (except tab and line feed), DEL and C1 controls carry no text: Reuters uses them
  // as wire markers (&#2; start of text, &#3; end of text).
  if ((c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7f && c < 0xa0)) return;
  if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return;
  char buffer[4];
  std::int32_t length = 0;
  U8_APPEND_UNSAFE(buffer, length, static_cast<UChar32>(c));
  out->append(buffer, static_cast<std::size_t>(length));
}

// Replaces SGML entity and character references; unknown references are kept as written.
std::string DecodeText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c != '&') {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x80) {
        AppendCodePoint(u, &out);
      } else {
        out += c;
      }
      continue;
    }
    const std::size_t semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out += c;
      continue;
    }
    const std::string_view name = s.substr(i + 1, semi - i - 1);
    if (name == "lt") {
      out += '<';
    } else if (name == "gt") {
      out += '>';
    } else if (name == "amp") {
      out += '&';
    } else if (name == "quot") {
      out += '"';
    } else if (name == "apos") {
      out += '\'';
    } else if (name.size() >= 2 && name[0] == '#') {
      const bool hex = name[1] == 'x' || name[1] == 'X';
      const std::string_view digits = name.substr(hex ? 2 : 1);
      std::uint32_t value = 0;
      bool valid = !digits.empty();
      for (char d : digits) {
        const int v = std::isdigit(static_cast<unsigned char>(d)) ? d - '0'
                      : hex && std::isxdigit(static_cast<unsigned char>(d))
                          ? std::tolower(d) - 'a' + 10
                          : -1;
        if (v < 0 || value > 0x10ffff) {
          valid = false;
          break;
        }
        value = value * (hex ? 16 : 10) + static_cast<std::uint32_t>(v);
      }
      if (!valid) {
        out += c;
        continue;
      }
      AppendCodePoint(value, &out);
    } else {
      out += c;
      continue;
    }
    i = semi;
  }
  return out;
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : Trim(s)) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// Content of the first <NAME ...>...</NAME> in `record`, or nullopt.
std::optional<std::string_view> Element(std::string_view record, std::string_view name,
                                        std::string_view* open_tag = nullptr) {
  const std::string open = Concat({"<", name});
  const std::string close = Concat({"</", name, ">"});
  std::size_t at = 0;
  while ((at = record.find(open, at)) != std::string_view::npos) {
    const std::size_t after = at + open.size();
    if (after < record.size() && (record[after] == '>' || record[after] == ' ')) break;
    at = after;
  }
  if (at == std::string_view::npos) return std::nullopt;
  const std::size_t tag_end = record.find('>', at);
  if (tag_end == std::string_view::npos) return std::nullopt;
  const std::size_t end = record.find(close, tag_end + 1);
  if (end == std::string_view::npos) return std::nullopt;
  if (open_tag != nullptr) *open_tag = record.substr(at, tag_end + 1 - at);
  return record.substr(tag_end + 1, end - tag_end - 1);
}

// `text` without the <NAME>...</NAME> elements listed.
std::string WithoutElements(std::string_view text, std::initializer_list<std::string_view> names) {
  std::string out(text);
  for (std::string_view name : names) {
    const std::string open = Concat({"<", name, ">"});
    const std::string close = Concat({"</", name, ">"});
    const std::size_t at = out.find(open);
    if (at == std::string::npos) continue;
    const std::size_t end = out.find(close, at);
    if (end == std::string::npos) continue;
    out.erase(at, end + close.size() - at);
  }
  return out;
}

// Attribute values of the <REUTERS ...> tag: NAME="value".
std::optional<std::string> Attribute(std::string_view tag, std::string_view name) {
  const std::string key = Concat({" ", name, "=\""});
  const std::size_t at = tag.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  const std::size_t begin = at + key.size();
  const std::size_t end = tag.find('"', begin);
  if (end == std::string_view::npos) return std::nullopt;
  return std::string(tag.substr(begin, end - begin));
}

// "<D>a</D><D>b</D>" -> "a;b".
std::string JoinD(std::string_view list) {
  std::string out;
  std::size_t at = 0;
  while ((at = list.find("<D>", at)) != std::string_view::npos) {
    const std::size_t end = list.find("</D>", at);
    if (end == std::string_view::npos) break;
    if (!out.empty()) out += ';';
    out += DecodeText(Trim(list.substr(at + 3, end - at - 3)));
    at = end + 4;
  }
  return out;
}

// "26-FEB-1987 15:01:01.79" -> "1987-02-26".
std::optional<std::string> ParseReutersDate(std::string_view value) {
  value = Trim(value);
  static constexpr std::string_view kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                 "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  const std::size_t dash1 = value.find('-');
  if (dash1 == std::string_view::npos || dash1 == 0 || dash1 > 2) return std::nullopt;
  const std::size_t dash2 = value.find('-', dash1 + 1);
  if (dash2 != dash1 + 4 || value.size() < dash2 + 5) return std::nullopt;
  std::string month(value.substr(dash1 + 1, 3));
  for (char& c : month) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto found = std::find(std::begin(kMonths), std::end(kMonths), month);
  if (found == std::end(kMonths)) return std::nullopt;
  const std::string_view day = value.substr(0, dash1);
  const std::string_view year = value.substr(dash2 + 1, 4);
  const auto digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  };
  if (!digits(day) || !digits(year)) return std::nullopt;
  const int month_number = static_cast<int>(found - std::begin(kMonths)) + 1;
  const int day_number = std::stoi(std::string(day));
  if (day_number < 1 || day_number > 31) return std::nullopt;
  std::string out(year);
  out += '-';
  out += static_cast<char>('0' + month_number / 10);
  out += static_cast<char>('0' + month_number % 10);
  out += '-';
  out += static_cast<char>('0' + day_number / 10);
  out += static_cast<char>('0' + day_number % 10);
  return out;
}

bool IsSignoff(std::string_view line) {
  std::string lower(Trim(line));
  while (!lower.empty() && lower.back() == '.') lower.pop_back();
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "reuter" || lower == "reuters";
}

// Reuters bodies are hard-wrapped and start each paragraph with an indented line. Lines are
// joined into one line per paragraph and handed to BuildBody, whose rules then apply unchanged.
void SetBody(std::string_view decoded, std::uint32_t first_line, v1::StoredArticle* article) {
  std::vector<std::string_view> lines;
  while (!decoded.empty()) {
    const std::size_t cut = decoded.find('\n');
    std::string_view line = decoded.substr(0, cut);
    // Briefs put "******" before the title; what is left of that line is the text.
    if (const std::size_t stars = line.find_first_not_of('*'); stars >= 3) {
      line.remove_prefix(stars == std::string_view::npos ? line.size() : stars);
    }
    lines.push_back(line);
    decoded.remove_prefix(cut == std::string_view::npos ? decoded.size() : cut + 1);
  }
  while (!lines.empty() && Trim(lines.back()).empty()) lines.pop_back();
  while (!lines.empty() && Trim(lines.front()).empty()) {
    lines.erase(lines.begin());
    ++first_line;
  }
  if (!lines.empty() && IsSignoff(lines.back())) lines.pop_back();
  if (lines.size() == 1 && Trim(lines[0]) == "Blah blah blah.") return;  // Placeholder of briefs.

  std::vector<std::pair<std::string, std::uint32_t>> paragraphs;
  std::uint32_t number = first_line;
  for (std::string_view line : lines) {
    const std::string_view text = Trim(line);
    const bool indented = !line.empty() && (line[0] == ' ' || line[0] == '\t');
    if (text.empty()) {
      if (!paragraphs.empty() && !paragraphs.back().first.empty())
        paragraphs.emplace_back("", number);
    } else if (paragraphs.empty() || paragraphs.back().first.empty() || indented) {
      paragraphs.emplace_back(std::string(text), number);
    } else {
      paragraphs.back().first += ' ';
      paragraphs.back().first += text;
    }
    ++number;
  }
  std::erase_if(paragraphs, [](const auto& p) { return p.first.empty(); });
  internal::BuildBody(paragraphs, article);
}

}  // namespace

std::vector<v1::StoredArticle> ParseReutersSgml(std::string_view content, const std::string& path,
                                                std::vector<ReadIssue>* issues) {
  std::vector<v1::StoredArticle> articles;
  std::string repaired;
  if (!internal::CheckContent(content, path, &repaired, issues)) return articles;
  if (!repaired.empty()) content = repaired;

  // Line numbers are counted incrementally as the scan moves forward.
  std::size_t counted_to = 0;
  std::uint32_t line = 1;
  const auto line_at = [&](std::size_t offset) {
    line += static_cast<std::uint32_t>(
        std::count(content.begin() + static_cast<std::ptrdiff_t>(counted_to),
                   content.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
    counted_to = offset;
    return line;
  };
  const auto find_open = [&](std::size_t from) {
    while ((from = content.find(kOpenTag, from)) != std::string_view::npos) {
      const std::size_t after = from + kOpenTag.size();
      if (after < content.size() && (content[after] == ' ' || content[after] == '>')) return from;
      from = after;
    }
    return std::string_view::npos;
  };

  std::size_t start = find_open(0);
  if (start == std::string_view::npos) {
    issues->push_back({ReadIssue::Severity::kError, path, 1,
                       "no <REUTERS> record: not a Reuters-21578 SGML file; skipped"});
    return articles;
  }
  while (start != std::string_view::npos) {
    const std::uint32_t record_line = line_at(start);
    const auto error = [&](std::string message) {
      issues->push_back({ReadIssue::Severity::kError, path, record_line, std::move(message)});
    };
    const std::size_t next = find_open(start + kOpenTag.size());
    const std::size_t close = content.find(kCloseTag, start);
    if (close == std::string_view::npos || (next != std::string_view::npos && next < close)) {
      error("<REUTERS> record is not closed by </REUTERS> (truncated); skipped");
      start = next;
      continue;
    }
    const std::string_view record = content.substr(start, close + kCloseTag.size() - start);
    start = next;

    const std::size_t tag_end = record.find('>');
    const std::string_view tag = record.substr(0, tag_end + 1);
    const std::optional<std::string> id = Attribute(tag, "NEWID");
    if (!id || id->empty()) {
      error("<REUTERS> tag has no NEWID attribute; skipped");
      continue;
    }
    std::string_view text_tag;
    const std::optional<std::string_view> text = Element(record, "TEXT", &text_tag);
    if (!text) {
      error("record NEWID=" + *id + " has no complete <TEXT> element; skipped");
      continue;
    }

    v1::StoredArticle article;
    article.set_id(*id);
    article.set_source("Reuters-21578");
    article.set_language("en");
    article.mutable_origin()->set_path(path);
    article.mutable_origin()->set_line(record_line);
    article.set_content_hash(ContentHash(record));
    auto& metadata = *article.mutable_metadata();
    for (const char* name : {"LEWISSPLIT", "CGISPLIT", "OLDID", "TOPICS"}) {
      if (std::optional<std::string> value = Attribute(tag, name)) {
        std::string key(name);
        for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (key == "topics") key = "topics_attribute";  // "topics" holds the TOPICS categories.
        metadata[key] = *value;
      }
    }
    for (const char* name : {"TOPICS", "PLACES", "PEOPLE", "ORGS", "EXCHANGES"}) {
      if (std::optional<std::string_view> list = Element(record.substr(tag_end + 1), name)) {
        std::string key(name);
        for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        metadata[key] = JoinD(*list);
      }
    }
    if (std::optional<std::string_view> date = Element(record, "DATE")) {
      if (std::optional<std::string> published = ParseReutersDate(*date)) {
        article.set_published(*published);
      } else {
        issues->push_back({ReadIssue::Severity::kWarning, path, record_line,
                           "record NEWID=" + *id + ": date '" + std::string(Trim(*date)) +
                               "' is not DD-MMM-YYYY; ignored"});
      }
    }
    if (std::optional<std::string_view> title = Element(*text, "TITLE")) {
      article.set_title(CollapseSpaces(DecodeText(*title)));
    }
    if (std::optional<std::string_view> dateline = Element(*text, "DATELINE")) {
      std::string value = CollapseSpaces(DecodeText(*dateline));
      if (value.ends_with(" -")) value.resize(value.size() - 2);
      if (!value.empty()) metadata["dateline"] = value;
    }
    if (std::optional<std::string_view> author = Element(*text, "AUTHOR")) {
      std::string value = CollapseSpaces(DecodeText(*author));
      if (value.size() > 3 && (value.starts_with("By ") || value.starts_with("by "))) {
        value.erase(0, 3);
      }
      if (value.ends_with(", Reuters")) value.resize(value.size() - 9);
      if (!value.empty()) article.add_authors(value);
    }
    std::string body;
    if (std::optional<std::string_view> b = Element(*text, "BODY")) {
      body = DecodeText(*b);
    } else {
      body = DecodeText(WithoutElements(*text, {"TITLE", "DATELINE", "AUTHOR"}));
    }
    const std::uint32_t text_line =
        record_line + static_cast<std::uint32_t>(std::count(
                          record.begin(), record.begin() + (text->data() - record.data()), '\n'));
    SetBody(body, text_line, &article);
    if (article.title().empty() && article.sections_size() == 0) {
      // Kept, so that its id and categories stay searchable (NEWID 12793 is such a record).
      issues->push_back({ReadIssue::Severity::kWarning, path, record_line,
                         "record NEWID=" + *id + " has neither title nor text; kept empty"});
    }
    articles.push_back(std::move(article));
  }
  return articles;
}

}  // namespace dyad
