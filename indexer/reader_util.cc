// Text helpers shared by the corpus readers (reader_internal.h).
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <filesystem>

#include "indexer/reader_internal.h"

namespace dyad::internal {
namespace {

constexpr std::string_view kBlanks = " \t\f\v\r\n";

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int ToInt(std::string_view digits) {
  int value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}

std::size_t Indent(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && (line[n] == ' ' || line[n] == '\t')) ++n;
  return n;
}

int FullYear(std::string_view digits) {
  const int year = ToInt(digits);
  if (digits.size() != 2) return year;
  return year >= 30 ? 1900 + year : 2000 + year;
}

std::optional<std::string> Compose(int year, int month, int day) {
  if (year < 1000 || year > 2999 || month < 0 || month > 12 || day < 0 || day > 31) {
    return std::nullopt;
  }
  if (month == 0 && day > 0) return std::nullopt;
  char buffer[16];
  if (month == 0) {
    std::snprintf(buffer, sizeof buffer, "%04d", year);
  } else if (day == 0) {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d", year, month);
  } else {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  }
  return std::string(buffer);
}

// 1..12 for an English month name or its three-letter abbreviation (any case), else 0.
int MonthNumber(std::string_view word) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  std::string lower(word);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.size() < 3) return 0;
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == lower || (lower.size() == 3 && kMonths[i].starts_with(lower)) ||
        (lower == "sept" && i == 8)) {
      return static_cast<int>(i) + 1;
    }
  }
  return 0;
}

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && !std::isalnum(static_cast<unsigned char>(s[i]))) ++i;
    std::size_t j = i;
    while (j < s.size() && std::isalnum(static_cast<unsigned char>(s[j]))) ++j;
    if (j > i) words.push_back(s.substr(i, j - i));
    i = j;
  }
  return words;
}

}  // namespace

std::vector<Line> SplitLines(std::string_view content, std::uint32_t first_number) {
  std::vector<Line> lines;
  std::uint32_t number = first_number;
  while (!content.empty()) {
    const std::size_t end = content.find('\n');
    std::string_view line = content.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back({line, number++});
    if (end == std::string_view::npos) break;
    content.remove_prefix(end + 1);
  }
  return lines;
}

std::string_view Trim(std::string_view s) {
  const std::size_t begin = s.find_first_not_of(kBlanks);
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(kBlanks) - begin + 1);
}

std::string CollapseWhitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (kBlanks.find(c) != std::string_view::npos) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::vector<std::pair<std::string, std::uint32_t>> WrappedParagraphs(
    const std::vector<Line>& lines) {
  std::vector<std::pair<std::string, std::uint32_t>> paragraphs;
  std::optional<std::size_t> previous_indent;  // Unset after a blank line.
  for (const Line& line : lines) {
    const std::string_view text = Trim(line.text);
    if (text.empty()) {
      previous_indent.reset();
      continue;
    }
    const std::size_t indent = Indent(line.text);
    if (!previous_indent || indent > *previous_indent) {
      paragraphs.emplace_back(std::string(text), line.number);
    } else {
      paragraphs.back().first += ' ';
      paragraphs.back().first += text;
    }
    previous_indent = indent;
  }
  return paragraphs;
}

std::optional<std::string> ParseLooseDate(std::string_view value) {
  value = Trim(value);
  if (value.empty()) return std::nullopt;
  // ISO forms first ("1963-01-04", "1963-01-04T10:00:00", "1963-01", "1963").
  if (value.size() >= 4 && IsDigits(value.substr(0, 4)) && (value.size() == 4 || value[4] == '-')) {
    if (value.size() == 4) return Compose(ToInt(value), 0, 0);
    if (value.size() == 7 && IsDigits(value.substr(5, 2))) {
      return Compose(ToInt(value.substr(0, 4)), ToInt(value.substr(5, 2)), 0);
    }
    if (value.size() >= 10 && IsDigits(value.substr(5, 2)) && value[7] == '-' &&
        IsDigits(value.substr(8, 2)) &&
        (value.size() == 10 || value[10] == 'T' || value[10] == ' ')) {
      return Compose(ToInt(value.substr(0, 4)), ToInt(value.substr(5, 2)),
                     ToInt(value.substr(8, 2)));
    }
  }
  // The first token alone: YYYYMMDD, YYMMDD, MM/DD/YY, MM/DD/YYYY.
  const std::string_view token = value.substr(0, value.find_first_of(" \t,"));
  if (IsDigits(token) && token.size() == 8) {
    return Compose(ToInt(token.substr(0, 4)), ToInt(token.substr(4, 2)), ToInt(token.substr(6, 2)));
  }
  if (IsDigits(token) && token.size() == 6) {
    return Compose(FullYear(token.substr(0, 2)), ToInt(token.substr(2, 2)),
                   ToInt(token.substr(4, 2)));
  }
  if (const std::size_t slash = token.find('/'); slash != std::string_view::npos) {
    const std::size_t second = token.find('/', slash + 1);
    if (second == std::string_view::npos) return std::nullopt;
    const std::string_view month = token.substr(0, slash);
    const std::string_view day = token.substr(slash + 1, second - slash - 1);
    const std::string_view year = token.substr(second + 1);
    if (!IsDigits(month) || !IsDigits(day) || !IsDigits(year) || month.size() > 2 ||
        day.size() > 2 || (year.size() != 2 && year.size() != 4)) {
      return std::nullopt;
    }
    const int m = ToInt(month);
    const int d = ToInt(day);
    if (m < 1 || d < 1) return std::nullopt;
    return Compose(FullYear(year), m, d);
  }
  // Words: a month name and a four-digit year, with an optional day next to the month.
  const std::vector<std::string_view> words = Words(value);
  int month = 0;
  int day = 0;
  int year = 0;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (const int m = MonthNumber(words[i]); m > 0 && month == 0) {
      month = m;
      const auto is_day = [](std::string_view w) { return IsDigits(w) && w.size() <= 2; };
      if (i + 1 < words.size() && is_day(words[i + 1])) {
        day = ToInt(words[i + 1]);
      } else if (i > 0 && is_day(words[i - 1])) {
        day = ToInt(words[i - 1]);
      }
    } else if (IsDigits(words[i]) && words[i].size() == 4 && year == 0) {
      year = ToInt(words[i]);
    }
  }
  if (year == 0) return std::nullopt;
  if (month == 0 && words.size() > 1) return std::nullopt;  // "12 4 1963": not a date we know.
  return Compose(year, month, day);
}

void SetRecordOrigin(const std::string& path, std::uint32_t line, std::string_view raw,
                     v1::StoredArticle* article) {
  article->mutable_origin()->set_path(path);
  article->mutable_origin()->set_line(line);
  article->set_content_hash(ContentHash(raw));
  if (article->language().empty()) article->set_language("en");
}

std::string CollectionName(const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  return name.substr(0, name.find('.'));
}

}  // namespace dyad::internal
