#include "indexer/index_stats.h"

#include <xapian.h>

#include <algorithm>
#include <filesystem>

#include "core/schema.h"
#include "indexer/index_folder.h"

namespace dyad {
namespace {

// A JSON string literal for ASCII-safe text (control characters escaped).
std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
      out += buffer;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

std::string IndexStats::ToJson() const {
  std::string out = "{\"articles\":" + std::to_string(articles) +
                    ",\"bytes_on_disk\":" + std::to_string(bytes_on_disk) +
                    ",\"schema_version\":" + JsonString(schema_version) +
                    ",\"sources\":" + std::to_string(sources) +
                    ",\"without_source\":" + std::to_string(without_source) +
                    ",\"generation\":" + std::to_string(generation) + ",\"top_sources\":[";
  for (std::size_t i = 0; i < top_sources.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"source\":" + JsonString(top_sources[i].first) +
           ",\"articles\":" + std::to_string(top_sources[i].second) + "}";
  }
  return out + "]}";
}

std::string IndexStats::ToText() const {
  std::string out = "articles        " + std::to_string(articles) + "\n" + "size on disk    " +
                    std::to_string(bytes_on_disk) + " bytes\n" + "schema version  " +
                    (schema_version.empty() ? "(none)" : schema_version) + "\n" +
                    "sources         " + std::to_string(sources) + " (" +
                    std::to_string(without_source) + " articles without one)\n" +
                    "generation      " + std::to_string(generation) + "\n";
  if (!top_sources.empty()) out += "top sources\n";
  for (const auto& [source, count] : top_sources) {
    out += "  " + std::to_string(count) + "\t" + source + "\n";
  }
  return out;
}

StatusOr<IndexStats> ReadIndexStats(const std::string& path, std::size_t top_sources) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return NotFound("no index at " + path);
  StatusOr<std::optional<std::uint64_t>> generation = PublishedGeneration(path);
  if (!generation.ok()) return generation.status();
  if (!generation->has_value()) return NotFound("no Dyad index at " + path);
  IndexStats stats;
  stats.generation = **generation;
  const std::string database_path = GenerationDatabasePath(path, stats.generation);
  try {
    Xapian::Database database(path);
    stats.articles = database.get_doccount();
    stats.schema_version = database.get_metadata(schema::kMetaSchemaVersion);
    const std::string prefix = schema::kPrefixSource;
    std::uint64_t with_source = 0;
    for (auto it = database.allterms_begin(prefix); it != database.allterms_end(prefix); ++it) {
      ++stats.sources;
      with_source += it.get_termfreq();
      stats.top_sources.emplace_back((*it).substr(prefix.size()), it.get_termfreq());
    }
    // Each article has at most one source term.
    stats.without_source = stats.articles - std::min<std::uint64_t>(with_source, stats.articles);
  } catch (const Xapian::DatabaseOpeningError& e) {
    return NotFound("no Dyad index at " + path + ": " + e.get_description());
  } catch (const Xapian::Error& e) {
    return DataLoss("cannot read index " + path + ": " + e.get_description());
  }
  std::sort(stats.top_sources.begin(), stats.top_sources.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (stats.top_sources.size() > top_sources) stats.top_sources.resize(top_sources);
  for (auto it = fs::recursive_directory_iterator(database_path, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) stats.bytes_on_disk += it->file_size(ec);
  }
  return stats;
}

}  // namespace dyad
