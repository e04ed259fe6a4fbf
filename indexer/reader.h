// Corpus readers: turn files into dyad.v1.StoredArticle messages.
//
// Plain text / Markdown (.txt, .md, .text, .markdown), the seed article's shape:
//   ---                      optional front matter: `key: value` lines between two `---` lines.
//   id: ...                  Known keys: id, title, author/authors (';' or ',' separated, or
//   ---                      [a, b]), date/published/year, source, url, language/lang; any
//                            other key is kept in metadata.
//   Title line               first non-empty line, unless front matter has a title.
//   - Label: text            bullets right after the title are the key points.
//   Paragraphs...            one paragraph per line; when the body has hard-wrapped blocks
//                            separated by blank lines, each block is one paragraph instead.
//   Short Heading            a short line (at most 12 words) with no closing punctuation,
//                            between paragraphs, starts a section.
//   The author ...           a closing line that starts "The author(s)" or "The writer" is the
//                            author note.
// Reuters-21578 SGML (.sgm, .sgml): see ParseReutersSgml.
// JSON Lines (.jsonl, .ndjson): one dyad.v1.ArticleRecord per line in the Protobuf JSON mapping
//   (fields id, title, keyPoints/key_points, body, authors, authorNote, source, url, language,
//   published, metadata); unknown fields are ignored; `body` follows the paragraph rules above.
//   The names of the main fields can be changed (JsonLinesFields below).
// Multi-record formats, each described at the top of its reader:
//   TREC `<DOC>` files (trec_reader.cc), SMART `.I/.T/.W` (smart_reader.cc), Glasgow `*TEXT`
//   (glasgow_reader.cc), Reuters-21578 SGML (reuters_reader.cc).
// Any of them may be gzip-compressed (`x.sgm.gz`, or gzip magic bytes): read transparently.
// Every article's Origin holds its file and the 1-based line where its record starts.
//
// Bad input never stops a run: each problem is recorded as a ReadIssue with file and line, the
// broken article is skipped, and reading goes on.
#ifndef DYAD_INDEXER_READER_H_
#define DYAD_INDEXER_READER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "dyad/v1/article.pb.h"

namespace dyad {

struct ReadIssue {
  enum class Severity { kWarning, kError };
  Severity severity = Severity::kError;
  std::string path;
  std::uint32_t line = 0;  // 1-based; 0 when the problem concerns the whole file.
  std::string message;

  // "path:line: error: message", the form compilers use, so editors can jump to it.
  std::string ToString() const;
};

// Files larger than this are skipped as oversized.
inline constexpr std::size_t kMaxArticleFileBytes = 64 * 1024 * 1024;

// Parses one article in the plain-text shape. `default_id` is used when front matter has no id.
// Problems are appended to `issues`: warnings (such as repaired UTF-8) keep the article, an
// error means it is skipped and nullopt is returned.
std::optional<v1::StoredArticle> ParseTextArticle(std::string_view content,
                                                  const std::string& path,
                                                  const std::string& default_id,
                                                  std::vector<ReadIssue>* issues);

// Reads every article in a JSON Lines file's content; broken lines are reported and skipped.
std::vector<v1::StoredArticle> ParseJsonLines(std::string_view content, const std::string& path,
                                              const std::string& id_prefix,
                                              std::vector<ReadIssue>* issues);

// Reads every record of a Reuters-21578 SGML file (.sgm, .sgml). One article per <REUTERS>:
// id = NEWID; title = TITLE; body from BODY (indented lines start paragraphs, the closing "Reuter"
// is dropped; for TEXT without BODY, the text itself); published from DATE ("YYYY-MM-DD");
// source "Reuters-21578"; metadata "dateline", "places", "topics", "people", "orgs", "exchanges"
// (';'-joined <D> lists), "lewissplit", "cgisplit", "oldid", "topics_attribute". Character
// references to control characters (&#3;) are dropped. A truncated or broken record is reported
// with the line of its <REUTERS> tag and skipped; a record with an empty TEXT is kept with a
// warning.
std::vector<v1::StoredArticle> ParseReutersSgml(std::string_view content, const std::string& path,
                                                std::vector<ReadIssue>* issues);
// Names of the JSON Lines fields that fill the article (each defaults to its own name). Values
// that are numbers or booleans are taken as text; `authors` may be a list or a ';'-separated
// string.
struct JsonLinesFields {
  std::string id = "id";
  std::string title = "title";
  std::string body = "body";
  std::string published = "published";
  std::string authors = "authors";
  std::string source = "source";
  std::string url = "url";
  std::string language = "language";
};

// Parses "id=doc_id,title=headline,body=text,published=date" (any subset of the fields above;
// the others keep their defaults). InvalidArgument names the bad part.
StatusOr<JsonLinesFields> ParseJsonLinesFields(std::string_view spec);

// Reads every article in a JSON Lines file's content with the given field names.
std::vector<v1::StoredArticle> ParseJsonLines(std::string_view content, const std::string& path,
                                              const std::string& id_prefix,
                                              const JsonLinesFields& fields,
                                              std::vector<ReadIssue>* issues);

// TREC <DOC> files, several articles per file; id = <DOCNO> (trec_reader.cc).
std::vector<v1::StoredArticle> ParseTrec(std::string_view content, const std::string& path,
                                         std::vector<ReadIssue>* issues);

// SMART `.I n` records, as the CISI/CACM collections; id = n (smart_reader.cc).
std::vector<v1::StoredArticle> ParseSmart(std::string_view content, const std::string& path,
                                          std::vector<ReadIssue>* issues);

// Glasgow `*TEXT 017 01/04/63 PAGE 020` records ending with `*STOP`, as the 1963 TIME
// collection; id = "017" (glasgow_reader.cc).
std::vector<v1::StoredArticle> ParseGlasgow(std::string_view content, const std::string& path,
                                            std::vector<ReadIssue>* issues);

// The input formats. kAuto: tell each file's format by FormatFromExtension, then by
// FormatFromContent.
enum class CorpusFormat { kAuto, kText, kJsonLines, kTrec, kSmart, kGlasgow, kSgml };

// "text" or "md", "jsonl", "trec", "smart", "glasgow", "sgml" -> the format; nullopt otherwise.
std::optional<CorpusFormat> ParseCorpusFormat(std::string_view name);
const char* CorpusFormatName(CorpusFormat format);

// Format from the file name, a trailing ".gz" ignored: .txt .md .text .markdown -> text,
// .jsonl .ndjson -> JSON Lines, .trec -> TREC, .sgm .sgml -> SGML; kAuto when unknown.
CorpusFormat FormatFromExtension(std::string_view file_name);

// Format from the first non-blank bytes of (decompressed) content: `<DOC>` TREC, `.I ` SMART,
// `*TEXT` Glasgow, `{` JSON Lines (when the first line also ends with `}`), `<!DOCTYPE lewis` or
// `<REUTERS` SGML, `---` front matter text; kAuto when none matches.
CorpusFormat FormatFromContent(std::string_view head);

// What ReadCorpus does with each file.
struct ReadOptions {
  CorpusFormat format = CorpusFormat::kAuto;  // Anything else: every file is read as that.
  JsonLinesFields jsonl_fields;
};

// What a walk over the inputs saw.
struct ReadReport {
  std::uint64_t files = 0;
  std::uint64_t articles = 0;
  std::uint64_t skipped = 0;  // Articles or files that could not be read.
  std::uint64_t ignored_files = 0;  // Files in walked folders whose extension no reader takes.
  std::vector<ReadIssue> issues;
};

using ArticleSink = std::function<Status(v1::StoredArticle&&)>;

// Walks files and directories (recursively, in sorted order) and hands each article to `sink`.
// Ids derived from paths are relative to the input they were found under, without extension.
// Returns an error only when an input does not exist or the sink fails.
// Files are read by `options.format`, or else by extension, or else (unknown extension) by
// content; walked files of no known format are counted in ignored_files, while a file named as
// an input whose format cannot be told is an error.
Status ReadCorpus(const std::vector<std::string>& inputs, const ReadOptions& options,
                  const ArticleSink& sink, ReadReport* report);
Status ReadCorpus(const std::vector<std::string>& inputs, const ArticleSink& sink,
                  ReadReport* report);

// Stable hex digest (FNV-1a, 64 bits) used as StoredArticle.content_hash.
std::string ContentHash(std::string_view bytes);

}  // namespace dyad

#endif  // DYAD_INDEXER_READER_H_
