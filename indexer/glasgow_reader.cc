// Reader for the Glasgow format of the 1963 TIME magazine test collection (TIME.ALL): several
// records per file, all-caps text, the end of the collection marked.
//
//   *TEXT 017 01/04/63 PAGE 020      starts a record: number (the article id exactly as printed,
//                                    "017"), date month/day/year (-> 1963-01-04; two-digit years
//   THE ALLIES AFTER NASSAU IN       are 19YY from 30 up), "PAGE" and the page (metadata "page")
//   DECEMBER 1960, THE U.S . FIRST
//   PROPOSED TO HELP NATO ...        the text, hard-wrapped; a blank line ends a paragraph
//
//   *TEXT 018 01/04/63 PAGE 021
//   ...
//   *STOP                            ends the file
//
// Punctuation is printed as a separate token ("THE U.S . FIRST"); the reader closes those gaps
// ("THE U.S. FIRST") so snippets read normally, and otherwise keeps the text as printed.
// The collection has no titles: the title is the first sentence when it has at most
// kTitleWords words, else its first kTitleWords words. The source is the file name up to its
// first dot ("TIME").
// Errors, each at its line, skip the record: `*TEXT` without a number, a record with no text,
// and the last record of a file without `*STOP` (the file was cut short, so that record may
// be too). A bad date is a warning (the article keeps no date); so are text before the first
// `*TEXT` and text after `*STOP`, which are ignored.
#include <cctype>

#include "indexer/reader.h"
#include "indexer/reader_internal.h"

namespace dyad {
namespace {

using internal::Line;
using internal::Trim;

constexpr std::size_t kTitleWords = 12;

std::vector<std::string_view> Tokens(std::string_view s) {
  std::vector<std::string_view> tokens;
  while (true) {
    s = Trim(s);
    if (s.empty()) return tokens;
    const std::size_t end = s.find_first_of(" \t");
    tokens.push_back(s.substr(0, end));
    if (end == std::string_view::npos) return tokens;
    s.remove_prefix(end);
  }
}

bool IsHeader(std::string_view line) {
  line = Trim(line);
  return line.starts_with("*TEXT") && (line.size() == 5 || line[5] == ' ' || line[5] == '\t');
}

// "U.S . FIRST" -> "U.S. FIRST", "( A )" -> "(A)".
std::string CloseGaps(std::string_view line) {
  std::string out;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == ' ' && !out.empty() && out.back() != ' ' && i + 1 < line.size() &&
        std::string_view(".,;:?!)").find(line[i + 1]) != std::string_view::npos &&
        (i + 2 == line.size() || line[i + 2] == ' ')) {
      continue;
    }
    if (c == ' ' && !out.empty() && out.back() == '(') continue;
    out += c;
  }
  return out;
}

// A word ending in '.' ends a sentence unless it is an initial or abbreviation ("U.S.", "J.",
// "MR.").
bool EndsSentence(std::string_view word) {
  if (word.ends_with('?') || word.ends_with('!')) return true;
  if (!word.ends_with('.')) return false;
  word.remove_suffix(1);
  if (word.find('.') != std::string_view::npos || word.size() <= 1) return false;
  for (std::string_view abbreviation : {"MR", "MRS", "DR", "ST", "GEN", "SEN", "REP", "GOV"}) {
    if (word == abbreviation) return false;
  }
  return true;
}

std::string TitleOf(std::string_view text) {
  std::string title;
  std::size_t words = 0;
  for (std::string_view word : Tokens(text)) {
    if (words == kTitleWords) return title;
    if (!title.empty()) title += ' ';
    ++words;
    if (EndsSentence(word)) {
      word.remove_suffix(1);
      title += word;
      return title;
    }
    title += word;
  }
  return title;
}

struct Record {
  std::string id;
  std::uint32_t line = 0;
  std::size_t begin = 0;
  std::vector<Line> text;
  std::vector<std::string> tidy;  // Owns the text of `text`.
  std::string published;
  std::string page;
};

}  // namespace

std::vector<v1::StoredArticle> ParseGlasgow(std::string_view content, const std::string& path,
                                            std::vector<ReadIssue>* issues) {
  std::vector<v1::StoredArticle> articles;
  std::string repaired;
  if (!internal::CheckContent(content, path, &repaired, issues)) return articles;
  if (!repaired.empty()) content = repaired;
  const auto issue = [&](ReadIssue::Severity severity, std::uint32_t line, std::string message) {
    issues->push_back({severity, path, line, std::move(message)});
  };

  const std::vector<Line> lines = internal::SplitLines(content, 1);
  std::optional<Record> record;
  bool any_record = false;
  bool skipping = false;
  const auto finish = [&](std::size_t end) {
    if (!record) return;
    v1::StoredArticle article;
    article.set_id(record->id);
    std::vector<Line> text;
    for (std::size_t i = 0; i < record->text.size(); ++i) {
      text.push_back({record->tidy[i], record->text[i].number});
    }
    const auto paragraphs = internal::WrappedParagraphs(text);
    if (paragraphs.empty()) {
      issue(ReadIssue::Severity::kError, record->line,
            "*TEXT " + record->id + " has no text; skipped");
      record.reset();
      return;
    }
    article.set_title(TitleOf(paragraphs.front().first));
    internal::BuildBody(paragraphs, &article, /*take_author_note=*/false);
    article.set_published(record->published);
    if (!record->page.empty()) (*article.mutable_metadata())["page"] = record->page;
    article.set_source(internal::CollectionName(path));
    internal::SetRecordOrigin(path, record->line,
                              content.substr(record->begin, end - record->begin), &article);
    articles.push_back(std::move(article));
    record.reset();
  };

  std::uint32_t stray_line = 0;
  std::optional<std::uint32_t> stop_line;
  for (const Line& line : lines) {
    const std::size_t offset = static_cast<std::size_t>(line.text.data() - content.data());
    if (Trim(line.text) == "*STOP") {
      finish(offset);
      stop_line = line.number;
      break;
    }
    if (IsHeader(line.text)) {
      finish(offset);
      any_record = true;
      const std::vector<std::string_view> tokens = Tokens(line.text);
      const bool number =
          tokens.size() > 1 && tokens[1].find_first_not_of("0123456789") == std::string_view::npos;
      skipping = !number;
      if (!number) {
        issue(ReadIssue::Severity::kError, line.number, "*TEXT without a record number; skipped");
        continue;
      }
      record.emplace();
      record->id = std::string(tokens[1]);
      record->line = line.number;
      record->begin = offset;
      if (tokens.size() > 2) {
        if (std::optional<std::string> date = internal::ParseLooseDate(tokens[2]);
            date && tokens[2].find('/') != std::string_view::npos) {
          record->published = *date;
        } else {
          issue(ReadIssue::Severity::kWarning, line.number,
                "date '" + std::string(tokens[2]) + "' is not MM/DD/YY; *TEXT " + record->id +
                    " has no date");
        }
      }
      if (tokens.size() > 4 && tokens[3] == "PAGE") record->page = std::string(tokens[4]);
      continue;
    }
    if (skipping) continue;
    if (!record) {
      if (stray_line == 0 && !Trim(line.text).empty()) stray_line = line.number;
      continue;
    }
    record->text.push_back(line);
    record->tidy.push_back(CloseGaps(line.text));
  }
  if (stray_line != 0) {
    issue(ReadIssue::Severity::kWarning, stray_line, "text before the first *TEXT ignored");
  }
  if (!any_record) {
    issue(ReadIssue::Severity::kError, 1, "no *TEXT record in this Glasgow file; skipped");
    return articles;
  }
  if (stop_line) {
    for (const Line& line : lines) {
      if (line.number > *stop_line && !Trim(line.text).empty()) {
        issue(ReadIssue::Severity::kWarning, line.number, "text after *STOP ignored");
        break;
      }
    }
  } else if (record) {
    issue(ReadIssue::Severity::kError, record->line,
          "file ends without *STOP, so *TEXT " + record->id + " may be truncated; skipped");
  } else {
    issue(ReadIssue::Severity::kWarning, lines.back().number, "file ends without *STOP");
  }
  return articles;
}

}  // namespace dyad
