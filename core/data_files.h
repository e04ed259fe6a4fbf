// Where Dyad finds its data files (stop words, gazetteer, themes, eras).
#ifndef DYAD_CORE_DATA_FILES_H_
#define DYAD_CORE_DATA_FILES_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace dyad {

// Directories searched in order: $DYAD_DATA_DIR if set; share/dyad beside the running
// executable's bin/ (an installed tree, wherever it was moved or unpacked); share/dyad under the
// configured install prefix; the source tree's corpus/data (for binaries run from a build tree).
std::vector<std::string> DataDirectories();

// Full path of `relative` (e.g. "stopwords/en.txt") in the first directory that has it.
StatusOr<std::string> FindDataFile(std::string_view relative);

// Whole contents of a file; NotFound or IoError with the path in the message.
StatusOr<std::string> ReadFileToString(const std::string& path);

// Non-empty lines of a data file with '#' comments and surrounding blanks removed.
StatusOr<std::vector<std::string>> ReadDataLines(const std::string& path);

}  // namespace dyad

#endif  // DYAD_CORE_DATA_FILES_H_
