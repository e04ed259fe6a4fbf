// Walks the inputs of a build, decompresses gzip files and dispatches each file to its reader:
// by --format, else by extension, else by the file's first bytes (corpus_format.cc).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "core/data_files.h"
#include "indexer/gzip.h"
#include "indexer/reader.h"

namespace dyad {
namespace {

namespace fs = std::filesystem;

// How much of a file of unknown extension is read (after decompression) to tell its format.
constexpr std::size_t kSniffBytes = 4096;

std::string LowerExtension(const fs::path& file) {
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext;
}

bool HasGzipExtension(const fs::path& file) { return LowerExtension(file) == ".gz"; }

// Id from the path relative to the input root, without extension (nor ".gz"):
// "articles/pak-russia".
std::string DefaultId(const fs::path& file, const fs::path& root) {
  fs::path relative = file == root ? file.filename() : file.lexically_relative(root);
  if (HasGzipExtension(relative)) relative.replace_extension();
  relative.replace_extension();
  return relative.generic_string();
}

// Query files of the classic test collections (CISI.QRY, CACM.QRY) look like SMART documents
// but are topics: reading them in a walk would replace documents 1, 2, ... with queries. They are
// only read when named on the command line.
bool IsQueryFile(const fs::path& file) { return LowerExtension(file) == ".qry"; }

// The format of a walked file of unknown extension, from its first bytes; kAuto if unknown.
CorpusFormat SniffFormat(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string head(kSniffBytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  if (IsGzip(head)) {
    StatusOr<std::string> inflated = GunzipPrefix(head, kSniffBytes);
    if (!inflated.ok()) return CorpusFormat::kAuto;
    head = std::move(*inflated);
  }
  return FormatFromContent(head);
}

// `format` is the one named by --format or the extension; kAuto to tell it from the content.
Status ReadFile(const fs::path& file, const fs::path& root, CorpusFormat format,
                const ReadOptions& options, const ArticleSink& sink, ReadReport* report) {
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
  const auto skip = [&](std::string message) {
    report->issues.push_back({ReadIssue::Severity::kError, path, 0, std::move(message)});
    ++report->skipped;
    return Status::Ok();
  };
  if (IsGzip(*content)) {
    StatusOr<std::string> inflated = Gunzip(*content, kMaxArticleFileBytes);
    if (!inflated.ok()) return skip(inflated.status().message() + "; skipped");
    content = std::move(*inflated);
  } else if (HasGzipExtension(file)) {
    return skip("named .gz but not gzip data (no 1f 8b magic bytes); skipped");
  }
  if (format == CorpusFormat::kAuto) format = FormatFromContent(*content);
  std::vector<v1::StoredArticle> articles;
  const std::size_t errors_before = report->issues.size();
  switch (format) {
    case CorpusFormat::kText:
      if (auto article = ParseTextArticle(*content, path, DefaultId(file, root), &report->issues)) {
        articles.push_back(std::move(*article));
      }
      break;
    case CorpusFormat::kJsonLines:
      articles = ParseJsonLines(*content, path, DefaultId(file, root), options.jsonl_fields,
                                &report->issues);
      break;
    case CorpusFormat::kTrec:
      articles = ParseTrec(*content, path, &report->issues);
      break;
    case CorpusFormat::kSmart:
      articles = ParseSmart(*content, path, &report->issues);
      break;
    case CorpusFormat::kGlasgow:
      articles = ParseGlasgow(*content, path, &report->issues);
      break;
    case CorpusFormat::kSgml:
      articles = ParseReutersSgml(*content, path, &report->issues);
      break;
    case CorpusFormat::kAuto:
      return skip(
          "cannot tell the format (unknown extension, and the content starts with none of "
          "<DOC>, .I, *TEXT, {, <REUTERS, ---); name it with --format; skipped");
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
  return ReadCorpus(inputs, ReadOptions(), sink, report);
}

Status ReadCorpus(const std::vector<std::string>& inputs, const ReadOptions& options,
                  const ArticleSink& sink, ReadReport* report) {
  const auto format_of = [&](const fs::path& file) {
    return options.format != CorpusFormat::kAuto ? options.format
                                                 : FormatFromExtension(file.string());
  };
  for (const std::string& input : inputs) {
    const fs::path root(input);
    std::error_code ec;
    const fs::file_status status = fs::status(root, ec);
    if (ec || !fs::exists(status)) return NotFound(input + ": no such file or directory");
    if (fs::is_regular_file(status)) {
      if (Status s = ReadFile(root, root, format_of(root), options, sink, report); !s.ok()) {
        return s;
      }
      continue;
    }
    std::vector<std::pair<fs::path, CorpusFormat>> files;
    for (auto it = fs::recursive_directory_iterator(
             root, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (!name.empty() && name.front() == '.') {  // Hidden files and folders (.git).
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file()) continue;
      CorpusFormat format = format_of(it->path());
      if (format == CorpusFormat::kAuto && !IsQueryFile(it->path())) {
        format = SniffFormat(it->path());
      }
      if (format == CorpusFormat::kAuto) {
        ++report->ignored_files;
      } else {
        files.emplace_back(it->path(), format);
      }
    }
    if (ec) return IoError(input + ": cannot list directory: " + ec.message());
    std::sort(files.begin(), files.end());
    for (const auto& [file, format] : files) {
      if (Status s = ReadFile(file, root, format, options, sink, report); !s.ok()) return s;
    }
  }
  return Status::Ok();
}

}  // namespace dyad
