// Reader for articles in the seed's plain-text shape (see reader.h for the format).
#include <algorithm>
#include <cctype>
#include <optional>

#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include "indexer/reader.h"
#include "indexer/reader_internal.h"

namespace dyad {
namespace {

using internal::Line;
using internal::SplitLines;
using internal::Trim;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Unquote(std::string_view v) {
  v = Trim(v);
  if (v.size() >= 2 && ((v.front() == '"' && v.back() == '"') ||
                        (v.front() == '\'' && v.back() == '\''))) {
    v = v.substr(1, v.size() - 2);
  }
  return std::string(v);
}

// "a; b", "a, b" or "[a, b]" -> {"a", "b"}.
std::vector<std::string> SplitList(std::string_view v) {
  v = Trim(v);
  if (v.size() >= 2 && v.front() == '[' && v.back() == ']') v = v.substr(1, v.size() - 2);
  const char separator = v.find(';') != std::string_view::npos ? ';' : ',';
  std::vector<std::string> items;
  while (true) {
    const std::size_t cut = v.find(separator);
    std::string item = Unquote(v.substr(0, cut));
    if (!item.empty()) items.push_back(std::move(item));
    if (cut == std::string_view::npos) break;
    v.remove_prefix(cut + 1);
  }
  return items;
}

// "1945", "1945-01", "1945-01-06" (a longer ISO timestamp is cut to its date).
std::optional<std::string> ParseDate(std::string_view v) {
  v = Trim(v);
  if (v.size() > 10 && (v[10] == 'T' || v[10] == ' ')) v = v.substr(0, 10);
  const auto digits = [&](std::size_t from, std::size_t n) {
    if (v.size() < from + n) return false;
    return std::all_of(v.begin() + from, v.begin() + from + n,
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  };
  if (v.size() == 4 && digits(0, 4)) return std::string(v);
  if (v.size() == 7 && digits(0, 4) && v[4] == '-' && digits(5, 2)) return std::string(v);
  if (v.size() == 10 && digits(0, 4) && v[4] == '-' && digits(5, 2) && v[7] == '-' &&
      digits(8, 2)) {
    return std::string(v);
  }
  return std::nullopt;
}

bool IsBullet(std::string_view line) {
  return line.size() > 2 && (line[0] == '-' || line[0] == '*') && line[1] == ' ';
}

// "- Label: text" -> {label, text}; "- text" -> {"", text}. A label is short and has no
// sentence punctuation, so a bullet that merely contains a colon keeps it in its text.
v1::KeyPoint ParseKeyPoint(std::string_view bullet) {
  std::string_view body = Trim(bullet.substr(2));
  v1::KeyPoint point;
  const std::size_t colon = body.find(": ");
  if (colon != std::string_view::npos && colon > 0 && colon <= 80 &&
      body.substr(0, colon).find_first_of(".!?;") == std::string_view::npos) {
    point.set_label(std::string(Trim(body.substr(0, colon))));
    point.set_text(std::string(Trim(body.substr(colon + 2))));
  } else {
    point.set_text(std::string(body));
  }
  return point;
}

std::size_t WordCount(std::string_view s) {
  std::size_t words = 0;
  bool in_word = false;
  for (char c : s) {
    const bool space = c == ' ' || c == '\t';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

bool LooksLikeHeading(std::string_view line) {
  if (line.empty() || line.size() > 100 || IsBullet(line)) return false;
  if (WordCount(line) > 12) return false;
  const unsigned char first = static_cast<unsigned char>(line.front());
  if (std::islower(first)) return false;
  for (std::string_view end : {".", ",", ";", ":", "!", "?", "\"", "'", ")", "]", "”", "’",
                               "…"}) {
    if (line.ends_with(end)) return false;
  }
  return true;
}

bool IsAuthorNote(std::string_view line) {
  const std::string lower = Lower(line.substr(0, 16));
  return lower.starts_with("the author") || lower.starts_with("the writer");
}

}  // namespace

namespace internal {

// Body paragraphs from lines, with the heading and author-note rules of reader.h applied.
void BuildBody(const std::vector<std::pair<std::string, std::uint32_t>>& raw_lines,
               v1::StoredArticle* article, bool take_author_note) {
  // Paragraph mode: a block of several consecutive non-empty lines means hard-wrapped text.
  bool blocks = false;
  for (std::size_t i = 0; i + 1 < raw_lines.size(); ++i) {
    if (!Trim(raw_lines[i].first).empty() && !Trim(raw_lines[i + 1].first).empty() &&
        raw_lines[i].first.size() >= 60 && raw_lines[i].first.size() <= 100) {
      blocks = true;
    }
  }
  bool has_blank = std::any_of(raw_lines.begin(), raw_lines.end(),
                               [](const auto& l) { return Trim(l.first).empty(); });
  blocks = blocks && has_blank;

  std::vector<std::string> paragraphs;
  std::string current;
  for (const auto& [text, number] : raw_lines) {
    std::string_view line = Trim(text);
    if (line.empty()) {
      if (!current.empty()) paragraphs.push_back(std::move(current));
      current.clear();
      continue;
    }
    if (!blocks || IsBullet(line)) {
      if (!current.empty()) paragraphs.push_back(std::move(current));
      current.clear();
      paragraphs.emplace_back(line);
      continue;
    }
    if (!current.empty()) current += ' ';
    current += line;
  }
  if (!current.empty()) paragraphs.push_back(std::move(current));

  if (take_author_note && !paragraphs.empty() && IsAuthorNote(paragraphs.back()) &&
      article->author_note().empty()) {
    article->set_author_note(paragraphs.back());
    paragraphs.pop_back();
  }

  v1::Section* section = article->add_sections();  // The lead, with an empty heading.
  for (std::size_t i = 0; i < paragraphs.size(); ++i) {
    const bool between_paragraphs = i > 0 && i + 1 < paragraphs.size();
    if (between_paragraphs && LooksLikeHeading(paragraphs[i]) &&
        !LooksLikeHeading(paragraphs[i + 1])) {
      section = article->add_sections();
      section->set_heading(paragraphs[i]);
      continue;
    }
    section->add_paragraphs(paragraphs[i]);
  }
  if (article->sections_size() > 0 && article->sections(0).paragraphs_size() == 0 &&
      article->sections(0).heading().empty()) {
    article->mutable_sections()->erase(article->mutable_sections()->begin());
  }
}

std::optional<std::uint32_t> FirstInvalidUtf8Line(std::string_view content) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(content.data());
  const auto length = static_cast<std::int32_t>(content.size());
  std::uint32_t line = 1;
  for (std::int32_t i = 0; i < length;) {
    if (bytes[i] == '\n') ++line;
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) return line;
  }
  return std::nullopt;
}

std::string RepairUtf8(std::string_view content) {
  std::string out;
  icu::UnicodeString::fromUTF8(
      icu::StringPiece(content.data(), static_cast<std::int32_t>(content.size())))
      .toUTF8String(out);
  return out;
}

bool CheckContent(std::string_view content, const std::string& path, std::string* repaired,
                  std::vector<ReadIssue>* issues) {
  const auto error = [&](std::uint32_t line, std::string message) {
    issues->push_back({ReadIssue::Severity::kError, path, line, std::move(message)});
    return false;
  };
  if (content.size() > kMaxArticleFileBytes) {
    return error(0, "file is " + std::to_string(content.size()) + " bytes, over the limit of " +
                        std::to_string(kMaxArticleFileBytes) + "; skipped");
  }
  if (const std::size_t nul = content.find('\0'); nul != std::string_view::npos) {
    const auto line = 1 + std::count(content.begin(), content.begin() + nul, '\n');
    return error(static_cast<std::uint32_t>(line), "NUL byte: binary data, not text; skipped");
  }
  if (content.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos) {
    return error(1, "empty article; skipped");
  }
  if (std::optional<std::uint32_t> bad = FirstInvalidUtf8Line(content)) {
    issues->push_back({ReadIssue::Severity::kWarning, path, *bad,
                       "invalid UTF-8 replaced with U+FFFD"});
    *repaired = RepairUtf8(content);
  }
  return true;
}

bool ApplyField(std::string_view key, std::string_view value, v1::StoredArticle* article) {
  const std::string k = Lower(Trim(key));
  if (k == "id") {
    article->set_id(Unquote(value));
  } else if (k == "title") {
    article->set_title(Unquote(value));
  } else if (k == "author" || k == "authors") {
    for (std::string& a : SplitList(value)) article->add_authors(std::move(a));
  } else if (k == "date" || k == "published" || k == "year") {
    std::optional<std::string> date = ParseDate(Unquote(value));
    if (!date) return false;
    article->set_published(*date);
  } else if (k == "source") {
    article->set_source(Unquote(value));
  } else if (k == "url") {
    article->set_url(Unquote(value));
  } else if (k == "language" || k == "lang") {
    article->set_language(Unquote(value));
  } else if (k == "author_note") {
    article->set_author_note(Unquote(value));
  } else {
    (*article->mutable_metadata())[k] = Unquote(value);
  }
  return true;
}

std::optional<std::string> NormalizedDate(std::string_view value) { return ParseDate(value); }

}  // namespace internal

std::optional<v1::StoredArticle> ParseTextArticle(std::string_view content,
                                                  const std::string& path,
                                                  const std::string& default_id,
                                                  std::vector<ReadIssue>* issues) {
  const auto error = [&](std::uint32_t line, std::string message) {
    issues->push_back({ReadIssue::Severity::kError, path, line, std::move(message)});
    return std::nullopt;
  };
  std::string repaired;
  if (!internal::CheckContent(content, path, &repaired, issues)) return std::nullopt;
  if (!repaired.empty()) content = repaired;
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);  // UTF-8 byte order mark.

  v1::StoredArticle article;
  article.set_content_hash(ContentHash(content));
  article.mutable_origin()->set_path(path);
  article.mutable_origin()->set_line(1);

  std::vector<Line> lines = SplitLines(content, 1);
  std::size_t next = 0;
  if (!lines.empty() && Trim(lines[0].text) == "---") {
    std::size_t close = 1;
    while (close < lines.size() && Trim(lines[close].text) != "---") ++close;
    if (close == lines.size()) {
      return error(1, "front matter opened with '---' is never closed; skipped");
    }
    for (std::size_t i = 1; i < close; ++i) {
      std::string_view line = Trim(lines[i].text);
      if (line.empty() || line.front() == '#') continue;
      const std::size_t colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0) {
        return error(lines[i].number, "front matter line is not 'key: value'; skipped");
      }
      if (!internal::ApplyField(line.substr(0, colon), line.substr(colon + 1), &article)) {
        issues->push_back({ReadIssue::Severity::kWarning, path, lines[i].number,
                           "date '" + std::string(Trim(line.substr(colon + 1))) +
                               "' is not YYYY, YYYY-MM or YYYY-MM-DD; ignored"});
      }
    }
    next = close + 1;
  }
  while (next < lines.size() && Trim(lines[next].text).empty()) ++next;
  if (article.title().empty()) {
    if (next == lines.size()) {
      return error(lines.empty() ? 1 : lines.back().number, "no title and no text; skipped");
    }
    article.set_title(std::string(Trim(lines[next].text)));
    ++next;
  }
  // Key points: bullets right after the title (blank lines allowed between them).
  std::size_t after_points = next;
  for (std::size_t i = next; i < lines.size(); ++i) {
    std::string_view line = Trim(lines[i].text);
    if (line.empty()) continue;
    if (!IsBullet(line)) break;
    *article.add_key_points() = ParseKeyPoint(line);
    after_points = i + 1;
  }
  std::vector<std::pair<std::string, std::uint32_t>> body;
  for (std::size_t i = after_points; i < lines.size(); ++i) {
    body.emplace_back(std::string(lines[i].text), lines[i].number);
  }
  internal::BuildBody(body, &article);
  if (article.id().empty()) article.set_id(default_id);
  if (article.language().empty()) article.set_language("en");
  return article;
}

std::string ContentHash(std::string_view bytes) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, hash >>= 4) out[i] = kHex[hash & 0xf];
  return out;
}

std::string ReadIssue::ToString() const {
  return path + ":" + std::to_string(line) + ": " +
         (severity == Severity::kWarning ? "warning" : "error") + ": " + message;
}

}  // namespace dyad
