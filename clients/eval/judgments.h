// Relevance judgments (qrels) and retrieval runs: the two inputs of relevance evaluation.
//
// Qrels, TREC format: one judgment per line, `qid iter docno rel`, whitespace separated; iter is
// ignored; rel is an integer (>= 1 relevant at the default level, 0 judged non-relevant, < 0 in
// the pool but unjudged). Qrels, SMART format (the CISI/CACM `.REL` files): `qid docno x y`,
// every listed pair relevant (rel 1), x and y ignored. Lines starting with '#' are comments.
//
// Run, TREC format: `qid Q0 docno rank score tag [anything]`; rank is ignored (documents are
// ranked by score, ties broken by docno, descending); the run id is the tag of the last line.
// Blank lines and lines whose first non-blank character is '#' are skipped.
//
// A malformed line is an error naming the file and line; so is a document judged or retrieved
// twice for one topic.
#ifndef DYAD_CLIENTS_EVAL_JUDGMENTS_H_
#define DYAD_CLIENTS_EVAL_JUDGMENTS_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace dyad::eval {

struct Judgment {
  std::string docno;
  long rel = 0;
  long line = 0;  // 1-based line in the qrels file.
};

// Topic id -> judgments sorted by docno (byte order, as strcmp), docnos unique within a topic.
// Topics iterate in byte order of their ids, which is trec_eval's topic order.
struct Qrels {
  std::string source;  // File name, for messages.
  std::map<std::string, std::vector<Judgment>> topics;
};

struct Retrieved {
  std::string docno;
  double score = 0;
  long line = 0;  // 1-based line in the run file.
};

struct Run {
  std::string source;  // File name, for messages.
  std::string run_id;  // Tag of the last line.
  // Topic id -> retrieved documents in file order (ranking happens at evaluation).
  std::map<std::string, std::vector<Retrieved>> topics;
};

enum class QrelsFormat { kAuto, kTrec, kSmart };

// "auto", "trec", "smart" (also "rel"); false for anything else.
bool ParseQrelsFormat(std::string_view name, QrelsFormat* format);

// `source` names the text in error messages ("qrels.txt:12: ...").
StatusOr<Qrels> ParseQrels(std::string_view text, const std::string& source,
                           QrelsFormat format = QrelsFormat::kAuto);
StatusOr<Qrels> ReadQrels(const std::string& path, QrelsFormat format = QrelsFormat::kAuto);

StatusOr<Run> ParseRun(std::string_view text, const std::string& source);
StatusOr<Run> ReadRun(const std::string& path);

// Reads a whole file; NotFound / IoError with the path in the message.
StatusOr<std::string> ReadTextFile(const std::string& path);

// Splits a line at ASCII whitespace.
std::vector<std::string_view> SplitFields(std::string_view line);

}  // namespace dyad::eval

#endif  // DYAD_CLIENTS_EVAL_JUDGMENTS_H_
