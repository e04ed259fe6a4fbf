// Test helpers for the corpus readers: issues as text, and a table of broken inputs.
#ifndef DYAD_TESTS_INDEXER_READER_CASES_H_
#define DYAD_TESTS_INDEXER_READER_CASES_H_

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/reader.h"

namespace dyad::testutil {

// Every issue, one per line, for failure messages.
inline std::string Describe(const std::vector<ReadIssue>& issues) {
  std::string out;
  for (const ReadIssue& issue : issues) out += "\n  " + issue.ToString();
  return out.empty() ? " (no issues)" : out;
}

// A broken input: the ids still read, and the first issue it must cause.
struct BrokenCase {
  const char* name;
  std::string content;
  std::vector<std::string> ids;
  ReadIssue::Severity severity;
  std::uint32_t line;
  const char* message_part;
  std::size_t issue_count = 1;
};

using ParseFunction =
    std::function<std::vector<v1::StoredArticle>(std::string_view, std::vector<ReadIssue>*)>;

inline void ExpectBrokenCases(const std::vector<BrokenCase>& cases, const ParseFunction& parse) {
  for (const BrokenCase& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<ReadIssue> issues;
    const std::vector<v1::StoredArticle> articles = parse(c.content, &issues);
    std::vector<std::string> ids;
    for (const v1::StoredArticle& a : articles) ids.push_back(a.id());
    EXPECT_EQ(ids, c.ids);
    ASSERT_EQ(issues.size(), c.issue_count) << Describe(issues);
    EXPECT_EQ(issues[0].severity, c.severity) << Describe(issues);
    EXPECT_EQ(issues[0].line, c.line) << Describe(issues);
    EXPECT_NE(issues[0].message.find(c.message_part), std::string::npos) << Describe(issues);
  }
}

}  // namespace dyad::testutil

#endif  // DYAD_TESTS_INDEXER_READER_CASES_H_
