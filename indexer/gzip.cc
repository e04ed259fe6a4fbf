#include "indexer/gzip.h"

#include <zlib.h>

namespace dyad {
namespace {

// Inflates into at most `max_output` bytes. With `prefix_only`, stops quietly when that much is
// out; otherwise reaching it is an error.
StatusOr<std::string> Inflate(std::string_view data, std::size_t max_output, bool prefix_only) {
  z_stream stream{};
  // 16 + MAX_WBITS: expect a gzip header and trailer (and check its CRC and length).
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) return Internal("zlib: inflateInit2 failed");
  std::string out;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  char buffer[64 * 1024];
  Status status;
  bool ended = false;  // The last member ended cleanly.
  while (true) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    const int rc = inflate(&stream, Z_NO_FLUSH);
    const std::size_t produced = sizeof buffer - stream.avail_out;
    if (out.size() + produced > max_output) {
      if (prefix_only) {
        out.append(buffer, max_output - out.size());
        break;
      }
      status = InvalidArgument("decompresses to more than " + std::to_string(max_output) +
                               " bytes, over the limit");
      break;
    }
    out.append(buffer, produced);
    if (prefix_only && out.size() == max_output) break;
    if (rc == Z_STREAM_END) {
      ended = true;
      // Another member may follow (concatenated .gz files); trailing zero padding is allowed.
      const std::string_view rest(reinterpret_cast<const char*>(stream.next_in), stream.avail_in);
      if (rest.find_first_not_of('\0') == std::string_view::npos) break;
      if (!IsGzip(rest)) {
        status = DataLoss("data after the end of the gzip stream is not gzip");
        break;
      }
      inflateReset(&stream);
      ended = false;
      continue;
    }
    if (rc == Z_BUF_ERROR && stream.avail_in == 0) break;  // Input ran out: truncated.
    if (rc != Z_OK) {
      status = DataLoss(std::string("corrupt gzip data (zlib: ") +
                        (stream.msg != nullptr ? stream.msg : zError(rc)) + ")");
      break;
    }
  }
  inflateEnd(&stream);
  if (!status.ok()) return status;
  if (!ended && !prefix_only) {
    return DataLoss("gzip data is truncated after " + std::to_string(out.size()) +
                    " decompressed bytes");
  }
  return out;
}

}  // namespace

bool IsGzip(std::string_view data) {
  return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
         static_cast<unsigned char>(data[1]) == 0x8b;
}

StatusOr<std::string> Gunzip(std::string_view data, std::size_t max_output) {
  return Inflate(data, max_output, false);
}

StatusOr<std::string> GunzipPrefix(std::string_view data, std::size_t max_output) {
  return Inflate(data, max_output, true);
}

}  // namespace dyad
