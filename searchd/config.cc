#include "searchd/config.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "searchd/auth.h"

namespace dyad {
namespace {

using google::protobuf::FieldDescriptor;

// The help line of each SearchdConfig field, in the order --help lists them.
struct FlagDoc {
  const char* field;
  const char* value;  // Placeholder for the value; empty for a bool.
  const char* help;
};
constexpr FlagDoc kFlagDocs[] = {
    {"index", "DIR", "index built by dyad-index (required)"},
    {"listen", "HOST:PORT", "binary protocol address; port 0 picks a free port"},
    {"http", "HOST:PORT", "also serve HTTP/JSON there (off unless given)"},
    {"threads", "N",
     "query worker threads, each with its own database handle (1-256; by default one per core)"},
    {"max-frame-bytes", "N", "largest binary request frame"},
    {"max-connections", "N", "simultaneous connections, for each protocol"},
    {"max-results", "N", "largest limit (results per page) a request may ask for"},
    {"max-query-bytes", "N", "longest query string"},
    {"max-body-bytes", "N", "largest HTTP request body (413 beyond)"},
    {"max-header-bytes", "N", "largest HTTP request line plus headers (431 beyond)"},
    {"idle-timeout-ms", "MS", "close a connection idle this long between requests"},
    {"request-timeout-ms", "MS",
     "a request must arrive, and its answer be taken, within this (slow clients are cut off); "
     "an HTTP query still running at this deadline gets 503"},
    {"cors-origin", "ORIGINS",
     "Access-Control-Allow-Origin: *, a comma-separated list of origins, or \"\" for none"},
    {"web", "DIR", "serve the static files in DIR at / over HTTP (e.g. clients/web)"},
    {"token-file", "FILE", "require the bearer token in FILE on both protocols (all but health)"},
    {"log-format", "FORMAT", "request log on standard error: logfmt or json"},
    {"quiet", "", "no request log"},
    {"ranking", "NAME",
     "ranking configuration of requests that name none (corpus/data/rankings.textproto; by "
     "default its default_ranking)"},
};

std::string FlagName(const FieldDescriptor* field) {
  std::string name = field->name();
  for (char& c : name) {
    if (c == '_') c = '-';
  }
  return name;
}

const FieldDescriptor* FieldForFlag(const std::string& flag) {
  std::string name = flag;
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return v1::SearchdConfig::descriptor()->FindFieldByName(name);
}

template <typename T>
bool ParseUnsigned(const std::string& text, T* out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

Status SetField(const FieldDescriptor* field, const std::string& value, v1::SearchdConfig* config) {
  const google::protobuf::Reflection* reflection = config->GetReflection();
  const std::string flag = "--" + FlagName(field);
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      reflection->SetString(config, field, value);
      return Status::Ok();
    case FieldDescriptor::CPPTYPE_UINT32: {
      std::uint32_t n = 0;
      if (!ParseUnsigned(value, &n))
        return InvalidArgument(flag + " needs a number, not '" + value + "'");
      reflection->SetUInt32(config, field, n);
      return Status::Ok();
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      std::uint64_t n = 0;
      if (!ParseUnsigned(value, &n))
        return InvalidArgument(flag + " needs a number, not '" + value + "'");
      reflection->SetUInt64(config, field, n);
      return Status::Ok();
    }
    case FieldDescriptor::CPPTYPE_BOOL:
      if (value == "true" || value == "1") {
        reflection->SetBool(config, field, true);
      } else if (value == "false" || value == "0") {
        reflection->SetBool(config, field, false);
      } else {
        return InvalidArgument(flag + " takes true or false, not '" + value + "'");
      }
      return Status::Ok();
    default:
      return Internal(flag + " has a type the flag parser does not know");
  }
}

std::string DefaultText(const FieldDescriptor* field, const v1::SearchdConfig& defaults) {
  const google::protobuf::Reflection* reflection = defaults.GetReflection();
  if (!reflection->HasField(defaults, field)) return "";
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string quoted(1, '"');  // Not "\"" + s: g++ 12 warns wrongly (-Wrestrict) on that.
      quoted.append(reflection->GetString(defaults, field)).push_back('"');
      return quoted;
    }
    case FieldDescriptor::CPPTYPE_UINT32:
      return std::to_string(reflection->GetUInt32(defaults, field));
    case FieldDescriptor::CPPTYPE_UINT64:
      return std::to_string(reflection->GetUInt64(defaults, field));
    case FieldDescriptor::CPPTYPE_BOOL:
      return reflection->GetBool(defaults, field) ? "true" : "false";
    default:
      return "";
  }
}

// Collects the text-format parser's complaints as FILE:LINE:COLUMN: MESSAGE.
class ConfigErrors : public google::protobuf::io::ErrorCollector {
 public:
  explicit ConfigErrors(std::string path) : path_(std::move(path)) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (!text_.empty()) text_ += "; ";
    text_ +=
        path_ + ":" + std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " + message;
  }
  const std::string& text() const { return text_; }

 private:
  std::string path_;
  std::string text_;
};

}  // namespace

v1::SearchdConfig DefaultSearchdConfig() {
  const QueryLimits limits;
  const ServerOptions binary;
  const HttpOptions http;
  v1::SearchdConfig config;
  config.set_listen("127.0.0.1:7700");
  config.set_threads(std::clamp(std::thread::hardware_concurrency(), 1u, 256u));
  config.set_max_frame_bytes(binary.max_frame_size);
  config.set_max_connections(static_cast<std::uint32_t>(binary.max_connections));
  config.set_max_results(limits.max_limit);
  config.set_max_query_bytes(limits.max_query_bytes);
  config.set_max_body_bytes(http.max_body_bytes);
  config.set_max_header_bytes(static_cast<std::uint32_t>(http.max_header_bytes));
  config.set_idle_timeout_ms(static_cast<std::uint32_t>(http.idle_timeout.count()));
  config.set_request_timeout_ms(static_cast<std::uint32_t>(http.request_timeout.count()));
  config.set_cors_origin(http.handler.cors_origin);
  config.set_log_format("logfmt");
  config.set_quiet(false);
  return config;
}

std::string SearchdUsage() {
  std::string usage =
      R"(Usage: dyad-searchd --index DIR [--listen HOST:PORT] [--http HOST:PORT] [options]
  or:  dyad-searchd --config FILE [options]

Serves the Dyad index in DIR over the binary protocol (length-prefixed dyad.v1.Envelope frames,
docs/protocol.md) and, with --http, over HTTP/JSON (docs/http-api.md). Both bind 127.0.0.1 unless
told otherwise; port 0 picks a free port. Once listening it prints to standard output:
  dyad-searchd: listening on HOST:PORT (...)
  dyad-searchd: http listening on HOST:PORT          (with --http)
Each answered request is logged as one line on standard error (--log-format, --quiet).
SIGTERM or SIGINT stops it cleanly: it stops accepting, answers what is already queued, exits 0.
SIGHUP reopens the index (each worker before its next request; requests already running finish
on the old one). Commits to the index, a replaced stub file and a switched symlink are also
noticed without a signal, before each request. DIR may be a Xapian stub file listing local
shards and remote ones served by xapian-tcpsrv (see docs/architecture.md, "Operations").

Options (defaults in brackets):
  --config FILE            read settings from FILE, a dyad.v1.SearchdConfig in Protobuf text
                           format whose fields are these flags with '_' for '-' (index: "DIR");
                           flags on the command line override it
)";
  const v1::SearchdConfig defaults = DefaultSearchdConfig();
  constexpr std::size_t kHelpColumn = 27;
  constexpr std::size_t kWidth = 100;
  for (const FlagDoc& doc : kFlagDocs) {
    std::string line = std::string("  --") + doc.field;
    if (*doc.value != '\0') line += std::string(" ") + doc.value;
    line.resize(std::max(line.size() + 1, kHelpColumn), ' ');
    std::string help = doc.help;
    if (const FieldDescriptor* field = FieldForFlag(doc.field); field != nullptr) {
      const std::string value = DefaultText(field, defaults);
      if (!value.empty()) help += " [" + value + "]";
    }
    // Word-wrap the help text at kWidth, continuing under its first line.
    std::size_t column = line.size();
    std::istringstream words(help);
    std::string word;
    bool first = true;
    while (words >> word) {
      if (!first && column + 1 + word.size() > kWidth) {
        line += "\n" + std::string(kHelpColumn, ' ');
        column = kHelpColumn;
      } else if (!first) {
        line += ' ';
        ++column;
      }
      line += word;
      column += word.size();
      first = false;
    }
    usage += line + "\n";
  }
  usage += R"(  --help                   print this help
  --version                print the version

Examples:
  dyad-searchd --index build/index --listen 127.0.0.1:7700 --http 127.0.0.1:8080
  curl 'http://127.0.0.1:8080/v1/search?q=energy&pair=PK-RU'
  dyad-searchd --config /etc/dyad/searchd.conf --log-format json

See docs/operations.md for running it in production.
)";
  return usage;
}

StatusOr<v1::SearchdConfig> ReadSearchdConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read config file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  google::protobuf::TextFormat::Parser parser;
  ConfigErrors errors(path);
  parser.RecordErrorsTo(&errors);
  v1::SearchdConfig config;
  if (!parser.ParseFromString(text.str(), &config)) {
    return InvalidArgument(errors.text().empty() ? path + " is not a SearchdConfig"
                                                 : errors.text());
  }
  return config;
}

StatusOr<SearchdCommandLine> ParseSearchdCommandLine(const std::vector<std::string>& args) {
  SearchdCommandLine result;
  v1::SearchdConfig flags;
  std::optional<std::string> config_path;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      result.help = true;
      continue;
    }
    if (!arg.starts_with("--")) return InvalidArgument("unexpected argument '" + arg + "'");
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (const std::size_t equals = name.find('='); equals != std::string::npos) {
      value = name.substr(equals + 1);
      name.resize(equals);
    }
    if (name == "config") {
      if (!value && i + 1 < args.size()) value = args[++i];
      if (!value || value->empty()) return InvalidArgument("--config needs a FILE");
      config_path = *value;
      continue;
    }
    const FieldDescriptor* field = FieldForFlag(name);
    if (field == nullptr || name.find('_') != std::string::npos) {
      return InvalidArgument("unknown flag '--" + name + "'");
    }
    if (!value) {
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_BOOL) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return InvalidArgument("--" + name + " needs a value");
      }
    }
    if (Status s = SetField(field, *value, &flags); !s.ok()) return s;
  }
  result.config = DefaultSearchdConfig();
  if (config_path) {
    StatusOr<v1::SearchdConfig> file = ReadSearchdConfigFile(*config_path);
    if (!file.ok()) return InvalidArgument(file.status().message());
    result.config.MergeFrom(*file);
  }
  result.config.MergeFrom(flags);
  return result;
}

StatusOr<std::pair<std::string, std::uint16_t>> ParseListenAddress(const std::string& text) {
  const std::size_t colon = text.rfind(':');
  std::uint16_t port = 0;
  if (colon == std::string::npos || colon == 0 || !ParseUnsigned(text.substr(colon + 1), &port)) {
    return InvalidArgument("'" + text + "' is not HOST:PORT (e.g. 127.0.0.1:7700)");
  }
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return std::make_pair(host, port);
}

StatusOr<SearchdSettings> ResolveSearchdSettings(const v1::SearchdConfig& config) {
  const auto bad = [](const std::string& flag, const std::string& why) {
    return InvalidArgument("--" + flag + " " + why);
  };
  SearchdSettings settings;
  if (!config.has_index() || config.index().empty()) {
    return InvalidArgument("--index DIR (or index: in the config file) is required");
  }
  settings.index = config.index();
  if (config.threads() < 1 || config.threads() > 256) return bad("threads", "needs 1 to 256");
  settings.threads = static_cast<int>(config.threads());
  if (config.max_results() < 1) return bad("max-results", "needs at least 1");
  if (config.max_query_bytes() < 1) return bad("max-query-bytes", "needs at least 1");
  settings.limits.max_limit = config.max_results();
  settings.limits.default_limit = std::min(settings.limits.default_limit, config.max_results());
  settings.limits.max_query_bytes = config.max_query_bytes();
  settings.limits.default_ranking = config.ranking();  // QueryService::Open checks the name.
  if (config.max_connections() < 1) return bad("max-connections", "needs at least 1");
  if (config.max_frame_bytes() < 16) return bad("max-frame-bytes", "needs at least 16");

  StatusOr<std::pair<std::string, std::uint16_t>> listen = ParseListenAddress(config.listen());
  if (!listen.ok()) return bad("listen", listen.status().message());
  settings.binary.host = listen->first;
  settings.binary.port = listen->second;
  settings.binary.max_frame_size = config.max_frame_bytes();
  settings.binary.max_connections = config.max_connections();
  if (config.idle_timeout_ms() < 1) return bad("idle-timeout-ms", "needs at least 1");
  if (config.request_timeout_ms() < 1) return bad("request-timeout-ms", "needs at least 1");
  settings.binary.idle_timeout = std::chrono::milliseconds(config.idle_timeout_ms());
  settings.binary.request_timeout = std::chrono::milliseconds(config.request_timeout_ms());

  std::string token;
  if (config.has_token_file() && !config.token_file().empty()) {
    StatusOr<std::string> read = ReadTokenFile(config.token_file());
    if (!read.ok()) return bad("token-file", read.status().message());
    token = std::move(*read);
  }
  settings.binary.token = token;

  if (config.has_http() && !config.http().empty()) {
    StatusOr<std::pair<std::string, std::uint16_t>> http = ParseListenAddress(config.http());
    if (!http.ok()) return bad("http", http.status().message());
    HttpOptions options;
    options.host = http->first;
    options.port = http->second;
    options.max_connections = config.max_connections();
    if (config.max_body_bytes() < 1) return bad("max-body-bytes", "needs at least 1");
    if (config.max_header_bytes() < 256) return bad("max-header-bytes", "needs at least 256");
    options.max_body_bytes = config.max_body_bytes();
    options.max_header_bytes = config.max_header_bytes();
    options.idle_timeout = std::chrono::milliseconds(config.idle_timeout_ms());
    options.request_timeout = std::chrono::milliseconds(config.request_timeout_ms());
    options.handler.cors_origin = config.cors_origin();
    options.handler.token = token;
    if (config.has_web() && !config.web().empty()) {
      std::error_code error;
      if (!std::filesystem::is_directory(config.web(), error)) {
        return bad("web", "'" + config.web() + "' is not a folder");
      }
      options.handler.web_root = config.web();
    }
    settings.http = std::move(options);
  } else if (config.has_web() && !config.web().empty()) {
    return bad("web", "needs --http: static files are served over HTTP");
  }

  StatusOr<LogFormat> format = ParseLogFormat(config.log_format());
  if (!format.ok()) return bad("log-format", format.status().message());
  settings.log_format = *format;
  settings.quiet = config.quiet();
  return settings;
}

}  // namespace dyad
