// How dyad prints answers: a table for people (bold highlights and bars on a terminal, plain
// text otherwise), and json, jsonl, csv and trec for programs. JSON is always Protobuf's JSON
// mapping of the message (field names as in the .proto files, every field present), the same
// as the HTTP API writes.
//
// CSV (RFC 4180, with a header row), one row per hit:
//   rank,id,score,title,published,source,countries,dyads,themes,eras,snippet
// where countries (the salient ones), dyads, themes and eras are lists separated by spaces.
// Stats as CSV: field,value,count. TREC: "qid Q0 id rank score tag", one line per hit.
#ifndef DYAD_CLIENTS_CLI_OUTPUT_H_
#define DYAD_CLIENTS_CLI_OUTPUT_H_

#include <google/protobuf/message.h>

#include <ostream>
#include <string>
#include <utility>

#include "dyad/v1/article.pb.h"
#include "dyad/v1/search.pb.h"
#include "dyad/v1/stats.pb.h"

namespace dyad::cli {

struct Style {
  bool color = false;     // ANSI bold for titles and matched words.
  bool terminal = false;  // Block characters for bars; article text wrapped to `width`.
  std::size_t width = 100;
};

// Markers around matched words in snippets: ANSI bold with colour, else "[" and "]".
std::pair<std::string, std::string> HighlightMarkers(const Style& style);

// `message` as one JSON line, or indented when `pretty`; then a newline.
void WriteJson(const google::protobuf::Message& message, bool pretty, std::ostream& out);

// One page of results: a header with the match count, then each hit, the facets, and how to get
// the next page (`next_offset`, or 0 when this is the last page).
void WriteSearchTable(const v1::SearchResponse& response, const Style& style, std::ostream& out);
void WriteFacetsTable(const google::protobuf::RepeatedPtrField<v1::FacetResult>& facets,
                      const Style& style, std::ostream& out);

void WriteHitsJsonl(const v1::SearchResponse& response, std::ostream& out);
void WriteCsvHeader(std::ostream& out);
void WriteHitsCsv(const v1::SearchResponse& response, std::ostream& out);
void WriteHitsTrec(const v1::SearchResponse& response, const std::string& qid,
                   const std::string& tag, std::ostream& out);

void WriteArticleTable(const v1::StoredArticle& article, const Style& style, std::ostream& out);
void WriteHealthTable(const v1::HealthResponse& health, std::ostream& out);
void WriteStatsTable(const v1::IndexStats& stats, const Style& style, std::ostream& out);
void WriteStatsCsv(const v1::IndexStats& stats, std::ostream& out);

// A CSV field, quoted when it holds a comma, quote or line break.
std::string CsvField(const std::string& text);

// "country", "dyad", ... for a facet field.
std::string FacetFieldName(v1::FacetField field);

}  // namespace dyad::cli

#endif  // DYAD_CLIENTS_CLI_OUTPUT_H_
