// Frame codec for Dyad's binary protocol: a 4-byte big-endian length N, then N bytes of payload
// (one serialised dyad.v1.Envelope). See proto/dyad/v1/envelope.proto for the protocol.
#ifndef DYAD_PROTO_FRAME_H_
#define DYAD_PROTO_FRAME_H_

#include <google/protobuf/message_lite.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace dyad {

inline constexpr std::size_t kFrameHeaderSize = 4;
inline constexpr std::size_t kDefaultMaxFrameSize = 4 * 1024 * 1024;

// Returns the frame (header + serialised message) for `message`.
std::string EncodeFrame(const google::protobuf::MessageLite& message);

// Incremental decoder for a byte stream of frames. Not thread-safe; one per connection.
//
//   FrameDecoder decoder(limit);
//   decoder.Append(bytes_from_socket);
//   std::string payload;
//   while (decoder.Next(&payload) == FrameDecoder::Result::kFrame) { ... }
//
// The length in a header is compared with the limit as soon as the header is complete, before
// any of the body is buffered; after kTooLarge the decoder stays in that state (the stream
// cannot be resynchronised) and the caller should close the connection.
class FrameDecoder {
 public:
  enum class Result { kFrame, kNeedMore, kTooLarge };

  explicit FrameDecoder(std::size_t max_frame_size = kDefaultMaxFrameSize);

  // Appends bytes received from the peer. Bytes appended after kTooLarge are dropped.
  void Append(std::string_view bytes);

  // On kFrame, stores the next complete payload in *payload.
  Result Next(std::string* payload);

  // Length announced by the header that caused kTooLarge.
  std::uint32_t rejected_length() const { return rejected_length_; }
  std::size_t buffered() const { return buffer_.size() - consumed_; }

 private:
  std::size_t max_frame_size_;
  std::string buffer_;
  std::size_t consumed_ = 0;
  bool too_large_ = false;
  std::uint32_t rejected_length_ = 0;
};

// Reads the big-endian length from the first kFrameHeaderSize bytes of `header`.
std::uint32_t DecodeFrameLength(std::string_view header);

}  // namespace dyad

#endif  // DYAD_PROTO_FRAME_H_
