// Static files of dyad-searchd's --web folder (the search page of clients/web/), served at / by
// the HTTP gateway.
#ifndef DYAD_SEARCHD_STATIC_FILES_H_
#define DYAD_SEARCHD_STATIC_FILES_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace dyad {

struct StaticFile {
  std::string content;
  std::string content_type;
};

// The file for URL path `path` (percent-decoded, starting with '/') under `root`; "/" and
// folders serve their index.html. NotFound for a missing file and for every path that would
// reach outside `root`: ".." segments, hidden names (".git"), symbolic links leading out.
// FailedPrecondition for a file over `max_bytes`.
StatusOr<StaticFile> ReadStaticFile(const std::string& root, std::string_view path,
                                    std::size_t max_bytes);

// The Content-Type for a file name, by extension; application/octet-stream when unknown.
std::string_view ContentTypeFor(std::string_view file_name);

}  // namespace dyad

#endif  // DYAD_SEARCHD_STATIC_FILES_H_
