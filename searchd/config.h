// dyad-searchd's settings. Each comes from, in rising order of precedence: the defaults listed by
// `dyad-searchd --help`, the --config file (a dyad.v1.SearchdConfig in Protobuf text format, see
// proto/dyad/v1/searchd_config.proto), and the command line. Every SearchdConfig field is a flag
// of the same name with '-' for '_': max_body_bytes is --max-body-bytes.
#ifndef DYAD_SEARCHD_CONFIG_H_
#define DYAD_SEARCHD_CONFIG_H_

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "dyad/v1/searchd_config.pb.h"
#include "searchd/http_server.h"
#include "searchd/query_service.h"
#include "searchd/request_log.h"
#include "searchd/server.h"

namespace dyad {

// The text of `dyad-searchd --help`: every flag with its default.
std::string SearchdUsage();

// The defaults, as a config with every field but index, http, web and token_file set.
v1::SearchdConfig DefaultSearchdConfig();

struct SearchdCommandLine {
  v1::SearchdConfig config;  // Defaults, then the --config file, then the flags.
  bool help = false;         // --help or -h was given.
};

// Parses the arguments after argv[0]: `--FLAG VALUE` or `--FLAG=VALUE` for each SearchdConfig
// field (a bool flag alone means true), `--config FILE`, `--help`. InvalidArgument for an
// unknown flag, a missing or malformed value, or a bad config file (with its line and column).
StatusOr<SearchdCommandLine> ParseSearchdCommandLine(const std::vector<std::string>& args);

// Reads a config file. NotFound when it cannot be read; InvalidArgument naming FILE:LINE:COLUMN
// for text that is not a SearchdConfig.
StatusOr<v1::SearchdConfig> ReadSearchdConfigFile(const std::string& path);

// Checked settings for each part of the daemon.
struct SearchdSettings {
  std::string index;
  int threads = 1;
  QueryLimits limits;
  ServerOptions binary;
  std::optional<HttpOptions> http;  // Unset: no HTTP.
  LogFormat log_format = LogFormat::kLogfmt;
  bool quiet = false;
};

// Checks `config` and reads the token file. InvalidArgument (or the token file's error) naming
// the flag at fault.
StatusOr<SearchdSettings> ResolveSearchdSettings(const v1::SearchdConfig& config);

// "HOST:PORT" or "[V6]:PORT" with port 0 allowed (the system picks one).
StatusOr<std::pair<std::string, std::uint16_t>> ParseListenAddress(const std::string& text);

}  // namespace dyad

#endif  // DYAD_SEARCHD_CONFIG_H_
