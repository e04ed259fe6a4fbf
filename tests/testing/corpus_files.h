// A small real corpus for tests that need an index of genuine articles but not all of them: the
// seed article and the State of the Union addresses from a given year on (corpus/sotu's files
// are named YEAR-PRESIDENT.txt).
#ifndef DYAD_TESTS_TESTING_CORPUS_FILES_H_
#define DYAD_TESTS_TESTING_CORPUS_FILES_H_

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

namespace dyad::testutil {

// Paths of corpus/articles/* and of corpus/sotu/YEAR-*.txt with YEAR >= from_year, sorted.
inline std::vector<std::string> BundledCorpusSince(int from_year) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const fs::directory_entry& entry :
       fs::directory_iterator(DYAD_SOURCE_DIR "/corpus/articles")) {
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  }
  for (const fs::directory_entry& entry : fs::directory_iterator(DYAD_SOURCE_DIR "/corpus/sotu")) {
    const std::string name = entry.path().filename().string();
    if (name.size() < 5 || !std::isdigit(static_cast<unsigned char>(name[0])) ||
        entry.path().extension() != ".txt") {
      continue;
    }
    if (std::stoi(name.substr(0, 4)) >= from_year) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace dyad::testutil

#endif  // DYAD_TESTS_TESTING_CORPUS_FILES_H_
