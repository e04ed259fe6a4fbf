#include "indexer/build.h"

#include <filesystem>
#include <unordered_map>

#include "indexer/index_writer.h"

namespace dyad {

std::string BuildReport::ToJson() const {
  std::uint64_t warnings = 0;
  for (const ReadIssue& issue : read.issues) {
    if (issue.severity == ReadIssue::Severity::kWarning) ++warnings;
  }
  return "{\"files\":" + std::to_string(read.files) +
         ",\"read\":" + std::to_string(read.articles) + ",\"added\":" + std::to_string(added) +
         ",\"replaced\":" + std::to_string(replaced) +
         ",\"unchanged\":" + std::to_string(unchanged) +
         ",\"skipped\":" + std::to_string(read.skipped) +
         ",\"ignored_files\":" + std::to_string(read.ignored_files) +
         ",\"warnings\":" + std::to_string(warnings) +
         (pruned ? ",\"pruned\":" + std::to_string(*pruned) : std::string()) +
         ",\"total\":" + std::to_string(total) + "}";
}

namespace {

// Whether `path` is one of `inputs` or lies in a folder among them. Both sides are made absolute
// against the current directory and normalised, so "corpus/a.txt" is under "./corpus/".
bool IsUnderAny(const std::string& path, const std::vector<std::string>& inputs) {
  if (path.empty()) return false;
  namespace fs = std::filesystem;
  const fs::path file = fs::absolute(path).lexically_normal();
  for (const std::string& input : inputs) {
    fs::path root = fs::absolute(input).lexically_normal();
    if (!root.has_filename()) root = root.parent_path();  // "corpus/" -> "corpus".
    const fs::path relative = file.lexically_relative(root);
    if (relative.empty()) continue;
    if (relative == "." || *relative.begin() != "..") return true;
  }
  return false;
}

}  // namespace

Status BuildIndex(const BuildOptions& options, const Enricher& enricher, BuildReport* report) {
  return BuildIndex(options, BuildExtras(), enricher, report);
}

Status BuildIndex(const BuildOptions& options, const BuildExtras& extras, const Enricher& enricher,
                  BuildReport* report) {
  if (options.inputs.empty()) return InvalidArgument("no input files or folders given");
  StatusOr<std::unique_ptr<IndexWriter>> writer =
      IndexWriter::Open(options.index_path, enricher.analyzer());
  if (!writer.ok()) return writer.status();

  // Where each id of this run came from, so a duplicate is reported instead of silently
  // replacing the earlier article.
  std::unordered_map<std::string, std::string> seen;
  const ArticleSink sink = [&](v1::StoredArticle&& article) -> Status {
    const std::string where =
        article.origin().path() + ":" + std::to_string(article.origin().line());
    auto [it, inserted] = seen.emplace(article.id(), where);
    if (!inserted) {
      report->read.issues.push_back(
          {ReadIssue::Severity::kWarning, article.origin().path(), article.origin().line(),
           "id '" + article.id() + "' was already used at " + it->second +
               "; this article replaces it"});
    }
    StatusOr<IndexWriter::Outcome> outcome = (*writer)->Check(article);
    if (!outcome.ok()) return outcome.status();
    if (*outcome != IndexWriter::Outcome::kUnchanged) {
      *article.mutable_enrichment() = enricher.Enrich(article);
      if (Status s = (*writer)->Write(article); !s.ok()) return s;
    }
    switch (*outcome) {
      case IndexWriter::Outcome::kAdded: ++report->added; break;
      case IndexWriter::Outcome::kReplaced: ++report->replaced; break;
      case IndexWriter::Outcome::kUnchanged: ++report->unchanged; break;
    }
    return Status::Ok();
  };
  if (Status s = ReadCorpus(options.inputs, extras.read, sink, &report->read); !s.ok()) return s;
  if (extras.prune) {
    StatusOr<std::uint64_t> pruned = (*writer)->DeleteIf([&](const v1::StoredArticle& article) {
      return IsUnderAny(article.origin().path(), options.inputs) &&
             !std::filesystem::exists(article.origin().path());
    });
    if (!pruned.ok()) return pruned.status();
    report->pruned = *pruned;
  }
  if (Status s = (*writer)->Commit(); !s.ok()) return s;
  report->total = (*writer)->article_count();
  return Status::Ok();
}

}  // namespace dyad
