// Reader for JSON Lines corpora: one dyad.v1.ArticleRecord per line (see reader.h).
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <cmath>
#include <utility>

#include "indexer/reader.h"
#include "indexer/reader_internal.h"

namespace dyad {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

// (ArticleRecord's JSON name, the member of JsonLinesFields that renames it).
constexpr std::pair<const char*, std::string JsonLinesFields::*> kRenamable[] = {
    {"id", &JsonLinesFields::id},           {"title", &JsonLinesFields::title},
    {"body", &JsonLinesFields::body},       {"published", &JsonLinesFields::published},
    {"authors", &JsonLinesFields::authors}, {"source", &JsonLinesFields::source},
    {"url", &JsonLinesFields::url},         {"language", &JsonLinesFields::language},
};

// A number or boolean where the record wants text becomes text: 1963 -> "1963".
Value AsText(const Value& value) {
  Value text;
  if (value.has_number_value()) {
    const double n = value.number_value();
    char buffer[32];
    if (std::trunc(n) == n && std::fabs(n) < 1e15) {
      std::snprintf(buffer, sizeof buffer, "%.0f", n);
    } else {
      std::snprintf(buffer, sizeof buffer, "%g", n);
    }
    text.set_string_value(buffer);
  } else if (value.has_bool_value()) {
    text.set_string_value(value.bool_value() ? "true" : "false");
  } else {
    text = value;
  }
  return text;
}

// The record with the configured names mapped to ArticleRecord's and scalar types eased. A key
// that names a renamed field ("title" when titles come from "headline") is dropped.
Struct Canonical(const Struct& in, const JsonLinesFields& fields) {
  Struct out;
  auto& target = *out.mutable_fields();
  for (const auto& [key, value] : in.fields()) {
    bool mapped = false;
    for (const auto& [name, member] : kRenamable) mapped |= key == name || key == fields.*member;
    if (!mapped) target[key] = value;
  }
  for (const auto& [name, member] : kRenamable) {
    const auto it = in.fields().find(fields.*member);
    if (it == in.fields().end()) continue;
    if (std::string_view(name) != "authors" || !it->second.has_string_value()) {
      target[name] = AsText(it->second);
      continue;
    }
    Value& list = target[name];  // "A; B" -> ["A", "B"].
    list.mutable_list_value();
    std::string_view authors = it->second.string_value();
    while (!authors.empty()) {
      const std::size_t cut = authors.find(';');
      const std::string_view author = internal::Trim(authors.substr(0, cut));
      if (!author.empty()) {
        list.mutable_list_value()->add_values()->set_string_value(std::string(author));
      }
      authors.remove_prefix(cut == std::string_view::npos ? authors.size() : cut + 1);
    }
  }
  return out;
}

}  // namespace

StatusOr<JsonLinesFields> ParseJsonLinesFields(std::string_view spec) {
  JsonLinesFields fields;
  while (!spec.empty()) {
    const std::size_t cut = spec.find(',');
    const std::string_view item = internal::Trim(spec.substr(0, cut));
    spec.remove_prefix(cut == std::string_view::npos ? spec.size() : cut + 1);
    if (item.empty()) continue;
    const std::size_t equals = item.find('=');
    if (equals == std::string_view::npos) {
      return InvalidArgument("JSON Lines field mapping '" + std::string(item) +
                             "' is not FIELD=NAME");
    }
    const std::string_view key = internal::Trim(item.substr(0, equals));
    const std::string_view name = internal::Trim(item.substr(equals + 1));
    if (name.empty()) {
      return InvalidArgument("JSON Lines field mapping '" + std::string(item) +
                             "' has no field name after '='");
    }
    bool known = false;
    for (const auto& [canonical, member] : kRenamable) {
      if (key == canonical) {
        fields.*member = std::string(name);
        known = true;
      }
    }
    if (!known) {
      return InvalidArgument("unknown JSON Lines field '" + std::string(key) +
                             "' (known: id, title, body, published, authors, source, url, "
                             "language)");
    }
  }
  return fields;
}

std::vector<v1::StoredArticle> ParseJsonLines(std::string_view content, const std::string& path,
                                              const std::string& id_prefix,
                                              std::vector<ReadIssue>* issues) {
  return ParseJsonLines(content, path, id_prefix, JsonLinesFields(), issues);
}

std::vector<v1::StoredArticle> ParseJsonLines(std::string_view content, const std::string& path,
                                              const std::string& id_prefix,
                                              const JsonLinesFields& fields,
                                              std::vector<ReadIssue>* issues) {
  std::vector<v1::StoredArticle> articles;
  std::string repaired;
  if (!internal::CheckContent(content, path, &repaired, issues)) return articles;
  if (!repaired.empty()) content = repaired;

  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  bool default_names = true;
  for (const auto& [name, member] : kRenamable) default_names &= fields.*member == name;
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
    // With the default names a record usually parses directly. Otherwise (other names, or a
    // number where text is expected) it goes through a Struct, so that names can be mapped and
    // types eased before the strict ArticleRecord parse.
    const google::protobuf::StringPiece json(line.data(), line.size());
    v1::ArticleRecord record;
    auto status = google::protobuf::util::Status();
    if (!default_names ||
        !google::protobuf::util::JsonStringToMessage(json, &record, options).ok()) {
      record.Clear();
      Struct object;
      status = google::protobuf::util::JsonStringToMessage(json, &object, options);
      if (!status.ok()) {
        error("not a JSON object (" + std::string(status.message()) + "); skipped");
        continue;
      }
      std::string canonical;
      status = google::protobuf::util::MessageToJsonString(Canonical(object, fields), &canonical);
      if (status.ok()) {
        status = google::protobuf::util::JsonStringToMessage(canonical, &record, options);
      }
    }
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
