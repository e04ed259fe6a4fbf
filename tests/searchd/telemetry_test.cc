// Metrics exposition, request log lines and the bearer token helpers.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "searchd/auth.h"
#include "searchd/metrics.h"
#include "searchd/request_log.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

using namespace std::chrono_literals;

RequestRecord Http(const std::string& kind, const std::string& status,
                   std::chrono::nanoseconds latency,
                   v1::ErrorCode error = v1::ERROR_CODE_UNSPECIFIED) {
  RequestRecord record;
  record.protocol = Protocol::kHttp;
  record.kind = kind;
  record.status = status;
  record.latency = latency;
  record.error = error;
  return record;
}

bool HasLine(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}

TEST(MetricsTest, CountsRequestsErrorsAndLatencies) {
  Metrics metrics;
  metrics.Record(Http("search", "200", 300us));
  metrics.Record(Http("search", "200", 3ms));
  metrics.Record(Http("get", "404", 15s, v1::ERROR_CODE_NOT_FOUND));
  RequestRecord binary;
  binary.kind = "search";
  binary.status = "INVALID_ARGUMENT";
  binary.error = v1::ERROR_CODE_INVALID_ARGUMENT;
  binary.latency = 1500us;
  metrics.Record(binary);
  metrics.ConnectionOpened(Protocol::kHttp);
  metrics.ConnectionOpened(Protocol::kHttp);
  metrics.ConnectionClosed(Protocol::kHttp);
  metrics.RequestStarted(Protocol::kBinary);

  EXPECT_EQ(metrics.requests(Protocol::kHttp, "search"), 2u);
  EXPECT_EQ(metrics.requests(Protocol::kBinary, "search"), 1u);
  EXPECT_EQ(metrics.errors(Protocol::kHttp, v1::ERROR_CODE_NOT_FOUND), 1u);
  EXPECT_EQ(metrics.errors(Protocol::kBinary, v1::ERROR_CODE_NOT_FOUND), 0u);

  v1::HealthResponse health;
  health.set_article_count(234);
  health.set_index_revision(7);
  health.set_schema_version(1);
  const std::string text = metrics.Render(&health);
  for (const char* line : {
           "# TYPE dyad_requests_total counter",
           "dyad_requests_total{protocol=\"http\",kind=\"search\"} 2",
           "dyad_requests_total{protocol=\"http\",kind=\"get\"} 1",
           "dyad_requests_total{protocol=\"binary\",kind=\"search\"} 1",
           "dyad_errors_total{protocol=\"http\",code=\"NOT_FOUND\"} 1",
           "dyad_errors_total{protocol=\"binary\",code=\"INVALID_ARGUMENT\"} 1",
           "dyad_http_responses_total{status=\"200\"} 2",
           "dyad_http_responses_total{status=\"404\"} 1",
           "# TYPE dyad_request_duration_seconds histogram",
           // Buckets are cumulative: 300us, 3ms, then 15s only in +Inf.
           "dyad_request_duration_seconds_bucket{protocol=\"http\",le=\"0.0005\"} 1",
           "dyad_request_duration_seconds_bucket{protocol=\"http\",le=\"0.002\"} 1",
           "dyad_request_duration_seconds_bucket{protocol=\"http\",le=\"0.005\"} 2",
           "dyad_request_duration_seconds_bucket{protocol=\"http\",le=\"10\"} 2",
           "dyad_request_duration_seconds_bucket{protocol=\"http\",le=\"+Inf\"} 3",
           "dyad_request_duration_seconds_count{protocol=\"http\"} 3",
           "dyad_request_duration_seconds_bucket{protocol=\"binary\",le=\"0.002\"} 1",
           "dyad_connections{protocol=\"http\"} 1",
           "dyad_connections{protocol=\"binary\"} 0",
           "dyad_requests_in_flight{protocol=\"binary\"} 1",
           "dyad_index_revision 7",
           "dyad_index_articles 234",
       }) {
    EXPECT_TRUE(HasLine(text, line)) << line << "\n" << text;
  }
  const std::string sum_key = "dyad_request_duration_seconds_sum{protocol=\"http\"} ";
  const std::size_t sum_at = text.find(sum_key);
  ASSERT_NE(sum_at, std::string::npos) << text;
  EXPECT_NEAR(std::stod(text.substr(sum_at + sum_key.size())), 15.0033, 1e-9);
  // Without the index's health the index gauges are left out rather than made up.
  EXPECT_EQ(metrics.Render(nullptr).find("dyad_index_revision"), std::string::npos);
}

TEST(MetricsTest, NamesOfKindsAndCodes) {
  v1::Envelope envelope;
  EXPECT_EQ(RequestKind(envelope), "empty");
  envelope.mutable_search();
  EXPECT_EQ(RequestKind(envelope), "search");
  envelope.mutable_get();
  EXPECT_EQ(RequestKind(envelope), "get");
  EXPECT_EQ(ErrorCodeName(v1::ERROR_CODE_UNAUTHENTICATED), "UNAUTHENTICATED");
  EXPECT_EQ(ErrorCodeName(v1::ERROR_CODE_UNSPECIFIED), "OK");
}

TEST(RequestLogTest, LogfmtAndJsonLines) {
  RequestRecord record = Http("search", "400", 1234567ns, v1::ERROR_CODE_INVALID_ARGUMENT);
  record.request_id = "abc-1";
  record.peer = "127.0.0.1:5000";
  record.path = "/v1/search";
  const auto time =
      std::chrono::system_clock::time_point(1714564800123ms);  // 2024-05-01 12:00:00.123
  EXPECT_EQ(RequestLog::Format(LogFormat::kLogfmt, record, time),
            "time=2024-05-01T12:00:00.123Z protocol=http kind=search status=400 "
            "latency_ms=1.235 request_id=abc-1 peer=127.0.0.1:5000 path=/v1/search "
            "error=INVALID_ARGUMENT\n");
  EXPECT_EQ(RequestLog::Format(LogFormat::kJson, record, time),
            R"({"time":"2024-05-01T12:00:00.123Z","protocol":"http","kind":"search",)"
            R"("status":"400","latency_ms":1.235,"request_id":"abc-1","peer":"127.0.0.1:5000",)"
            R"("path":"/v1/search","error":"INVALID_ARGUMENT"})"
            "\n");
  // Values that could break a line are quoted and escaped.
  record.path = "/a b\"c\n";
  record.error = v1::ERROR_CODE_UNSPECIFIED;
  const std::string logfmt = RequestLog::Format(LogFormat::kLogfmt, record, time);
  EXPECT_NE(logfmt.find(R"(path="/a b\"c\n")"), std::string::npos) << logfmt;
  EXPECT_EQ(logfmt.find("error="), std::string::npos);
  const std::string json = RequestLog::Format(LogFormat::kJson, record, time);
  EXPECT_NE(json.find(R"("path":"/a b\"c\n")"), std::string::npos) << json;
  EXPECT_EQ(std::count(json.begin(), json.end(), '\n'), 1);
  // The binary protocol has no path.
  record.protocol = Protocol::kBinary;
  EXPECT_EQ(RequestLog::Format(LogFormat::kJson, record, time).find("path"), std::string::npos);
}

TEST(RequestLogTest, WritesOneLinePerRequestUnlessQuiet) {
  testutil::TempDir dir;
  const std::string path = dir.Sub("log");
  std::FILE* file = std::fopen(path.c_str(), "w");
  ASSERT_NE(file, nullptr);
  {
    RequestLog log(LogFormat::kJson, false, file);
    log.Write(Http("search", "200", 1ms));
    log.Write(Http("get", "200", 1ms));
    RequestLog quiet(LogFormat::kJson, true, file);
    quiet.Write(Http("search", "200", 1ms));
  }
  std::fclose(file);
  std::ifstream in(path);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    EXPECT_TRUE(line.starts_with("{\"time\":")) << line;
  }
  EXPECT_EQ(lines, 2);
  EXPECT_TRUE(ParseLogFormat("json").ok());
  EXPECT_FALSE(ParseLogFormat("xml").ok());
}

TEST(AuthTest, TokenComparison) {
  const std::string token = "s3cret-token-0123456789";
  EXPECT_TRUE(TokenMatches(token, token));
  EXPECT_FALSE(TokenMatches("", token));
  EXPECT_FALSE(TokenMatches("s3cret-token-012345678", token));    // Prefix.
  EXPECT_FALSE(TokenMatches("s3cret-token-01234567890", token));  // Longer.
  EXPECT_FALSE(TokenMatches("S3cret-token-0123456789", token));
  EXPECT_FALSE(TokenMatches(std::string("s3cret-token-0123456789\0", 24), token));
  EXPECT_FALSE(TokenMatches("", ""));  // No token configured never matches.
}

TEST(AuthTest, BearerCredential) {
  EXPECT_EQ(BearerCredential("Bearer abc"), "abc");
  EXPECT_EQ(BearerCredential("bearer   abc  "), "abc");
  EXPECT_EQ(BearerCredential("BEARER abc"), "abc");
  EXPECT_EQ(BearerCredential("Basic abc"), "");
  EXPECT_EQ(BearerCredential("Bearer"), "");
  EXPECT_EQ(BearerCredential("Bearerabc"), "");
}

TEST(AuthTest, TokenFile) {
  testutil::TempDir dir;
  auto good = ReadTokenFile(dir.Write("good", "  0123456789abcdef0123\n"));
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  EXPECT_EQ(*good, "0123456789abcdef0123");
  EXPECT_EQ(ReadTokenFile(dir.Sub("missing")).status().code(), StatusCode::kNotFound);
  const auto short_token = ReadTokenFile(dir.Write("short", "abc\n"));
  EXPECT_EQ(short_token.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(short_token.status().message().find(dir.Sub("short")), std::string::npos);
  EXPECT_FALSE(ReadTokenFile(dir.Write("space", "0123456789 abcdef0123")).ok());
  EXPECT_FALSE(ReadTokenFile(dir.Write("empty", "\n")).ok());
}

}  // namespace
}  // namespace dyad
