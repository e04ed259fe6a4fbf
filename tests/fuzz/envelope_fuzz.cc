// Fuzz target: bytes from a client, as searchd's sessions see them. The input is cut into chunks
// (sizes taken from the input itself), fed to a FrameDecoder, and every complete frame that
// parses as an Envelope is answered by a QueryService over a real index.
#include <cstddef>
#include <cstdint>
#include <string>

#include "proto/frame.h"
#include "searchd/query_service.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static std::unique_ptr<dyad::QueryService> service = [] {
    dyad::fuzz::Knowledge& k = dyad::fuzz::Load(true);
    dyad::QueryLimits limits;
    limits.max_limit = 20;
    return dyad::QueryService::Open(k.index_path, *k.enricher, limits).value();
  }();
  if (size == 0) return 0;
  const std::size_t chunk = 1 + data[0] % 64;
  dyad::FrameDecoder decoder(4096);
  std::string payload;
  for (std::size_t at = 1; at < size; at += chunk) {
    decoder.Append(std::string_view(reinterpret_cast<const char*>(data) + at,
                                    std::min(chunk, size - at)));
    while (true) {
      const auto result = decoder.Next(&payload);
      if (result != dyad::FrameDecoder::Result::kFrame) break;
      dyad::v1::Envelope request;
      if (!request.ParseFromString(payload)) continue;
      const dyad::v1::Envelope response = service->Handle(request);
      if (response.request_id() != request.request_id()) __builtin_trap();
    }
  }
  return 0;
}
