// Reader for TREC files: several articles per file, as the TREC ad hoc collections (AP, WSJ, FT,
// LA Times, FBIS) are distributed.
//
//   <DOC>
//   <DOCNO> AP880212-0001 </DOCNO>   required: the article id, trimmed
//   <HEADLINE> ... </HEADLINE>       title: the first HEADLINE, HEAD, TITLE or HL element
//   <DATE> 880212 </DATE>            publication date: DATE, DATE_TIME or DD, in any form that
//                                    ParseLooseDate knows (else kept raw in metadata "date")
//   <BYLINE> By ... </BYLINE>        authors: BYLINE or AUTHOR, a leading "By" dropped
//   <TEXT>                           body: every LP and TEXT element, in order; a paragraph ends
//      A paragraph ...               at a blank line, a <P> tag or a deeper-indented line
//   </TEXT>
//   </DOC>
//
// Other elements with short text (FILEID, DOCID, ...) go to metadata under their lowercase name;
// SOURCE also becomes the article's source. Tag names match in any case. Tags inside an element
// (<P>, <F P=100>) are dropped, SGML comments ignored; &amp; &lt; &gt; &quot; &apos; &#N; &#xH;
// are decoded and other entities kept as written.
// A <DOC> with no </DOC> before the next <DOC> or the end of the file (a truncated record), one
// without a DOCNO, or one with neither title nor text is reported at its <DOC> line and skipped.
#include <algorithm>
#include <cctype>

#include "indexer/reader.h"
#include "indexer/reader_internal.h"

namespace dyad {
namespace {

using internal::CollapseWhitespace;
using internal::Trim;

constexpr std::size_t kNpos = std::string_view::npos;
constexpr std::size_t kMaxMetadataChars = 256;

// 1-based line numbers of byte offsets.
class LineIndex {
 public:
  explicit LineIndex(std::string_view content) {
    for (std::size_t i = 0; i < content.size(); ++i) {
      if (content[i] == '\n') newlines_.push_back(i);
    }
  }
  std::uint32_t LineOf(std::size_t offset) const {
    return 1 +
           static_cast<std::uint32_t>(std::lower_bound(newlines_.begin(), newlines_.end(), offset) -
                                      newlines_.begin());
  }

 private:
  std::vector<std::size_t> newlines_;
};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) ==
                  std::toupper(static_cast<unsigned char>(y));
         });
}

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

// Offset of the next start tag `<name>` or `<name attributes>` at or after `from`.
std::size_t FindStartTag(std::string_view s, std::string_view name, std::size_t from) {
  for (std::size_t p = s.find('<', from); p != kNpos; p = s.find('<', p + 1)) {
    const std::size_t after = p + 1 + name.size();
    if (after < s.size() && EqualsIgnoreCase(s.substr(p + 1, name.size()), name) &&
        (s[after] == '>' || std::isspace(static_cast<unsigned char>(s[after])))) {
      return p;
    }
  }
  return kNpos;
}

// Offset of the next end tag `</name>` at or after `from`; *end is set past its '>'.
std::size_t FindEndTag(std::string_view s, std::string_view name, std::size_t from,
                       std::size_t* end) {
  for (std::size_t p = s.find("</", from); p != kNpos; p = s.find("</", p + 2)) {
    std::size_t q = p + 2 + name.size();
    if (q > s.size() || !EqualsIgnoreCase(s.substr(p + 2, name.size()), name)) continue;
    while (q < s.size() && s[q] == ' ') ++q;
    if (q < s.size() && s[q] == '>') {
      *end = q + 1;
      return p;
    }
  }
  return kNpos;
}

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    *out += static_cast<char>(c);
  } else if (c < 0x800) {
    *out += static_cast<char>(0xC0 | (c >> 6));
    *out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    *out += static_cast<char>(0xE0 | (c >> 12));
    *out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (c >> 18));
    *out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Decodes the entity at s[0] == '&' into *out; returns the bytes consumed, 0 if not one we know.
std::size_t DecodeEntity(std::string_view s, std::string* out) {
  const std::size_t semi = s.find(';');
  if (semi == kNpos || semi > 10) return 0;
  const std::string_view name = s.substr(1, semi - 1);
  static constexpr std::pair<std::string_view, char> kNamed[] = {
      {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
  for (const auto& [entity, c] : kNamed) {
    if (name == entity) {
      *out += c;
      return semi + 1;
    }
  }
  if (name.size() < 2 || name[0] != '#') return 0;
  const bool hex = name[1] == 'x' || name[1] == 'X';
  const std::string_view digits = name.substr(hex ? 2 : 1);
  char32_t code = 0;
  for (char c : digits) {
    const int v = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                  : hex && std::isxdigit(static_cast<unsigned char>(c))
                      ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                      : -1;
    if (v < 0 || code > 0x10FFFF) return 0;
    code = code * (hex ? 16 : 10) + static_cast<char32_t>(v);
  }
  if (digits.empty()) return 0;
  // Control characters (Reuters-style &#2;) and invalid code points are dropped.
  const bool control = code < 0x20 && code != '\t' && code != '\n';
  if (!control && code <= 0x10FFFF && (code < 0xD800 || code > 0xDFFF)) AppendUtf8(code, out);
  return semi + 1;
}

// The text of an element's content: comments and tags removed (<P> and </P> become paragraph
// breaks), entities decoded, line structure kept.
std::string MarkupText(std::string_view inner) {
  std::string out;
  out.reserve(inner.size());
  for (std::size_t i = 0; i < inner.size();) {
    const char c = inner[i];
    if (c == '<') {
      if (inner.substr(i).starts_with("<!--")) {
        const std::size_t end = inner.find("-->", i + 4);
        i = end == kNpos ? inner.size() : end + 3;
        continue;
      }
      const std::size_t gt = inner.find('>', i);
      const std::size_t name_at = i + 1 + (i + 1 < inner.size() && inner[i + 1] == '/');
      std::size_t name_end = name_at;
      while (name_end < inner.size() && IsNameChar(inner[name_end])) ++name_end;
      if (gt == kNpos || name_end == name_at) {  // A literal '<'.
        out += c;
        ++i;
        continue;
      }
      if (EqualsIgnoreCase(inner.substr(name_at, name_end - name_at), "P")) out += "\n\n";
      i = gt + 1;
      continue;
    }
    if (c == '&') {
      if (const std::size_t used = DecodeEntity(inner.substr(i), &out); used > 0) {
        i += used;
        continue;
      }
    }
    out += c;
    ++i;
  }
  return out;
}

struct Element {
  std::string name;  // Upper case.
  std::string_view inner;
  std::size_t offset;  // Of the start tag, in the file.
};

bool IsOneOf(std::string_view name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool IsTitle(std::string_view name) { return IsOneOf(name, {"HEADLINE", "HEAD", "TITLE", "HL"}); }
bool IsDate(std::string_view name) { return IsOneOf(name, {"DATE", "DATE_TIME", "DD"}); }
bool IsBody(std::string_view name) { return IsOneOf(name, {"TEXT", "LP"}); }
bool IsAuthor(std::string_view name) { return IsOneOf(name, {"BYLINE", "AUTHOR"}); }

// The top-level elements of a DOC's content (`begin` is its offset in the file). An unclosed
// element that carries article content makes the record truncated: nullopt, with *problem set.
std::optional<std::vector<Element>> TopLevelElements(std::string_view body, std::size_t begin,
                                                     std::string* problem,
                                                     std::size_t* problem_offset) {
  std::vector<Element> elements;
  std::size_t p = 0;
  while ((p = body.find('<', p)) != kNpos) {
    if (body.substr(p).starts_with("<!--")) {
      const std::size_t end = body.find("-->", p + 4);
      p = end == kNpos ? body.size() : end + 3;
      continue;
    }
    std::size_t name_end = p + 1;
    while (name_end < body.size() && IsNameChar(body[name_end])) ++name_end;
    const std::size_t gt = body.find('>', p);
    if (name_end == p + 1 || gt == kNpos) {  // An end tag out of place, or a literal '<'.
      p = gt == kNpos ? body.size() : gt + 1;
      continue;
    }
    std::string name(body.substr(p + 1, name_end - p - 1));
    for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::size_t after_close = 0;
    const std::size_t close = FindEndTag(body, name, gt + 1, &after_close);
    if (close == kNpos) {
      if (name == "DOCNO" || IsTitle(name) || IsBody(name) || IsDate(name)) {
        *problem = "<" + name + "> is never closed";
        *problem_offset = begin + p;
        return std::nullopt;
      }
      p = gt + 1;  // An empty marker element such as <F P=100>.
      continue;
    }
    elements.push_back({std::move(name), body.substr(gt + 1, close - gt - 1), begin + p});
    p = after_close;
  }
  return elements;
}

// Fills *article from a DOC's elements; false (with *problem) when it cannot be an article.
bool BuildArticle(const std::vector<Element>& elements, const std::string& path,
                  const LineIndex& lines, v1::StoredArticle* article,
                  std::vector<ReadIssue>* issues, std::string* problem) {
  std::vector<internal::Line> body_lines;
  std::vector<std::string> body_texts;  // Owns what body_lines point into.
  body_texts.reserve(elements.size());
  bool has_title = false;
  bool has_date = false;
  for (const Element& e : elements) {
    if (e.name == "DOCNO") {
      if (article->id().empty()) article->set_id(CollapseWhitespace(MarkupText(e.inner)));
    } else if (IsTitle(e.name)) {
      if (!has_title) article->set_title(CollapseWhitespace(MarkupText(e.inner)));
      has_title = has_title || !article->title().empty();
    } else if (IsDate(e.name)) {
      if (has_date) continue;
      has_date = true;
      const std::string raw = CollapseWhitespace(MarkupText(e.inner));
      if (std::optional<std::string> date = internal::ParseLooseDate(raw)) {
        article->set_published(*date);
      } else if (!raw.empty()) {
        (*article->mutable_metadata())["date"] = raw;
        issues->push_back({ReadIssue::Severity::kWarning, path, lines.LineOf(e.offset),
                           "date '" + raw + "' not understood; kept as metadata 'date'"});
      }
    } else if (IsAuthor(e.name)) {
      std::string author = CollapseWhitespace(MarkupText(e.inner));
      if (author.size() > 3 && EqualsIgnoreCase(author.substr(0, 3), "by ")) author.erase(0, 3);
      if (!author.empty()) article->add_authors(std::move(author));
    } else if (IsBody(e.name)) {
      body_texts.push_back(MarkupText(e.inner));
      body_texts.back() += "\n\n";  // Elements never share a paragraph.
      const std::uint32_t first = lines.LineOf(e.offset);
      for (const internal::Line& line : internal::SplitLines(body_texts.back(), first)) {
        body_lines.push_back(line);
      }
    } else {
      std::string value = CollapseWhitespace(MarkupText(e.inner));
      if (value.empty() || value.size() > kMaxMetadataChars) continue;
      std::string key = e.name;
      for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (key == "source") article->set_source(value);
      (*article->mutable_metadata())[key] = std::move(value);
    }
  }
  if (article->id().empty()) {
    *problem = "<DOC> without a <DOCNO>";
    return false;
  }
  internal::BuildBody(internal::WrappedParagraphs(body_lines), article,
                      /*take_author_note=*/false);
  if (article->title().empty() && article->sections_size() == 0) {
    *problem = "<DOC> " + article->id() + " has neither title nor text";
    return false;
  }
  return true;
}

}  // namespace

std::vector<v1::StoredArticle> ParseTrec(std::string_view content, const std::string& path,
                                         std::vector<ReadIssue>* issues) {
  std::vector<v1::StoredArticle> articles;
  std::string repaired;
  if (!internal::CheckContent(content, path, &repaired, issues)) return articles;
  if (!repaired.empty()) content = repaired;
  const LineIndex lines(content);
  const auto report = [&](ReadIssue::Severity severity, std::size_t offset, std::string message) {
    issues->push_back({severity, path, lines.LineOf(offset), std::move(message)});
  };
  const auto stray = [&](std::size_t from, std::size_t to) {
    std::string_view between = content.substr(from, to - from);
    if (const std::size_t text = between.find_first_not_of(" \t\r\n\f\v"); text != kNpos) {
      report(ReadIssue::Severity::kWarning, from + text, "text outside <DOC>...</DOC> ignored");
    }
  };

  std::size_t pos = 0;
  bool found = false;
  while (true) {
    const std::size_t open = FindStartTag(content, "DOC", pos);
    if (open != kNpos || found) stray(pos, open == kNpos ? content.size() : open);
    if (open == kNpos) break;
    found = true;
    const std::uint32_t doc_line = lines.LineOf(open);
    const std::size_t tag_end = content.find('>', open);
    if (tag_end == kNpos) {  // "<DOC" and then no '>' until the end (without this, a loop).
      report(ReadIssue::Severity::kError, open,
             "<DOC tag is never closed by '>' before the end of the file (truncated record); "
             "skipped");
      break;
    }
    const std::size_t open_end = tag_end + 1;
    const std::size_t next_open = FindStartTag(content, "DOC", open_end);
    std::size_t after_close = 0;
    const std::size_t close = FindEndTag(content, "DOC", open_end, &after_close);
    if (close == kNpos || (next_open != kNpos && next_open < close)) {
      report(ReadIssue::Severity::kError, open,
             std::string("<DOC> is never closed by </DOC> before ") +
                 (next_open == kNpos ? "the end of the file" : "the next <DOC>") +
                 " (truncated record); skipped");
      pos = next_open == kNpos ? content.size() : next_open;
      continue;
    }
    pos = after_close;

    std::string problem;
    std::size_t problem_offset = open;
    const std::string_view body = content.substr(open_end, close - open_end);
    std::optional<std::vector<Element>> elements =
        TopLevelElements(body, open_end, &problem, &problem_offset);
    v1::StoredArticle article;
    if (elements && BuildArticle(*elements, path, lines, &article, issues, &problem)) {
      internal::SetRecordOrigin(path, doc_line, content.substr(open, after_close - open), &article);
      articles.push_back(std::move(article));
      continue;
    }
    report(
        ReadIssue::Severity::kError, problem_offset,
        problem +
            (problem_offset == open ? ""
                                    : " (in the <DOC> at line " + std::to_string(doc_line) + ")") +
            "; skipped");
  }
  if (!found) {
    issues->push_back(
        {ReadIssue::Severity::kError, path, 1, "no <DOC> record in this TREC file; skipped"});
  }
  return articles;
}

}  // namespace dyad
