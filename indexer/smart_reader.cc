// Reader for the classic SMART format of the Cornell/Glasgow test collections (CISI, CACM, MED,
// CRAN...): several records per file, each a run of fields that start with a marker line.
//
//   .I 1                      starts a record; the number is the article id, as printed
//   .T                        title (its lines are joined)
//   18 Editions of the Dewey Decimal Classifications
//   .A                        author(s): one per line; the field may repeat
//   Comaromi, J.P.
//   .B                        bibliographic note ("1970", "CACM December, 1958"): kept in
//   1970                      metadata "biblio"; a year or month and year in it is the date
//   .W                        the text; a paragraph ends at a blank line or a deeper-indented
//      The present study ...  line
//   .X                        cross-references ("doc type count" lines): metadata "cross_refs",
//   1	5	1                  the lines joined with "; "
//
// .K (keywords) and .C (categories) go to metadata "keywords" and "categories", .N to "entry";
// any other one-letter field to metadata under its lowercase letter. A marker may carry text on
// its own line (".T Some title"). The article's source is the file name up to its first dot
// ("CISI"). A `.I` without a number and a record with neither .T nor .W text are errors at their
// line (the record is skipped); text outside any field and empty fields are warnings.
#include <cctype>
#include <map>

#include "indexer/reader.h"
#include "indexer/reader_internal.h"

namespace dyad {
namespace {

using internal::Line;
using internal::Trim;

// 'I', 'T', ... for a marker line (a dot, an upper-case letter, then nothing or a blank).
char MarkerOf(std::string_view line) {
  if (line.size() < 2 || line[0] != '.' || !std::isupper(static_cast<unsigned char>(line[1]))) {
    return 0;
  }
  if (line.size() > 2 && line[2] != ' ' && line[2] != '\t') return 0;
  return line[1];
}

struct Record {
  std::string id;
  std::uint32_t line = 0;  // Of its .I.
  std::size_t begin = 0;   // Byte offsets of the record in the content, for the hash.
  std::size_t end = 0;
  std::map<char, std::vector<Line>> fields;
  std::vector<std::pair<char, std::uint32_t>> order;  // Field markers in order, with lines.
};

std::string JoinLines(const std::vector<Line>& lines, std::string_view separator) {
  std::string out;
  for (const Line& line : lines) {
    const std::string text = internal::CollapseWhitespace(line.text);
    if (text.empty()) continue;
    if (!out.empty()) out += separator;
    out += text;
  }
  return out;
}

std::optional<v1::StoredArticle> BuildArticle(const Record& record, const std::string& path,
                                              std::string_view content,
                                              std::vector<ReadIssue>* issues) {
  const auto field = [&](char marker) -> const std::vector<Line>* {
    const auto it = record.fields.find(marker);
    return it == record.fields.end() ? nullptr : &it->second;
  };
  v1::StoredArticle article;
  article.set_id(record.id);
  if (const auto* title = field('T')) article.set_title(JoinLines(*title, " "));
  if (const auto* text = field('W')) {
    internal::BuildBody(internal::WrappedParagraphs(*text), &article, /*take_author_note=*/false);
  }
  if (article.title().empty() && article.sections_size() == 0) {
    issues->push_back({ReadIssue::Severity::kError, path, record.line,
                       "record .I " + record.id + " has neither .T nor .W text; skipped"});
    return std::nullopt;
  }
  for (const auto& [marker, lines] : record.fields) {
    switch (marker) {
      case 'I':
      case 'T':
      case 'W':
        break;
      case 'A':
        for (const Line& line : lines) {
          std::string author = internal::CollapseWhitespace(line.text);
          if (!author.empty()) article.add_authors(std::move(author));
        }
        break;
      case 'B': {
        const std::string biblio = JoinLines(lines, " ");
        if (biblio.empty()) break;
        (*article.mutable_metadata())["biblio"] = biblio;
        if (std::optional<std::string> date = internal::ParseLooseDate(biblio)) {
          article.set_published(*date);
        }
        break;
      }
      default: {
        const std::string value = JoinLines(lines, "; ");
        if (value.empty()) break;
        const std::string key = marker == 'X'   ? "cross_refs"
                                : marker == 'K' ? "keywords"
                                : marker == 'C' ? "categories"
                                : marker == 'N'
                                    ? "entry"
                                    : std::string(1, static_cast<char>(std::tolower(marker)));
        (*article.mutable_metadata())[key] = value;
      }
    }
  }
  for (const auto& [marker, line] : record.order) {
    if (JoinLines(record.fields.at(marker), "").empty()) {
      issues->push_back({ReadIssue::Severity::kWarning, path, line,
                         std::string("empty .") + marker + " field in record .I " + record.id});
    }
  }
  article.set_source(internal::CollectionName(path));
  internal::SetRecordOrigin(path, record.line,
                            content.substr(record.begin, record.end - record.begin), &article);
  return article;
}

}  // namespace

std::vector<v1::StoredArticle> ParseSmart(std::string_view content, const std::string& path,
                                          std::vector<ReadIssue>* issues) {
  std::vector<v1::StoredArticle> articles;
  std::string repaired;
  if (!internal::CheckContent(content, path, &repaired, issues)) return articles;
  if (!repaired.empty()) content = repaired;
  const auto offset_of = [&](const Line& line) {
    return static_cast<std::size_t>(line.text.data() - content.data());
  };

  std::optional<Record> record;  // The record being read.
  bool skipping = false;         // Inside a record whose .I was bad.
  bool any_record = false;
  char marker = 0;               // Field being read.
  std::uint32_t stray_line = 0;  // First line of a run of text outside any field.
  const auto finish = [&](std::size_t end) {
    if (!record) return;
    record->end = end;
    if (auto article = BuildArticle(*record, path, content, issues)) {
      articles.push_back(std::move(*article));
    }
    record.reset();
  };
  const auto flush_stray = [&](const char* where) {
    if (stray_line == 0) return;
    issues->push_back({ReadIssue::Severity::kWarning, path, stray_line,
                       std::string("text ") + where + " ignored"});
    stray_line = 0;
  };

  for (const Line& line : internal::SplitLines(content, 1)) {
    const char m = MarkerOf(line.text);
    if (m == 'I') {
      flush_stray(any_record ? "outside any field" : "before the first .I record");
      finish(offset_of(line));
      any_record = true;
      marker = 0;
      const std::string_view id = Trim(line.text.substr(2));
      const bool number = !id.empty() && id.find_first_not_of("0123456789") == std::string::npos;
      skipping = !number;
      if (!number) {
        issues->push_back({ReadIssue::Severity::kError, path, line.number,
                           id.empty()
                               ? std::string(".I without a record number; skipped")
                               : ".I '" + std::string(id) + "' is not a record number; skipped"});
        continue;
      }
      record.emplace();
      record->id = std::string(id);
      record->line = line.number;
      record->begin = offset_of(line);
      continue;
    }
    if (skipping) continue;
    if (m != 0 && record) {
      flush_stray("outside any field");
      marker = m;
      record->order.emplace_back(m, line.number);
      std::vector<Line>& lines = record->fields[m];
      // Text on the marker's own line (".T A title") is the field's first line.
      if (const std::string_view rest = Trim(line.text.substr(2)); !rest.empty()) {
        lines.push_back({rest, line.number});
      }
      continue;
    }
    if (record && marker != 0) {
      record->fields[marker].push_back(line);
      continue;
    }
    if (!Trim(line.text).empty() && stray_line == 0) stray_line = line.number;
  }
  flush_stray(any_record ? "outside any field" : "before the first .I record");
  finish(content.size());
  if (!any_record) {
    issues->push_back(
        {ReadIssue::Severity::kError, path, 1, "no .I record in this SMART file; skipped"});
  }
  return articles;
}

}  // namespace dyad
