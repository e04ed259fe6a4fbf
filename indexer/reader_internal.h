// Helpers shared by the corpus readers; not part of the indexer's API.
#ifndef DYAD_INDEXER_READER_INTERNAL_H_
#define DYAD_INDEXER_READER_INTERNAL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "indexer/reader.h"

namespace dyad::internal {

// One line of a file's content, without its line ending ("\n" or "\r\n").
struct Line {
  std::string_view text;
  std::uint32_t number;  // 1-based.
};

// The lines of `content`, numbered from `first_number`.
std::vector<Line> SplitLines(std::string_view content, std::uint32_t first_number);

// `s` without leading and trailing blanks (space, tab, form feed, vertical tab, CR, LF).
std::string_view Trim(std::string_view s);

// Runs of whitespace become one space; leading and trailing whitespace goes.
std::string CollapseWhitespace(std::string_view s);

// Paragraphs of hard-wrapped text, as BuildBody's input: a paragraph ends at a blank line or
// where the next line is indented deeper than the one before it (the typewriter convention of
// CISI abstracts and newswire). Each paragraph is joined into one line, numbered by its first.
std::vector<std::pair<std::string, std::uint32_t>> WrappedParagraphs(
    const std::vector<Line>& lines);

// Dates as old collections print them, normalised to "YYYY", "YYYY-MM" or "YYYY-MM-DD":
// ISO forms, YYYYMMDD, YYMMDD, MM/DD/YY and MM/DD/YYYY (month first, US style), "January 4, 1963",
// "4 January 1963", "January 1963", "CACM December, 1958" (a month name and year anywhere), and a
// lone year. Two-digit years are 19YY from 30 up and 20YY below. nullopt when none fits or the
// month or day is out of range.
std::optional<std::string> ParseLooseDate(std::string_view value);

// The file name up to its first dot: "/data/CISI.ALL" -> "CISI"; the collection name that the
// multi-record readers store as the article's source.
std::string CollectionName(const std::string& path);

// Sets what every record of a multi-record file gets: its origin (path and the line where the
// record starts), the hash of its raw text, and English when no language is known.
void SetRecordOrigin(const std::string& path, std::uint32_t line, std::string_view raw,
                     v1::StoredArticle* article);

// Splits body lines into sections and paragraphs and takes the author note (reader.h rules).
// Readers of abstracts and newswire pass take_author_note = false: there a closing paragraph
// that starts "The authors ..." is text, not a note about the writer.
void BuildBody(const std::vector<std::pair<std::string, std::uint32_t>>& lines,
               v1::StoredArticle* article, bool take_author_note = true);

// False (with an error issue) for oversized, binary or empty content. Invalid UTF-8 is repaired
// into *repaired with a warning; *repaired stays empty when the content was valid.
bool CheckContent(std::string_view content, const std::string& path, std::string* repaired,
                  std::vector<ReadIssue>* issues);

// "YYYY", "YYYY-MM" or "YYYY-MM-DD" from a date string, or nullopt.
std::optional<std::string> NormalizedDate(std::string_view value);

}  // namespace dyad::internal

#endif  // DYAD_INDEXER_READER_INTERNAL_H_
