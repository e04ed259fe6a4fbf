// dyad-eval score against trec_eval's own test vectors (../shared/trec_eval-tests): every command
// listed in SOURCE.txt is run through the real dyad-eval binary, and its output must equal the
// expected out.* file restricted to the measures dyad-eval implements: every printed line
// present and identical, every expected line of an implemented measure printed, same order.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "clients/eval/measures.h"
#include "tests/testing/process.h"

namespace dyad {
namespace {

const std::string kVectors = DYAD_SHARED_DIR "/trec_eval-tests";

struct VectorCase {
  std::string expected_file;      // "out.test.aq"
  std::vector<std::string> args;  // trec_eval's arguments, file names made absolute.
  std::string command;            // As written in SOURCE.txt.
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// "  trec_eval -q -c qrels.test results.trunc   -> out.test.aqc"
std::vector<VectorCase> ReadSourceCommands() {
  std::vector<VectorCase> cases;
  const std::regex command_line(R"(^\s*trec_eval\s+(.*\S)\s+->\s+(out\.\S+)\s*$)");
  for (const std::string& line : Lines(ReadAll(kVectors + "/SOURCE.txt"))) {
    std::smatch match;
    if (!std::regex_match(line, match, command_line)) continue;
    VectorCase c;
    c.command = match[1];
    c.expected_file = match[2];
    std::istringstream words(c.command);
    for (std::string word; words >> word;) {
      const bool is_file =
          word[0] != '-' && std::filesystem::is_regular_file(kVectors + "/" + word);
      c.args.push_back(is_file ? kVectors + "/" + word : word);
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

// The measure a trec_eval output line belongs to, if dyad-eval implements it ("" if not).
std::string ImplementedMeasure(const std::string& line) {
  std::string name = line.substr(0, line.find('\t'));
  name.erase(name.find_last_not_of(' ') + 1);
  std::string measure = eval::MeasureOfValueName(name);
  if (measure.empty() && name.size() > 1 && name[0] == 'Z') {
    measure = eval::MeasureOfValueName(name.substr(1));  // -Z output.
  }
  return measure;
}

// For gtest's messages and ctest's test list.
void PrintTo(const VectorCase& c, std::ostream* out) { *out << c.command; }

class TrecEvalVectors : public ::testing::TestWithParam<VectorCase> {};

TEST_P(TrecEvalVectors, OutputEqualsTrecEvalForImplementedMeasures) {
  const VectorCase& c = GetParam();
  std::vector<std::string> argv = {DYAD_EVAL_BIN, "score"};
  argv.insert(argv.end(), c.args.begin(), c.args.end());
  const testutil::RunResult result = testutil::RunCommand(argv);
  ASSERT_EQ(result.exit_code, 0) << c.command << "\n" << result.err;

  const std::vector<std::string> printed = Lines(result.out);
  const std::vector<std::string> all_expected = Lines(ReadAll(kVectors + "/" + c.expected_file));
  ASSERT_FALSE(all_expected.empty()) << c.expected_file;
  std::vector<std::string> expected;
  for (const std::string& line : all_expected) {
    if (!ImplementedMeasure(line).empty()) expected.push_back(line);
  }

  const std::multiset<std::string> expected_set(all_expected.begin(), all_expected.end());
  const std::multiset<std::string> printed_set(printed.begin(), printed.end());
  for (const std::string& line : printed) {
    EXPECT_TRUE(expected_set.count(line)) << "printed, not in " << c.expected_file << ": " << line;
  }
  for (const std::string& line : expected) {
    EXPECT_TRUE(printed_set.count(line)) << "in " << c.expected_file << ", not printed: " << line;
  }
  EXPECT_EQ(printed, expected) << "order or count differs for: " << c.command;
}

std::vector<VectorCase> Cases() {
  static const std::vector<VectorCase> cases = ReadSourceCommands();
  return cases;
}

INSTANTIATE_TEST_SUITE_P(SourceTxt, TrecEvalVectors, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<VectorCase>& info) {
                           std::string name =
                               std::to_string(info.index) + "_" + info.param.expected_file;
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

// The commands the brief requires must all be in SOURCE.txt (so a parse failure cannot make the
// suite pass by running nothing), and every measure trec_eval prints in them must be implemented.
TEST(TrecEvalVectorsSource, ListsTheRequiredCommands) {
  std::multiset<std::string> outputs;
  for (const VectorCase& c : Cases()) outputs.insert(c.expected_file);
  for (const char* required :
       {"out.test", "out.test.a", "out.test.aq", "out.test.aqc", "out.test.aqcM", "out.test.aql",
        "out.test.meas_params", "out.comment.test"}) {
    EXPECT_TRUE(outputs.count(required)) << required;
  }
  bool with_comments = false;
  for (const VectorCase& c : Cases()) {
    with_comments |= c.command.find("qrels.test.with-comments") != std::string::npos;
  }
  EXPECT_TRUE(with_comments);
}

TEST(TrecEvalVectorsSource, EveryMeasureInTheVectorsIsImplemented) {
  std::set<std::string> missing;
  for (const VectorCase& c : Cases()) {
    for (const std::string& line : Lines(ReadAll(kVectors + "/" + c.expected_file))) {
      if (ImplementedMeasure(line).empty()) missing.insert(line.substr(0, line.find('\t')));
    }
  }
  EXPECT_TRUE(missing.empty()) << "first unimplemented: " << *missing.begin();
}

}  // namespace
}  // namespace dyad
