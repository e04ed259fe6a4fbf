// Transparent reading of gzip-compressed corpus files (RFC 1952, via zlib).
#ifndef DYAD_INDEXER_GZIP_H_
#define DYAD_INDEXER_GZIP_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace dyad {

// True when `data` starts with the gzip magic bytes 1f 8b.
bool IsGzip(std::string_view data);

// Decompresses a whole gzip file (several concatenated members are one stream, as gzip(1)
// writes them). DataLoss for corrupt or truncated data; InvalidArgument when the output would
// exceed `max_output` bytes (checked while inflating, so a small bomb cannot exhaust memory).
StatusOr<std::string> Gunzip(std::string_view data, std::size_t max_output);

// The first `max_output` bytes (fewer if the stream is shorter) of the decompressed data, for
// format detection; errors past that point are not seen.
StatusOr<std::string> GunzipPrefix(std::string_view data, std::size_t max_output);

}  // namespace dyad

#endif  // DYAD_INDEXER_GZIP_H_
