// Reader for JSON Lines corpora: one dyad.v1.ArticleRecord per line (see reader.h).
#include <google/protobuf/util/json_util.h>

#include "indexer/reader.h"
#include "indexer/reader_internal.h"

namespace dyad {

std::vector<v1::StoredArticle> ParseJsonLines(std::string_view content, const std::string& path,
                                              const std::string& id_prefix,
                                              std::vector<ReadIssue>* issues) {
  std::vector<v1::StoredArticle> articles;
  std::string repaired;
  if (!internal::CheckContent(content, path, &repaired, issues)) return articles;
  if (!repaired.empty()) content = repaired;

  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  std::uint32_t number = 0;
  while (!content.empty()) {
    ++number;
    const std::size_t end = content.find('\n');
    std::string_view line = content.substr(0, end);
    content.remove_prefix(end == std::string_view::npos ? content.size() : end + 1);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;

    const auto error = [&](std::string message) {
      issues->push_back({ReadIssue::Severity::kError, path, number, std::move(message)});
    };
    v1::ArticleRecord record;
    const auto status = google::protobuf::util::JsonStringToMessage(
        google::protobuf::StringPiece(line.data(), line.size()), &record, options);
    if (!status.ok()) {
      error("not a JSON article record (" + std::string(status.message()) + "); skipped");
      continue;
    }
    if (record.title().empty() && record.body().empty()) {
      error("record has neither title nor body; skipped");
      continue;
    }
    v1::StoredArticle article;
    article.set_id(record.id().empty() ? id_prefix + ":" + std::to_string(number) : record.id());
    article.set_title(record.title());
    *article.mutable_key_points() = record.key_points();
    *article.mutable_authors() = record.authors();
    article.set_author_note(record.author_note());
    article.set_source(record.source());
    article.set_url(record.url());
    article.set_language(record.language().empty() ? "en" : record.language());
    if (!record.published().empty()) {
      if (auto date = internal::NormalizedDate(record.published())) {
        article.set_published(*date);
      } else {
        issues->push_back({ReadIssue::Severity::kWarning, path, number,
                           "published '" + record.published() +
                               "' is not YYYY, YYYY-MM or YYYY-MM-DD; ignored"});
      }
    }
    *article.mutable_metadata() = record.metadata();
    article.mutable_origin()->set_path(path);
    article.mutable_origin()->set_line(number);
    article.set_content_hash(ContentHash(line));

    std::vector<std::pair<std::string, std::uint32_t>> body_lines;
    std::string_view body = record.body();
    while (!body.empty()) {
      const std::size_t cut = body.find('\n');
      body_lines.emplace_back(std::string(body.substr(0, cut)), number);
      body.remove_prefix(cut == std::string_view::npos ? body.size() : cut + 1);
    }
    internal::BuildBody(body_lines, &article);
    articles.push_back(std::move(article));
  }
  return articles;
}

}  // namespace dyad
