// Topic files: the queries of a relevance evaluation, in the four layouts test collections use.
//
// TREC `<top>` (TREC ad hoc, Robust, ...): one topic per <top> ... </top> block. A tag at the
//   start of a line opens a field named after it: <num>, <title>, <desc>, <narr> (also <dom>,
//   <smry>, <con>, <fac>, <def> of TREC 1-3, any tag). Closing tags (</title>) are optional. The
//   labels "Number:", "Topic:", "Description:", "Narrative:", "Summary:", "Domain:", "Concept(s):",
//   "Definition(s):", "Factor(s):" at the start of a field are dropped. <num> is the topic id.
//     <top>
//     <num> Number: 301
//     <title> International Organized Crime
//     <desc> Description:
//     Identify organizations that participate in international criminal activity ...
//     </top>
// TSV: `qid<TAB>query` per line; field "text".
// SMART (`.I n` records, as CISI.QRY and CACM's query.text): `.I n` starts a topic whose id is
//   n exactly as printed ("1", "017"); its `.W` text is field "text", `.T` "title", `.A`
//   "author", `.B` "biblio", other letters their lowercase letter.
// Glasgow (as TIME.QUE): `*FIND n` starts a topic with id n as printed; the lines up to the next
//   `*FIND` or the closing `*STOP` are field "text".
// In every layout blank lines are skipped and a field's lines are joined with single spaces;
// in TSV and TREC, lines starting with '#' outside a topic are comments.
//
// Problems (a topic with no id, a duplicate id, a TSV line without a tab, text outside a topic,
// a missing `*STOP`) are reported with file and line; the topic concerned is left out and the
// others are kept.
#ifndef DYAD_CLIENTS_EVAL_TOPICS_H_
#define DYAD_CLIENTS_EVAL_TOPICS_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace dyad::eval {

enum class TopicFormat { kAuto, kTrec, kTsv, kSmart, kGlasgow };

// "auto", "trec", "tsv", "smart", "glasgow"; nullopt for anything else.
std::optional<TopicFormat> ParseTopicFormat(std::string_view name);
const char* TopicFormatName(TopicFormat format);

// The layout of `content` from its first non-blank line: `<top>` TREC, `.I` SMART, `*FIND`
// Glasgow, a line with a tab TSV; kAuto when none matches.
TopicFormat DetectTopicFormat(std::string_view content);

struct Topic {
  std::string qid;
  std::uint32_t line = 0;                     // 1-based line where the topic starts.
  std::map<std::string, std::string> fields;  // "title", "desc", "narr", "text", ...
};

struct TopicIssue {
  std::string source;
  std::uint32_t line = 0;
  std::string message;
  std::string ToString() const;  // "source:line: message"
};

struct TopicFile {
  TopicFormat format = TopicFormat::kAuto;  // As read (detected or given).
  std::vector<Topic> topics;                // In file order, ids unique.
  std::vector<TopicIssue> issues;           // Topics left out, text ignored.
};

// Parses topics. InvalidArgument when the format is kAuto and cannot be detected, or when no
// topic could be read at all.
StatusOr<TopicFile> ParseTopics(std::string_view content, const std::string& source,
                                TopicFormat format = TopicFormat::kAuto);
StatusOr<TopicFile> ReadTopics(const std::string& path, TopicFormat format = TopicFormat::kAuto);

// The fields a query is made of when --fields is not given: "title" for TREC topics, "text"
// for the others.
std::vector<std::string> DefaultQueryFields(TopicFormat format);

// The topic's `fields` that it has, joined with spaces, in the order given; empty if it has
// none of them.
std::string TopicQueryText(const Topic& topic, const std::vector<std::string>& fields);

// Free text as a Dyad query that means only its words: query syntax is neutralised so topic
// text such as `AND`, `"quoted"`, `title:`, `-word`, `1947..1991` or `(a OR b)` is read as plain
// words. After NFKC normalisation (so full-width forms are caught too): the upper-case operator
// words AND OR NOT XOR NEAR ADJ become lower case (ordinary words, mostly stop words); double
// quotes, parentheses, brackets, braces, ':', '*', '~', '^' and '\' become spaces; '+' and '-'
// at the start of a word are removed; runs of two or more dots become a space. Everything else,
// including case, inner hyphens and apostrophes, is left for Dyad's analyser, so "U.S.S.R.",
// "Pakistan's" and "Pak-Russia" keep their usual meaning. Whitespace runs become one space.
std::string NeutralizeQuery(std::string_view text);

}  // namespace dyad::eval

#endif  // DYAD_CLIENTS_EVAL_TOPICS_H_
