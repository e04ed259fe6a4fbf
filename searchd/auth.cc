#include "searchd/auth.h"

#include <fstream>
#include <sstream>

namespace dyad {

StatusOr<std::string> ReadTokenFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read token file " + path);
  std::ostringstream content;
  content << in.rdbuf();
  std::string token = content.str();
  const std::size_t begin = token.find_first_not_of(" \t\r\n");
  const std::size_t end = token.find_last_not_of(" \t\r\n");
  token = begin == std::string::npos ? "" : token.substr(begin, end - begin + 1);
  if (token.size() < 16 || token.size() > 4096) {
    return InvalidArgument("token file " + path + " holds " + std::to_string(token.size()) +
                           " characters; a token needs 16 to 4096 (e.g. openssl rand -hex 32)");
  }
  for (unsigned char c : token) {
    if (c <= ' ' || c >= 0x7f) {
      return InvalidArgument("token file " + path +
                             ": the token may only hold visible ASCII characters");
    }
  }
  return token;
}

bool TokenMatches(std::string_view given, std::string_view expected) {
  // Every byte of `expected` is compared, against a zero byte once `given` runs out; the
  // accumulated difference is only inspected at the end.
  volatile unsigned char difference = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const unsigned char g = i < given.size() ? static_cast<unsigned char>(given[i]) : 0;
    difference = difference | (g ^ static_cast<unsigned char>(expected[i]));
  }
  return difference == 0 && !expected.empty();
}

std::string_view BearerCredential(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    const char c = authorization[i];
    if ((c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c) != kScheme[i]) return {};
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return token;
}

}  // namespace dyad
