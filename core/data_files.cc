#include "core/data_files.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace dyad {

std::vector<std::string> DataDirectories() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("DYAD_DATA_DIR"); env != nullptr && *env != '\0') {
    dirs.emplace_back(env);
  }
  // An installed executable's own share/dyad comes first, so a moved or unpacked tree uses its
  // own data files. /proc/self/exe is Linux's path of the running executable.
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec && exe.has_parent_path()) {
    dirs.push_back((exe.parent_path() / DYAD_BIN_TO_DATA_DIR).lexically_normal().string());
  }
  dirs.emplace_back(DYAD_INSTALL_DATA_DIR);
  dirs.emplace_back(DYAD_SOURCE_DATA_DIR);
  return dirs;
}

StatusOr<std::string> FindDataFile(std::string_view relative) {
  std::string searched;
  for (const std::string& dir : DataDirectories()) {
    std::filesystem::path candidate = std::filesystem::path(dir) / relative;
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
    searched += (searched.empty() ? "" : ", ") + dir;
  }
  return NotFound("data file " + std::string(relative) + " not found in " + searched +
                  "; set DYAD_DATA_DIR to the folder holding Dyad's data files");
}

StatusOr<std::string> ReadFileToString(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    if (err == ENOENT) return NotFound(path + ": no such file");
    return IoError(path + ": " + std::strerror(err));
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return IoError(path + ": read failed");
  return content.str();
}

StatusOr<std::vector<std::string>> ReadDataLines(const std::string& path) {
  StatusOr<std::string> content = ReadFileToString(path);
  if (!content.ok()) return content.status();
  std::vector<std::string> lines;
  std::istringstream in(*content);
  std::string line;
  while (std::getline(in, line)) {
    if (std::size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    const std::size_t begin = line.find_first_not_of(" \t\r");
    if (begin == std::string::npos) continue;
    const std::size_t end = line.find_last_not_of(" \t\r");
    lines.push_back(line.substr(begin, end - begin + 1));
  }
  return lines;
}

}  // namespace dyad
