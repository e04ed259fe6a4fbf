#include "proto/frame.h"

#include <gtest/gtest.h>

#include "dyad/v1/envelope.pb.h"

namespace dyad {
namespace {

v1::Envelope SearchEnvelope(std::uint64_t id, const std::string& query) {
  v1::Envelope e;
  e.set_request_id(id);
  e.mutable_search()->set_query(query);
  return e;
}

TEST(Frame, HeaderIsBigEndianLength) {
  const std::string frame = EncodeFrame(SearchEnvelope(1, "x"));
  ASSERT_GE(frame.size(), kFrameHeaderSize);
  EXPECT_EQ(DecodeFrameLength(frame), frame.size() - kFrameHeaderSize);
  EXPECT_EQ(DecodeFrameLength(std::string("\x01\x02\x03\x04", 4)), 0x01020304u);
}

TEST(FrameDecoder, DecodesFramesSplitAtEveryByte) {
  const std::string stream = EncodeFrame(SearchEnvelope(1, "Pakistan")) +
                             EncodeFrame(SearchEnvelope(2, "")) +
                             EncodeFrame(SearchEnvelope(3, "Russia"));
  FrameDecoder decoder;
  std::vector<v1::Envelope> decoded;
  std::string payload;
  for (char byte : stream) {
    decoder.Append(std::string_view(&byte, 1));
    while (decoder.Next(&payload) == FrameDecoder::Result::kFrame) {
      ASSERT_TRUE(decoded.emplace_back().ParseFromString(payload));
    }
  }
  ASSERT_EQ(decoded.size(), 3u);
  EXPECT_EQ(decoded[0].search().query(), "Pakistan");
  EXPECT_EQ(decoded[1].request_id(), 2u);
  EXPECT_EQ(decoded[2].search().query(), "Russia");
  EXPECT_EQ(decoder.buffered(), 0u);
}

TEST(FrameDecoder, EmptyFrameIsAFrame) {
  FrameDecoder decoder;
  decoder.Append(std::string(4, '\0'));
  std::string payload = "junk";
  EXPECT_EQ(decoder.Next(&payload), FrameDecoder::Result::kFrame);
  EXPECT_TRUE(payload.empty());
  EXPECT_EQ(decoder.Next(&payload), FrameDecoder::Result::kNeedMore);
}

TEST(FrameDecoder, RejectsOversizeLengthBeforeTheBodyArrives) {
  FrameDecoder decoder(1024);
  decoder.Append(std::string("\x00\x00\x04\x01", 4));  // 1025 bytes announced, none sent.
  std::string payload;
  EXPECT_EQ(decoder.Next(&payload), FrameDecoder::Result::kTooLarge);
  EXPECT_EQ(decoder.rejected_length(), 1025u);
  decoder.Append(EncodeFrame(SearchEnvelope(1, "x")));  // Stream cannot be resynchronised.
  EXPECT_EQ(decoder.Next(&payload), FrameDecoder::Result::kTooLarge);
  EXPECT_EQ(decoder.buffered(), 0u);
}

TEST(FrameDecoder, FrameAtTheLimitIsAccepted) {
  FrameDecoder decoder(8);
  decoder.Append(std::string("\x00\x00\x00\x08", 4) + "12345678");
  std::string payload;
  EXPECT_EQ(decoder.Next(&payload), FrameDecoder::Result::kFrame);
  EXPECT_EQ(payload, "12345678");
}

}  // namespace
}  // namespace dyad
