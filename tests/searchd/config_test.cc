// dyad-searchd's settings: flags, the config file, precedence, checks, and documentation that
// covers every setting.
#include "searchd/config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

StatusOr<SearchdCommandLine> Parse(std::vector<std::string> args) {
  return ParseSearchdCommandLine(args);
}

TEST(SearchdConfigTest, DefaultsAreTheDocumentedOnes) {
  auto parsed = Parse({"--index", "idx"});
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  auto settings = ResolveSearchdSettings(parsed->config);
  ASSERT_TRUE(settings.ok()) << settings.status().ToString();
  EXPECT_EQ(settings->index, "idx");
  EXPECT_EQ(settings->binary.host, "127.0.0.1");
  EXPECT_EQ(settings->binary.port, 7700);
  EXPECT_FALSE(settings->http);  // HTTP is off by default.
  EXPECT_TRUE(settings->binary.token.empty());
  EXPECT_EQ(settings->log_format, LogFormat::kLogfmt);
  EXPECT_FALSE(settings->quiet);
  EXPECT_GE(settings->threads, 1);
  EXPECT_EQ(settings->limits.default_ranking, "");  // The catalogue's default_ranking.
}

TEST(SearchdConfigTest, FlagsOverrideTheFileWhichOverridesDefaults) {
  testutil::TempDir dir;
  const std::string token = dir.Write("token", "0123456789abcdef0123456789\n");
  const std::string config = dir.Write("searchd.textproto", R"(
# dyad-searchd settings
index: "/from/file"
http: "127.0.0.1:8080"
max_results: 50
cors_origin: "https://portal.example"
token_file: ")" + token + R"("
log_format: "json"
quiet: true
ranking: "bm25-prf"
)");
  auto parsed = Parse({"--config", config, "--max-results=20", "--quiet=false", "--http", "[::1]:0",
                       "--request-timeout-ms", "1500"});
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  auto settings = ResolveSearchdSettings(parsed->config);
  ASSERT_TRUE(settings.ok()) << settings.status().ToString();
  EXPECT_EQ(settings->index, "/from/file");                 // File.
  EXPECT_EQ(settings->limits.max_limit, 20u);               // Flag over file.
  EXPECT_FALSE(settings->quiet);                            // Flag over file.
  EXPECT_EQ(settings->log_format, LogFormat::kJson);        // File.
  EXPECT_EQ(settings->limits.default_ranking, "bm25-prf");  // File.
  ASSERT_TRUE(settings->http);
  EXPECT_EQ(settings->http->host, "::1");  // Flag over file.
  EXPECT_EQ(settings->http->port, 0);
  EXPECT_EQ(settings->http->request_timeout.count(), 1500);  // Flag.
  EXPECT_EQ(settings->http->idle_timeout.count(), 60000);    // Default.
  EXPECT_EQ(settings->http->handler.cors_origin, "https://portal.example");
  EXPECT_EQ(settings->http->handler.token, "0123456789abcdef0123456789");
  EXPECT_EQ(settings->binary.token, "0123456789abcdef0123456789");  // Both protocols.

  // The order on the command line does not matter: flags still win.
  auto reversed = Parse({"--max-results", "20", "--config", config});
  ASSERT_TRUE(reversed.ok());
  EXPECT_EQ(reversed->config.max_results(), 20u);
  // An empty flag value clears a file's setting.
  auto no_cors = Parse({"--config", config, "--cors-origin", ""});
  ASSERT_TRUE(no_cors.ok());
  EXPECT_EQ(ResolveSearchdSettings(no_cors->config)->http->handler.cors_origin, "");
}

TEST(SearchdConfigTest, BadFilesNameTheLine) {
  testutil::TempDir dir;
  const std::string bad = dir.Write("bad.textproto", "index: \"x\"\nthreds: 4\n");
  auto parsed = Parse({"--config", bad});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(parsed.status().message().find(bad + ":2:"), std::string::npos)
      << parsed.status().message();
  EXPECT_NE(parsed.status().message().find("threds"), std::string::npos);

  const std::string wrong_type = dir.Write("type.textproto", "threads: \"many\"\n");
  EXPECT_NE(Parse({"--config", wrong_type}).status().message().find(":1:"), std::string::npos);
  EXPECT_NE(Parse({"--config", dir.Sub("missing")}).status().message().find("cannot read"),
            std::string::npos);
}

struct BadArgs {
  std::vector<std::string> args;
  const char* mentions;
};

TEST(SearchdConfigTest, BadFlagsAndValuesAreNamed) {
  const BadArgs parse_errors[] = {
      {{"--index"}, "--index needs a value"},
      {{"--no-such-flag", "1"}, "--no-such-flag"},
      {{"--max_results", "1"}, "--max_results"},
      {{"--threads", "lots"}, "--threads"},
      {{"--quiet=maybe"}, "--quiet"},
      {{"stray"}, "stray"},
      {{"--config"}, "--config"},
  };
  for (const BadArgs& c : parse_errors) {
    auto parsed = Parse(c.args);
    ASSERT_FALSE(parsed.ok()) << c.mentions;
    EXPECT_NE(parsed.status().message().find(c.mentions), std::string::npos)
        << parsed.status().message();
  }
  testutil::TempDir dir;
  const BadArgs resolve_errors[] = {
      {{}, "--index"},
      {{"--index", "i", "--threads", "0"}, "--threads"},
      {{"--index", "i", "--listen", "nowhere"}, "--listen"},
      {{"--index", "i", "--http", "localhost"}, "--http"},
      {{"--index", "i", "--log-format", "xml"}, "--log-format"},
      {{"--index", "i", "--token-file", dir.Sub("none")}, "--token-file"},
      {{"--index", "i", "--web", dir.Sub("")}, "needs --http"},
      {{"--index", "i", "--http", "127.0.0.1:0", "--web", dir.Sub("none")}, "--web"},
      {{"--index", "i", "--http", "127.0.0.1:0", "--max-header-bytes", "10"}, "--max-header-bytes"},
  };
  for (const BadArgs& c : resolve_errors) {
    auto parsed = Parse(c.args);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    auto settings = ResolveSearchdSettings(parsed->config);
    ASSERT_FALSE(settings.ok()) << c.mentions;
    EXPECT_NE(settings.status().message().find(c.mentions), std::string::npos)
        << settings.status().message();
  }
  EXPECT_TRUE(Parse({"-h"})->help);
}

// Every SearchdConfig field is a flag that --help and docs/operations.md describe.
TEST(SearchdConfigTest, EveryFieldIsAFlagThatIsDocumented) {
  const std::string usage = SearchdUsage();
  std::ifstream in(DYAD_SOURCE_DIR "/docs/operations.md");
  ASSERT_TRUE(in) << "docs/operations.md is missing";
  std::stringstream operations;
  operations << in.rdbuf();
  const google::protobuf::Descriptor* descriptor = v1::SearchdConfig::descriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    std::string flag = "--" + descriptor->field(i)->name();
    std::replace(flag.begin(), flag.end(), '_', '-');
    EXPECT_NE(usage.find("  " + flag + " "), std::string::npos) << flag << " is not in --help";
    EXPECT_NE(operations.str().find("`" + flag), std::string::npos)
        << flag << " is not in docs/operations.md";
    // And the flag parser knows it.
    auto parsed = Parse({flag + "=1"});
    EXPECT_TRUE(parsed.ok()) << flag << ": " << parsed.status().ToString();
  }
  EXPECT_NE(operations.str().find("`--config"), std::string::npos);
}

}  // namespace
}  // namespace dyad
