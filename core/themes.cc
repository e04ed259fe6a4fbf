#include "core/themes.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <set>

#include "core/data_files.h"

namespace dyad {
namespace {

// Collects the parser's complaints so the Status can say file:line:column.
class ErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (first_.empty()) {
      first_ = std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " + message;
    }
  }
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

}  // namespace

Status ReadTextProto(const std::string& path, google::protobuf::Message* message) {
  StatusOr<std::string> content = ReadFileToString(path);
  if (!content.ok()) return content.status();
  google::protobuf::TextFormat::Parser parser;
  ErrorCollector errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(*content, message)) {
    return InvalidArgument(path + ":" + errors.first());
  }
  return Status::Ok();
}

StatusOr<ThemeMatcher> ThemeMatcher::Load(const Analyzer& analyzer, const std::string& path) {
  std::string file = path;
  if (file.empty()) {
    StatusOr<std::string> found = FindDataFile("themes.textproto");
    if (!found.ok()) return found.status();
    file = *found;
  }
  ThemeMatcher matcher;
  if (Status s = ReadTextProto(file, &matcher.taxonomy_); !s.ok()) return s;
  std::set<std::string> ids;
  for (int i = 0; i < matcher.taxonomy_.themes_size(); ++i) {
    const v1::Theme& theme = matcher.taxonomy_.themes(i);
    if (theme.id().empty())
      return InvalidArgument(file + ": theme " + std::to_string(i + 1) + " has no id");
    if (!ids.insert(theme.id()).second) {
      return InvalidArgument(file + ": theme id '" + theme.id() + "' is used twice");
    }
    int cues = 0;
    for (const std::string& cue : theme.cues()) cues += matcher.matcher_.Add(analyzer, cue, i, 1.0);
    for (const std::string& cue : theme.strong_cues()) {
      cues += matcher.matcher_.Add(analyzer, cue, i, 2.0);
    }
    if (cues == 0) return InvalidArgument(file + ": theme '" + theme.id() + "' has no cues");
  }
  return matcher;
}

void ThemeMatcher::Add(const std::vector<std::string>& stems, double field_weight,
                       Tally* tally) const {
  tally->words += stems.size();
  matcher_.Match(stems, [&](int id, double weight) { tally->scores[id] += weight * field_weight; });
}

std::vector<v1::ThemeScore> ThemeMatcher::Assign(const Tally& tally) const {
  const double thousands = std::max<double>(tally.words, 200) / 1000.0;
  std::vector<v1::ThemeScore> themes;
  for (int i = 0; i < taxonomy_.themes_size(); ++i) {
    const double score = tally.scores[i];
    if (score < taxonomy_.min_score() || score / thousands < taxonomy_.min_per_1000_words()) {
      continue;
    }
    v1::ThemeScore& theme = themes.emplace_back();
    theme.set_id(taxonomy_.themes(i).id());
    theme.set_score(score);
  }
  std::stable_sort(themes.begin(), themes.end(),
                   [](const auto& a, const auto& b) { return a.score() > b.score(); });
  return themes;
}

bool ThemeMatcher::Has(std::string_view id) const {
  return std::any_of(taxonomy_.themes().begin(), taxonomy_.themes().end(),
                     [&](const v1::Theme& t) { return t.id() == id; });
}

}  // namespace dyad
