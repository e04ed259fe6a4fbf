#include "searchd/http_handler.h"

#include <google/protobuf/util/json_util.h>

#include <cctype>
#include <charconv>

#include "searchd/auth.h"
#include "searchd/static_files.h"

namespace dyad {
namespace {

namespace http = boost::beast::http;

constexpr char kJson[] = "application/json";

// Boost 1.74's Beast has its own string_view.
boost::beast::string_view Beast(std::string_view s) { return {s.data(), s.size()}; }
std::string_view Std(boost::beast::string_view s) { return {s.data(), s.size()}; }
constexpr std::string_view kArticlesPrefix = "/v1/articles/";

HttpAnswer JsonAnswer(HttpStatus status, const google::protobuf::Message& message) {
  HttpAnswer answer;
  answer.response.result(status);
  answer.response.set(http::field::content_type, kJson);
  answer.response.body() = ToJson(message);
  return answer;
}

// The answer for a QueryService response envelope: `T` from `get` or the Error it holds.
template <typename Get>
HttpAnswer RenderResult(const v1::Envelope& response, Get get) {
  if (response.has_error()) {
    return HttpHandler::Error(HttpStatusFor(response.error().code()), response.error().code(),
                              response.error().message());
  }
  const google::protobuf::Message* result = get(response);
  if (result == nullptr) {
    return HttpHandler::Error(HttpStatus::internal_server_error, v1::ERROR_CODE_INTERNAL,
                              "the query engine answered with the wrong kind of result");
  }
  return JsonAnswer(HttpStatus::ok, *result);
}

HttpAnswer MethodNotAllowed(std::string_view method, std::string_view path,
                            std::string_view allowed) {
  HttpAnswer answer =
      HttpHandler::Error(HttpStatus::method_not_allowed, v1::ERROR_CODE_INVALID_ARGUMENT,
                         std::string(method) + " is not allowed on " + std::string(path) +
                             "; use " + std::string(allowed));
  answer.response.set(http::field::allow, Beast(allowed));
  return answer;
}

std::vector<std::string> SplitOrigins(const std::string& list) {
  std::vector<std::string> origins;
  if (list == "*") return origins;
  std::size_t begin = 0;
  while (begin <= list.size()) {
    std::size_t end = list.find(',', begin);
    if (end == std::string::npos) end = list.size();
    std::string origin = list.substr(begin, end - begin);
    const std::size_t first = origin.find_first_not_of(' ');
    const std::size_t last = origin.find_last_not_of(' ');
    if (first != std::string::npos) origins.push_back(origin.substr(first, last - first + 1));
    begin = end + 1;
  }
  return origins;
}

template <typename T>
Status ParseNumberParam(const std::string& name, const std::string& value, T* out) {
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), *out);
  if (value.empty() || error != std::errc() || end != value.data() + value.size()) {
    return InvalidArgument("parameter " + name + "='" + value + "' is not a number in range");
  }
  return Status::Ok();
}

// The length of the well-formed UTF-8 sequence at text[i] (RFC 3629: no overlong forms,
// surrogates or code points past U+10FFFF), or 0 when there is none.
std::size_t Utf8Length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // Range of the byte after the lead.
  if (c < 0x80) {
    return 1;
  } else if (c >= 0xC2 && c <= 0xDF) {
    length = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    length = 3;
    if (c == 0xE0) low = 0xA0;
    if (c == 0xED) high = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    length = 4;
    if (c == 0xF0) low = 0x90;
    if (c == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

// Every string field of a request must be UTF-8, as on the binary protocol (proto3 strings).
bool IsUtf8(std::string_view text) {
  for (std::size_t i = 0, n = 0; i < text.size(); i += n) {
    if ((n = Utf8Length(text, i)) == 0) return false;
  }
  return true;
}

// `text` with each byte that is not part of well-formed UTF-8 replaced by U+FFFD: messages may
// quote what a client sent, and JSON (and a proto3 string) must be UTF-8.
std::string ValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (const std::size_t n = Utf8Length(text, i); n > 0) {
      out.append(text.substr(i, n));
      i += n;
    } else {
      out.append("\xEF\xBF\xBD");
      ++i;
    }
  }
  return out;
}

std::string_view HeaderValue(const HttpRequest& request, http::field field) {
  const auto it = request.find(field);
  return it == request.end() ? std::string_view() : Std(it->value());
}

}  // namespace

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) {
    return R"({"code":"ERROR_CODE_INTERNAL","message":"cannot write the answer as JSON"})";
  }
  return json;
}

HttpStatus HttpStatusFor(v1::ErrorCode code) {
  switch (code) {
    case v1::ERROR_CODE_INVALID_ARGUMENT:
    case v1::ERROR_CODE_MALFORMED_FRAME:
    case v1::ERROR_CODE_UNSUPPORTED_VERSION:
      return HttpStatus::bad_request;
    case v1::ERROR_CODE_FRAME_TOO_LARGE:
      return HttpStatus::payload_too_large;
    case v1::ERROR_CODE_NOT_FOUND:
      return HttpStatus::not_found;
    case v1::ERROR_CODE_UNAVAILABLE:
      return HttpStatus::service_unavailable;
    case v1::ERROR_CODE_UNAUTHENTICATED:
      return HttpStatus::unauthorized;
    default:
      return HttpStatus::internal_server_error;
  }
}

StatusOr<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      const int high = i + 2 < text.size() ? hex(text[i + 1]) : -1;
      const int low = i + 2 < text.size() ? hex(text[i + 2]) : -1;
      if (high < 0 || low < 0) {
        return InvalidArgument("bad percent escape in '" + std::string(text) + "'");
      }
      c = static_cast<char>(high * 16 + low);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (c == '\0') return InvalidArgument("a URL may not hold a NUL byte (%00)");
    out += c;
  }
  return out;
}

StatusOr<QueryParams> ParseQueryString(std::string_view query) {
  QueryParams params;
  std::size_t begin = 0;
  while (begin < query.size()) {
    std::size_t end = query.find('&', begin);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view pair = query.substr(begin, end - begin);
    begin = end + 1;
    if (pair.empty()) continue;
    const std::size_t equals = pair.find('=');
    StatusOr<std::string> key = PercentDecode(pair.substr(0, equals), true);
    if (!key.ok()) return key.status();
    StatusOr<std::string> value = PercentDecode(
        equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1), true);
    if (!value.ok()) return value.status();
    if (!IsUtf8(*key)) return InvalidArgument("a parameter name is not valid UTF-8");
    if (!IsUtf8(*value)) return InvalidArgument("parameter " + *key + " is not valid UTF-8");
    params.emplace_back(std::move(*key), std::move(*value));
  }
  return params;
}

StatusOr<v1::SearchRequest> SearchRequestFromParams(const QueryParams& params) {
  v1::SearchRequest request;
  v1::Filters& filters = *request.mutable_filters();
  bool has_query = false;
  const auto boolean = [](const std::string& name, const std::string& value, bool* out) {
    if (value == "true" || value == "1" || value.empty()) {
      *out = true;
    } else if (value == "false" || value == "0") {
      *out = false;
    } else {
      return InvalidArgument("parameter " + name + "='" + value + "' is not true or false");
    }
    return Status::Ok();
  };
  for (const auto& [name, value] : params) {
    Status status = Status::Ok();
    if (name == "q") {
      if (has_query) return InvalidArgument("parameter q is given twice");
      has_query = true;
      request.set_query(value);
    } else if (name == "pair") {
      filters.add_dyads(value);
    } else if (name == "theme") {
      filters.add_themes(value);
    } else if (name == "country") {
      filters.add_countries(value);
    } else if (name == "era") {
      filters.add_eras(value);
    } else if (name == "source") {
      filters.add_sources(value);
    } else if (name == "lang") {
      filters.add_languages(value);
    } else if (name == "country_match") {
      if (value == "any") {
        filters.set_country_match(v1::COUNTRY_MATCH_ANY);
      } else if (value == "all") {
        filters.set_country_match(v1::COUNTRY_MATCH_ALL);
      } else {
        status = InvalidArgument("parameter country_match='" + value + "' is not any or all");
      }
    } else if (name == "from" || name == "to") {
      int year = 0;
      status = ParseNumberParam(name, value, &year);
      if (status.ok() && (year < 1 || year > 9999)) {
        status =
            InvalidArgument("parameter " + name + "=" + value + " is not a year from 1 to 9999");
      }
      if (name == "from") filters.mutable_period()->set_from(year);
      if (name == "to") filters.mutable_period()->set_to(year);
    } else if (name == "published_from") {
      filters.set_published_from(value);
    } else if (name == "published_to") {
      filters.set_published_to(value);
    } else if (name == "limit" || name == "offset" || name == "snippet_length") {
      std::uint32_t n = 0;
      status = ParseNumberParam(name, value, &n);
      if (name == "limit") request.set_limit(n);
      if (name == "offset") request.set_offset(n);
      if (name == "snippet_length") request.set_snippet_length(n);
    } else if (name == "highlight_start") {
      request.set_highlight_start(value);
    } else if (name == "highlight_end") {
      request.set_highlight_end(value);
    } else if (name == "snippet_format") {
      if (value == "html") {
        request.set_snippet_format(v1::SNIPPET_FORMAT_HTML);
      } else if (value == "text") {
        request.set_snippet_format(v1::SNIPPET_FORMAT_TEXT);
      } else {
        status = InvalidArgument("parameter snippet_format='" + value + "' is not html or text");
      }
    } else if (name == "sort") {
      if (value == "relevance") {
        request.set_sort(v1::SORT_ORDER_RELEVANCE);
      } else if (value == "date_desc") {
        request.set_sort(v1::SORT_ORDER_DATE_DESC);
      } else if (value == "date_asc") {
        request.set_sort(v1::SORT_ORDER_DATE_ASC);
      } else {
        status = InvalidArgument("parameter sort='" + value +
                                 "' is not relevance, date_desc or date_asc");
      }
    } else if (name == "facet") {
      // facet=country or facet=country:20 (at most 20 values).
      const std::size_t colon = value.find(':');
      std::string field = value.substr(0, colon);
      for (char& c : field) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      v1::FacetField parsed = v1::FACET_FIELD_UNSPECIFIED;
      if (!v1::FacetField_Parse("FACET_FIELD_" + field, &parsed) ||
          parsed == v1::FACET_FIELD_UNSPECIFIED) {
        status = InvalidArgument("parameter facet='" + value +
                                 "' is not country, dyad, theme, era, decade or source "
                                 "(optionally :LIMIT)");
      } else {
        v1::FacetRequest* facet = request.add_facets();
        facet->set_field(parsed);
        if (colon != std::string::npos) {
          std::uint32_t limit = 0;
          status = ParseNumberParam("facet", value.substr(colon + 1), &limit);
          facet->set_limit(limit);
        }
      }
    } else if (name == "exact_facets" || name == "spelling" || name == "explain") {
      bool flag = false;
      status = boolean(name, value, &flag);
      if (name == "exact_facets") request.set_exact_facets(flag);
      if (name == "spelling") request.set_spelling(flag);
      if (name == "explain") request.set_explain(flag);
    } else if (name == "cursor") {
      request.set_cursor(value);
    } else if (name == "more_like") {
      request.set_more_like(value);
    } else if (name == "ranking") {
      request.set_ranking(value);
    } else {
      return InvalidArgument(
          "unknown parameter '" + name +
          "'; GET /v1/search takes q, pair, theme, country, country_match, era, from, to, "
          "published_from, published_to, source, lang, limit, offset, sort, facet, "
          "exact_facets, cursor, spelling, more_like, explain, ranking, snippet_length, "
          "highlight_start, "
          "highlight_end, snippet_format");
    }
    if (!status.ok()) return status;
  }
  const v1::YearSpan& period = filters.period();
  if (period.from() != 0 && period.to() != 0 && period.from() > period.to()) {
    return InvalidArgument("parameter from=" + std::to_string(period.from()) +
                           " is after to=" + std::to_string(period.to()));
  }
  if (filters.ByteSizeLong() == 0) request.clear_filters();
  return request;
}

HttpHandler::HttpHandler(HttpHandlerOptions options, const Metrics& metrics)
    : options_(std::move(options)),
      allowed_origins_(SplitOrigins(options_.cors_origin)),
      metrics_(metrics) {}

HttpAnswer HttpHandler::Error(HttpStatus status, v1::ErrorCode code, const std::string& message) {
  v1::Error error;
  error.set_code(code);
  error.set_message(ValidUtf8(message));
  HttpAnswer answer = JsonAnswer(status, error);
  answer.error = code;
  if (code == v1::ERROR_CODE_UNAUTHENTICATED) {
    answer.response.set(http::field::www_authenticate, "Bearer realm=\"dyad\"");
  }
  return answer;
}

void HttpHandler::Finish(const HttpRequest& request, bool keep_alive,
                         HttpResponse* response) const {
  response->version(request.version() == 10 ? 10 : 11);
  response->set(http::field::server, "dyad-searchd");
  response->set("X-Content-Type-Options", "nosniff");
  if (!options_.cors_origin.empty()) {
    if (allowed_origins_.empty()) {
      response->set(http::field::access_control_allow_origin, "*");
    } else {
      const std::string_view origin = HeaderValue(request, http::field::origin);
      for (const std::string& allowed : allowed_origins_) {
        if (origin == allowed) {
          response->set(http::field::access_control_allow_origin, allowed);
          break;
        }
      }
      response->set(http::field::vary, "Origin");
    }
  }
  response->keep_alive(keep_alive);
  response->prepare_payload();
}

std::optional<HttpAnswer> HttpHandler::CheckToken(const HttpRequest& request) const {
  if (options_.token.empty()) return std::nullopt;
  const std::string_view header = HeaderValue(request, http::field::authorization);
  if (header.empty()) {
    return Error(HttpStatus::unauthorized, v1::ERROR_CODE_UNAUTHENTICATED,
                 "this server needs a token: send 'Authorization: Bearer TOKEN'");
  }
  if (!TokenMatches(BearerCredential(header), options_.token)) {
    HttpAnswer answer = Error(HttpStatus::unauthorized, v1::ERROR_CODE_UNAUTHENTICATED,
                              "the bearer token is not valid");
    answer.response.set(http::field::www_authenticate,
                        "Bearer realm=\"dyad\", error=\"invalid_token\"");
    return answer;
  }
  return std::nullopt;
}

HttpPlan HttpHandler::Static(const HttpRequest& request, std::string_view path) const {
  HttpPlan plan;
  plan.kind = "static";
  if (request.method() != http::verb::get) {
    plan.answer = MethodNotAllowed(Std(request.method_string()), path, "GET");
    return plan;
  }
  StatusOr<std::string> decoded = PercentDecode(path, false);
  if (!decoded.ok()) {
    plan.answer =
        Error(HttpStatus::bad_request, v1::ERROR_CODE_INVALID_ARGUMENT, decoded.status().message());
    return plan;
  }
  StatusOr<StaticFile> file =
      ReadStaticFile(options_.web_root, *decoded, options_.max_static_file_bytes);
  if (!file.ok()) {
    const bool too_large = file.status().code() == StatusCode::kFailedPrecondition;
    plan.answer = Error(too_large ? HttpStatus::internal_server_error : HttpStatus::not_found,
                        too_large ? v1::ERROR_CODE_INTERNAL : v1::ERROR_CODE_NOT_FOUND,
                        file.status().message());
    return plan;
  }
  HttpAnswer answer;
  answer.response.result(HttpStatus::ok);
  answer.response.set(http::field::content_type, file->content_type);
  answer.response.set(http::field::cache_control, "no-cache");
  answer.response.body() = std::move(file->content);
  plan.answer = std::move(answer);
  return plan;
}

HttpPlan HttpHandler::Route(const HttpRequest& request) const {
  const std::string_view target = Std(request.target());
  const std::size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  const http::verb method = request.method();

  HttpPlan plan;
  if (path.empty() || path.front() != '/') {
    plan.kind = "invalid";
    plan.answer = Error(HttpStatus::bad_request, v1::ERROR_CODE_INVALID_ARGUMENT,
                        "request target '" + std::string(target) + "' is not a path");
    return plan;
  }

  // The API's endpoints and the methods each allows.
  std::string_view allowed;
  if (path == "/healthz") {
    plan.kind = "health";
    allowed = "GET";
  } else if (path == "/metrics") {
    plan.kind = "metrics";
    allowed = "GET";
  } else if (path == "/v1/search") {
    plan.kind = "search";
    allowed = "GET, POST";
  } else if (path.starts_with(kArticlesPrefix)) {
    plan.kind = "get";
    allowed = "GET";
  } else if (!options_.web_root.empty() && method != http::verb::options) {
    return Static(request, path);
  } else {
    plan.kind = "unknown";
    plan.answer = Error(HttpStatus::not_found, v1::ERROR_CODE_NOT_FOUND,
                        "no endpoint at " + std::string(path) +
                            "; see docs/http-api.md (/v1/search, /v1/articles/ID, /healthz, "
                            "/metrics)");
    return plan;
  }

  if (method == http::verb::options) {
    plan.kind = "preflight";
    HttpAnswer answer;
    answer.response.result(HttpStatus::no_content);
    if (!options_.cors_origin.empty()) {
      answer.response.set(http::field::access_control_allow_methods,
                          std::string(allowed) + ", OPTIONS");
      answer.response.set(http::field::access_control_allow_headers,
                          "Authorization, Content-Type, X-Request-Id");
      answer.response.set(http::field::access_control_max_age, "600");
    }
    answer.response.set(http::field::allow, std::string(allowed) + ", OPTIONS");
    plan.answer = std::move(answer);
    return plan;
  }
  const bool allowed_method =
      method == http::verb::get || (method == http::verb::post && plan.kind == "search");
  if (!allowed_method) {
    plan.answer = MethodNotAllowed(Std(request.method_string()), path, allowed);
    return plan;
  }
  if (plan.kind != "health") {
    if (std::optional<HttpAnswer> refused = CheckToken(request)) {
      plan.answer = std::move(refused);
      return plan;
    }
  }
  const auto invalid = [&](const Status& status) {
    plan.answer = Error(HttpStatus::bad_request, v1::ERROR_CODE_INVALID_ARGUMENT, status.message());
    return plan;
  };

  if (plan.kind == "health" || plan.kind == "metrics") {
    if (!query.empty()) return invalid(InvalidArgument(std::string(path) + " takes no parameters"));
    plan.query.mutable_health();
    if (plan.kind == "health") {
      plan.render = [](const v1::Envelope& response) {
        return RenderResult(response,
                            [](const v1::Envelope& r) -> const google::protobuf::Message* {
                              return r.has_health_result() ? &r.health_result() : nullptr;
                            });
      };
    } else {
      plan.render = [this](const v1::Envelope& response) {
        HttpAnswer answer;
        answer.response.result(HttpStatus::ok);
        answer.response.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
        answer.response.body() =
            metrics_.Render(response.has_health_result() ? &response.health_result() : nullptr);
        return answer;
      };
    }
    return plan;
  }

  if (plan.kind == "search") {
    if (method == http::verb::post) {
      if (!query.empty()) {
        return invalid(
            InvalidArgument("POST /v1/search takes its request in the body, not the URL"));
      }
      google::protobuf::util::JsonParseOptions options;
      options.ignore_unknown_fields = false;
      const auto parsed = google::protobuf::util::JsonStringToMessage(
          request.body(), plan.query.mutable_search(), options);
      if (!parsed.ok()) {
        return invalid(InvalidArgument("the body is not a dyad.v1.SearchRequest in JSON: " +
                                       std::string(parsed.message())));
      }
    } else {
      StatusOr<QueryParams> params = ParseQueryString(query);
      if (!params.ok()) return invalid(params.status());
      StatusOr<v1::SearchRequest> search = SearchRequestFromParams(*params);
      if (!search.ok()) return invalid(search.status());
      *plan.query.mutable_search() = std::move(*search);
    }
    plan.render = [](const v1::Envelope& response) {
      return RenderResult(response, [](const v1::Envelope& r) -> const google::protobuf::Message* {
        return r.has_search_result() ? &r.search_result() : nullptr;
      });
    };
    return plan;
  }

  // GET /v1/articles/{id}
  if (!query.empty()) return invalid(InvalidArgument("/v1/articles/ID takes no parameters"));
  StatusOr<std::string> id = PercentDecode(path.substr(kArticlesPrefix.size()), false);
  if (!id.ok()) return invalid(id.status());
  if (!IsUtf8(*id)) return invalid(InvalidArgument("the article id is not valid UTF-8"));
  if (id->empty()) return invalid(InvalidArgument("GET /v1/articles/ID needs an article id"));
  plan.query.mutable_get()->set_id(*id);
  plan.render = [](const v1::Envelope& response) {
    return RenderResult(response, [](const v1::Envelope& r) -> const google::protobuf::Message* {
      return r.has_get_result() ? &r.get_result() : nullptr;
    });
  };
  return plan;
}

}  // namespace dyad
