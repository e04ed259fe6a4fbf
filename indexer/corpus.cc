// Walks the inputs of a build and dispatches each file to its reader by extension.
#include <algorithm>
#include <filesystem>
#include <system_error>

#include "core/data_files.h"
#include "indexer/reader.h"

namespace dyad {
namespace {

namespace fs = std::filesystem;

enum class Format { kText, kJsonLines, kReutersSgml, kUnknown };

Format FormatOf(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == ".txt" || ext == ".md" || ext == ".text" || ext == ".markdown") return Format::kText;
  if (ext == ".jsonl" || ext == ".ndjson") return Format::kJsonLines;
  if (ext == ".sgm" || ext == ".sgml") return Format::kReutersSgml;
  return Format::kUnknown;
}

// Id from the path relative to the input root, without extension: "articles/pak-russia".
std::string DefaultId(const fs::path& file, const fs::path& root) {
  fs::path relative = file == root ? file.filename() : file.lexically_relative(root);
  relative.replace_extension();
  return relative.generic_string();
}

Status ReadFile(const fs::path& file, const fs::path& root, const ArticleSink& sink,
                ReadReport* report) {
  const std::string path = file.string();
  ++report->files;
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (!ec && size > kMaxArticleFileBytes) {
    report->issues.push_back({ReadIssue::Severity::kError, path, 0,
                              "file is " + std::to_string(size) + " bytes, over the limit of " +
                                  std::to_string(kMaxArticleFileBytes) + "; skipped"});
    ++report->skipped;
    return Status::Ok();
  }
  StatusOr<std::string> content = ReadFileToString(path);
  if (!content.ok()) {
    report->issues.push_back({ReadIssue::Severity::kError, path, 0,
                              content.status().message() + "; skipped"});
    ++report->skipped;
    return Status::Ok();
  }
  std::vector<v1::StoredArticle> articles;
  const std::size_t errors_before = report->issues.size();
  switch (FormatOf(file)) {
    case Format::kText:
      if (auto article = ParseTextArticle(*content, path, DefaultId(file, root), &report->issues)) {
        articles.push_back(std::move(*article));
      }
      break;
    case Format::kJsonLines:
      articles = ParseJsonLines(*content, path, DefaultId(file, root), &report->issues);
      break;
    case Format::kReutersSgml:
      articles = ParseReutersSgml(*content, path, &report->issues);
      break;
    case Format::kUnknown:
      break;
  }
  for (std::size_t i = errors_before; i < report->issues.size(); ++i) {
    if (report->issues[i].severity == ReadIssue::Severity::kError) ++report->skipped;
  }
  for (v1::StoredArticle& article : articles) {
    ++report->articles;
    if (Status s = sink(std::move(article)); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

Status ReadCorpus(const std::vector<std::string>& inputs, const ArticleSink& sink,
                  ReadReport* report) {
  for (const std::string& input : inputs) {
    const fs::path root(input);
    std::error_code ec;
    const fs::file_status status = fs::status(root, ec);
    if (ec || !fs::exists(status)) return NotFound(input + ": no such file or directory");
    if (fs::is_regular_file(status)) {
      if (Status s = ReadFile(root, root, sink, report); !s.ok()) return s;
      continue;
    }
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(
             root, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (!name.empty() && name.front() == '.') {  // Hidden files and folders (.git).
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file()) continue;
      if (FormatOf(it->path()) == Format::kUnknown) {
        ++report->ignored_files;
      } else {
        files.push_back(it->path());
      }
    }
    if (ec) return IoError(input + ": cannot list directory: " + ec.message());
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      if (Status s = ReadFile(file, root, sink, report); !s.ok()) return s;
    }
  }
  return Status::Ok();
}

}  // namespace dyad
