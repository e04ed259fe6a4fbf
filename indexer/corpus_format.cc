// Telling a corpus file's format: by --format name, by extension, or by its first bytes.
#include <algorithm>
#include <cctype>
#include <filesystem>

#include "indexer/reader.h"

namespace dyad {
namespace {

struct FormatName {
  std::string_view name;
  CorpusFormat format;
};

// The first name of each format is the one CorpusFormatName prints.
constexpr FormatName kNames[] = {
    {"text", CorpusFormat::kText},       {"md", CorpusFormat::kText},
    {"jsonl", CorpusFormat::kJsonLines}, {"trec", CorpusFormat::kTrec},
    {"smart", CorpusFormat::kSmart},     {"glasgow", CorpusFormat::kGlasgow},
    {"sgml", CorpusFormat::kSgml},       {"auto", CorpusFormat::kAuto},
};

struct Extension {
  std::string_view extension;
  CorpusFormat format;
};

constexpr Extension kExtensions[] = {
    {".txt", CorpusFormat::kText},        {".md", CorpusFormat::kText},
    {".text", CorpusFormat::kText},       {".markdown", CorpusFormat::kText},
    {".jsonl", CorpusFormat::kJsonLines}, {".ndjson", CorpusFormat::kJsonLines},
    {".trec", CorpusFormat::kTrec},       {".sgm", CorpusFormat::kSgml},
    {".sgml", CorpusFormat::kSgml},
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::optional<CorpusFormat> ParseCorpusFormat(std::string_view name) {
  const std::string lower = Lower(name);
  for (const FormatName& entry : kNames) {
    if (entry.name == lower) return entry.format;
  }
  return std::nullopt;
}

const char* CorpusFormatName(CorpusFormat format) {
  for (const FormatName& entry : kNames) {
    if (entry.format == format) return entry.name.data();
  }
  return "unknown";
}

CorpusFormat FormatFromExtension(std::string_view file_name) {
  std::string name = Lower(std::filesystem::path(file_name).filename().string());
  if (name.ends_with(".gz")) name.resize(name.size() - 3);
  const std::string extension = std::filesystem::path(name).extension().string();
  for (const Extension& entry : kExtensions) {
    if (entry.extension == extension) return entry.format;
  }
  return CorpusFormat::kAuto;
}

CorpusFormat FormatFromContent(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);  // UTF-8 byte order mark.
  const std::size_t start = head.find_first_not_of(" \t\r\n\f\v");
  if (start == std::string_view::npos) return CorpusFormat::kAuto;
  head.remove_prefix(start);
  const auto starts = [&](std::string_view prefix, bool any_case) {
    if (head.size() < prefix.size()) return false;
    return any_case ? Lower(head.substr(0, prefix.size())) == Lower(prefix)
                    : head.starts_with(prefix);
  };
  const auto followed_by_blank = [&](std::size_t at) {
    return head.size() > at && std::isspace(static_cast<unsigned char>(head[at]));
  };
  if (starts("<DOC>", true) || (starts("<DOC", true) && followed_by_blank(4))) {
    return CorpusFormat::kTrec;
  }
  if (starts("<!DOCTYPE lewis", true) || starts("<REUTERS", true)) return CorpusFormat::kSgml;
  if (starts(".I", false) && followed_by_blank(2)) return CorpusFormat::kSmart;
  if (starts("*TEXT", false) && followed_by_blank(5)) return CorpusFormat::kGlasgow;
  if (starts("{", false)) {
    // One object per line: the first line closes its object (or runs past what was sniffed).
    // A pretty-printed JSON document, whose first line is a lone '{', is not JSON Lines.
    const std::size_t end = head.find('\n');
    std::string_view first = head.substr(0, end);
    while (!first.empty() && std::isspace(static_cast<unsigned char>(first.back()))) {
      first.remove_suffix(1);
    }
    if (end == std::string_view::npos || first.ends_with('}')) return CorpusFormat::kJsonLines;
    return CorpusFormat::kAuto;
  }
  if (starts("---", false) && (head.size() == 3 || followed_by_blank(3))) {
    return CorpusFormat::kText;
  }
  return CorpusFormat::kAuto;
}

}  // namespace dyad
