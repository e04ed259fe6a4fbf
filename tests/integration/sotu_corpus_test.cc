// corpus/sotu was converted from the State of the Union dataset in ../shared: every address is
// there, and each article's body is the address text unchanged.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "core/data_files.h"
#include "indexer/reader.h"

namespace dyad {
namespace {

TEST(SotuCorpus, EveryAddressIsBundledVerbatim) {
  const std::filesystem::path source = DYAD_SHARED_DIR "/corpora/sotu/data";
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(source)) {
    auto json = ReadFileToString(entry.path().string());
    ASSERT_TRUE(json.ok());
    google::protobuf::Struct record;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(*json, &record).ok());
    const auto& fields = record.fields();
    const int year = static_cast<int>(fields.at("year").number_value());
    const std::string name = fields.at("name").string_value();

    std::string slug;
    for (char c : name) {
      if (std::isalnum(static_cast<unsigned char>(c))) {
        slug += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      } else if (!slug.empty() && slug.back() != '-') {
        slug += '-';
      }
    }
    while (!slug.empty() && slug.back() == '-') slug.pop_back();
    const std::string path =
        DYAD_SOURCE_DIR "/corpus/sotu/" + std::to_string(year) + "-" + slug + ".txt";
    auto content = ReadFileToString(path);
    ASSERT_TRUE(content.ok()) << path;
    std::vector<ReadIssue> issues;
    auto article = ParseTextArticle(*content, path, "x", &issues);
    ASSERT_TRUE(article.has_value()) << path;
    EXPECT_TRUE(issues.empty()) << path;
    EXPECT_EQ(article->published(), std::to_string(year));
    ASSERT_EQ(article->authors_size(), 1);
    EXPECT_EQ(article->authors(0), name);
    ASSERT_EQ(article->sections_size(), 1) << path;
    ASSERT_EQ(article->sections(0).paragraphs_size(), 1) << path;
    std::string text = fields.at("text").string_value();
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    EXPECT_EQ(article->sections(0).paragraphs(0), text.substr(text.find_first_not_of(" \n")))
        << path;
    ++checked;
  }
  EXPECT_EQ(checked, 233);
}

}  // namespace
}  // namespace dyad
