#include "clients/eval/judgments.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

namespace dyad::eval {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Calls `fn(line_number, line)` for each line without its terminator ("\n" or "\r\n").
template <typename Fn>
Status ForEachLine(std::string_view text, Fn fn) {
  long number = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++number;
    Status status = fn(number, line);
    if (!status.ok()) return status;
  }
  return Status::Ok();
}

bool IsBlank(std::string_view line) { return std::all_of(line.begin(), line.end(), IsSpace); }

bool ParseLong(std::string_view text, long* out) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

bool ParseDouble(std::string_view text, double* out) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

Status LineError(const std::string& source, long line, const std::string& problem) {
  return InvalidArgument(source + ":" + std::to_string(line) + ": " + problem);
}

// The first data line decides: two fields, or a fractional 4th field, mean SMART.
QrelsFormat DetectQrelsFormat(std::string_view text) {
  QrelsFormat format = QrelsFormat::kTrec;
  (void)ForEachLine(text, [&](long, std::string_view line) {
    if (IsBlank(line) || line.front() == '#') return Status::Ok();
    const std::vector<std::string_view> fields = SplitFields(line);
    long as_long = 0;
    double as_double = 0;
    if (fields.size() == 2 || (fields.size() == 4 && !ParseLong(fields[3], &as_long) &&
                               ParseDouble(fields[3], &as_double))) {
      format = QrelsFormat::kSmart;
    }
    return Internal("stop");  // Not an error: ends the scan after the first data line.
  });
  return format;
}

}  // namespace

std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && IsSpace(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !IsSpace(line[i])) ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

bool ParseQrelsFormat(std::string_view name, QrelsFormat* format) {
  if (name == "auto") {
    *format = QrelsFormat::kAuto;
  } else if (name == "trec") {
    *format = QrelsFormat::kTrec;
  } else if (name == "smart" || name == "rel") {
    *format = QrelsFormat::kSmart;
  } else {
    return false;
  }
  return true;
}

StatusOr<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int error = errno;
    if (error == ENOENT) return NotFound("cannot open '" + path + "': no such file");
    return IoError("cannot open '" + path + "': " + std::strerror(error));
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return IoError("cannot read '" + path + "'");
  return content.str();
}

StatusOr<Qrels> ParseQrels(std::string_view text, const std::string& source, QrelsFormat format) {
  if (format == QrelsFormat::kAuto) format = DetectQrelsFormat(text);
  Qrels qrels;
  qrels.source = source;
  Status status = ForEachLine(text, [&](long number, std::string_view line) {
    if (IsBlank(line) || line.front() == '#') return Status::Ok();
    const std::vector<std::string_view> fields = SplitFields(line);
    Judgment judgment;
    judgment.line = number;
    std::string_view qid;
    if (format == QrelsFormat::kSmart) {
      if (fields.size() < 2) {
        return LineError(source, number, "expected 'qid docno ...' (SMART relevance format)");
      }
      qid = fields[0];
      judgment.docno = std::string(fields[1]);
      judgment.rel = 1;
    } else {
      if (fields.size() != 4) {
        return LineError(
            source, number,
            "expected 4 fields 'qid iter docno rel', found " + std::to_string(fields.size()));
      }
      qid = fields[0];
      judgment.docno = std::string(fields[2]);
      if (!ParseLong(fields[3], &judgment.rel)) {
        return LineError(source, number,
                         "relevance '" + std::string(fields[3]) + "' is not an integer");
      }
    }
    qrels.topics[std::string(qid)].push_back(std::move(judgment));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  for (auto& [qid, judgments] : qrels.topics) {
    std::stable_sort(judgments.begin(), judgments.end(),
                     [](const Judgment& a, const Judgment& b) { return a.docno < b.docno; });
    for (std::size_t i = 1; i < judgments.size(); ++i) {
      if (judgments[i].docno == judgments[i - 1].docno) {
        return LineError(source, judgments[i].line,
                         "document '" + judgments[i].docno + "' judged twice for topic '" + qid +
                             "' (also line " + std::to_string(judgments[i - 1].line) + ")");
      }
    }
  }
  return qrels;
}

StatusOr<Qrels> ReadQrels(const std::string& path, QrelsFormat format) {
  StatusOr<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  return ParseQrels(*text, path, format);
}

StatusOr<Run> ParseRun(std::string_view text, const std::string& source) {
  Run run;
  run.source = source;
  Status status = ForEachLine(text, [&](long number, std::string_view line) {
    const std::vector<std::string_view> fields = SplitFields(line);
    if (fields.empty() || fields[0].front() == '#') return Status::Ok();
    if (fields.size() < 6) {
      return LineError(source, number,
                       "expected 6 fields 'qid Q0 docno rank score tag', found " +
                           std::to_string(fields.size()));
    }
    Retrieved retrieved;
    retrieved.docno = std::string(fields[2]);
    retrieved.line = number;
    if (!ParseDouble(fields[4], &retrieved.score)) {
      return LineError(source, number, "score '" + std::string(fields[4]) + "' is not a number");
    }
    run.run_id = std::string(fields[5]);
    run.topics[std::string(fields[0])].push_back(std::move(retrieved));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  for (auto& [qid, docs] : run.topics) {
    std::vector<const Retrieved*> sorted;
    sorted.reserve(docs.size());
    for (const Retrieved& doc : docs) sorted.push_back(&doc);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Retrieved* a, const Retrieved* b) { return a->docno < b->docno; });
    for (std::size_t i = 1; i < sorted.size(); ++i) {
      if (sorted[i]->docno == sorted[i - 1]->docno) {
        return LineError(source, sorted[i]->line,
                         "document '" + sorted[i]->docno + "' retrieved twice for topic '" + qid +
                             "' (also line " + std::to_string(sorted[i - 1]->line) + ")");
      }
    }
  }
  return run;
}

StatusOr<Run> ReadRun(const std::string& path) {
  StatusOr<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  return ParseRun(*text, path);
}

}  // namespace dyad::eval
