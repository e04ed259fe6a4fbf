#include "searchd/static_files.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace dyad {

namespace fs = std::filesystem;

std::string_view ContentTypeFor(std::string_view file_name) {
  // The types a web page of HTML, CSS, scripts, fonts and images needs.
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".wasm", "application/wasm"},
  };
  const std::size_t dot = file_name.rfind('.');
  if (dot != std::string_view::npos) {
    std::string extension(file_name.substr(dot));
    for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto& [known, type] : kTypes) {
      if (extension == known) return type;
    }
  }
  return "application/octet-stream";
}

StatusOr<StaticFile> ReadStaticFile(const std::string& root, std::string_view path,
                                    std::size_t max_bytes) {
  const Status not_found = NotFound("no file at " + std::string(path));
  if (path.empty() || path.front() != '/') return not_found;
  // Check each segment before touching the file system.
  fs::path relative;
  std::size_t begin = 1;
  while (begin <= path.size()) {
    std::size_t end = path.find('/', begin);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(begin, end - begin);
    if (!segment.empty()) {
      if (segment.front() == '.' || segment.find('\\') != std::string_view::npos ||
          segment.find('\0') != std::string_view::npos) {
        return not_found;
      }
      relative /= std::string(segment);
    }
    begin = end + 1;
  }
  std::error_code error;
  const fs::path base = fs::canonical(root, error);
  if (error) return NotFound("web folder " + root + " is missing: " + error.message());
  fs::path file = base / relative;
  if (fs::is_directory(file, error)) file /= "index.html";
  // Symbolic links inside the folder may not lead out of it.
  const fs::path resolved = fs::canonical(file, error);
  if (error || !fs::is_regular_file(resolved, error)) return not_found;
  const auto [base_end, inside] =
      std::mismatch(base.begin(), base.end(), resolved.begin(), resolved.end());
  if (base_end != base.end()) return not_found;
  const std::uintmax_t size = fs::file_size(resolved, error);
  if (error) return not_found;
  if (size > max_bytes) {
    return FailedPrecondition(std::string(path) + " is " + std::to_string(size) +
                              " bytes; static files are served up to " + std::to_string(max_bytes));
  }
  std::ifstream in(resolved, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  if (!in) return not_found;
  return StaticFile{content.str(), std::string(ContentTypeFor(resolved.filename().string()))};
}

}  // namespace dyad
