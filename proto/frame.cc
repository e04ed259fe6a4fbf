#include "proto/frame.h"

namespace dyad {

std::string EncodeFrame(const google::protobuf::MessageLite& message) {
  const std::size_t size = message.ByteSizeLong();
  std::string frame(kFrameHeaderSize + size, '\0');
  frame[0] = static_cast<char>((size >> 24) & 0xff);
  frame[1] = static_cast<char>((size >> 16) & 0xff);
  frame[2] = static_cast<char>((size >> 8) & 0xff);
  frame[3] = static_cast<char>(size & 0xff);
  message.SerializeWithCachedSizesToArray(reinterpret_cast<std::uint8_t*>(frame.data()) +
                                          kFrameHeaderSize);
  return frame;
}

std::uint32_t DecodeFrameLength(std::string_view header) {
  const auto byte = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(header[i]));
  };
  return (byte(0) << 24) | (byte(1) << 16) | (byte(2) << 8) | byte(3);
}

FrameDecoder::FrameDecoder(std::size_t max_frame_size) : max_frame_size_(max_frame_size) {}

void FrameDecoder::Append(std::string_view bytes) {
  if (too_large_) return;
  // Drop consumed bytes before growing, so a long-lived connection does not accumulate them.
  if (consumed_ > 0 && consumed_ >= buffer_.size() / 2) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  buffer_.append(bytes);
}

FrameDecoder::Result FrameDecoder::Next(std::string* payload) {
  if (too_large_) return Result::kTooLarge;
  const std::string_view pending = std::string_view(buffer_).substr(consumed_);
  if (pending.size() < kFrameHeaderSize) return Result::kNeedMore;
  const std::uint32_t length = DecodeFrameLength(pending);
  if (length > max_frame_size_) {
    too_large_ = true;
    rejected_length_ = length;
    buffer_.clear();
    consumed_ = 0;
    return Result::kTooLarge;
  }
  if (pending.size() - kFrameHeaderSize < length) return Result::kNeedMore;
  payload->assign(pending.substr(kFrameHeaderSize, length));
  consumed_ += kFrameHeaderSize + length;
  return Result::kFrame;
}

}  // namespace dyad
