// Dyad's HTTP API (docs/http-api.md) without sockets: HttpHandler routes one parsed request to
// an answer, or to a request Envelope for QueryService plus the way to turn its result into an
// answer. HttpServer (http_server.h) does the I/O and runs the Envelope on the WorkerPool, so
// HTTP and the binary protocol share one query path.
//
//   GET  /healthz               HealthResponse (open even when a token is required)
//   GET  /metrics               Prometheus text (see metrics.h)
//   POST /v1/search             body: SearchRequest as Protobuf JSON -> SearchResponse JSON
//   GET  /v1/search?q=&...      the same, from query parameters (SearchRequestFromParams)
//   GET  /v1/articles/{id}      GetArticleResponse JSON, 404 when there is no such article
//   OPTIONS on any of these     CORS preflight
//   GET  /, /FILE               static files from the --web folder, when one is given
// Every error is an Error {code, message} JSON body with a 4xx/5xx status.
#ifndef DYAD_SEARCHD_HTTP_HANDLER_H_
#define DYAD_SEARCHD_HTTP_HANDLER_H_

#include <google/protobuf/message.h>

#include <boost/beast/http.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "dyad/v1/envelope.pb.h"
#include "dyad/v1/search.pb.h"
#include "searchd/metrics.h"

namespace dyad {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;
using HttpStatus = boost::beast::http::status;

struct HttpHandlerOptions {
  // Access-Control-Allow-Origin: "*", a ','-separated list of origins (the request's Origin is
  // echoed when listed), or empty for no CORS headers.
  std::string cors_origin = "*";
  std::string web_root;  // Folder served at /; empty: no static files.
  // Bearer token required by the API endpoints and /metrics (not by /healthz, preflights or
  // static files); empty: none.
  std::string token;
  std::size_t max_static_file_bytes = 16 * 1024 * 1024;
};

// One answer, with what metrics and logs need to know about it.
struct HttpAnswer {
  HttpResponse response;
  v1::ErrorCode error = v1::ERROR_CODE_UNSPECIFIED;  // Set when the body is an Error.
};

// What to do with one request: `answer` now, or run `query` through QueryService::Handle and
// answer `render(response envelope)`.
struct HttpPlan {
  std::string kind;  // For metrics and logs: "search", "get", "health", "metrics", "static"...
  std::optional<HttpAnswer> answer;
  v1::Envelope query;
  std::function<HttpAnswer(const v1::Envelope&)> render;
};

// Thread-safe (const). `metrics` must outlive the handler.
class HttpHandler {
 public:
  HttpHandler(HttpHandlerOptions options, const Metrics& metrics);

  HttpPlan Route(const HttpRequest& request) const;

  // An Error {code, message} JSON answer.
  static HttpAnswer Error(HttpStatus status, v1::ErrorCode code, const std::string& message);

  // Headers every answer carries: CORS (for the request's Origin), Content-Length, version and
  // keep-alive. Call once per answer, before writing it.
  void Finish(const HttpRequest& request, bool keep_alive, HttpResponse* response) const;

 private:
  HttpPlan Static(const HttpRequest& request, std::string_view path) const;
  std::optional<HttpAnswer> CheckToken(const HttpRequest& request) const;

  HttpHandlerOptions options_;
  std::vector<std::string> allowed_origins_;  // Empty with cors_origin "*".
  const Metrics& metrics_;
};

// A message as the HTTP API writes it: Protobuf JSON with the .proto field names, fields with
// default values included.
std::string ToJson(const google::protobuf::Message& message);

// The HTTP status for an Error code.
HttpStatus HttpStatusFor(v1::ErrorCode code);

// Percent-decoding of a URL path segment or query component ('+' is a space in the latter).
// InvalidArgument for a bad escape or a NUL byte.
StatusOr<std::string> PercentDecode(std::string_view text, bool plus_is_space);

using QueryParams = std::vector<std::pair<std::string, std::string>>;
// "a=1&b=x%20y" -> {{"a","1"},{"b","x y"}}, in order; repeated keys are kept.
StatusOr<QueryParams> ParseQueryString(std::string_view query);

// GET /v1/search's parameters -> SearchRequest. q is the query; pair, theme, country, era,
// source and lang add to the structured Filters (a repeated parameter is one more value, OR-ed
// like the values of the repeated field; country_match=all makes countries AND); from and to are
// the discussed period; published_from/_to, limit, offset, sort (relevance, date_desc, date_asc),
// facet (country, dyad, theme, era, decade, source, optionally :LIMIT; repeatable),
// exact_facets, cursor, spelling, more_like, explain, snippet_length, highlight_start,
// highlight_end and snippet_format (html, text) set the fields of the same names. Values are
// checked by QueryService (an unknown theme is its INVALID_ARGUMENT); here InvalidArgument
// naming the parameter for an unknown one or a value of the wrong type.
StatusOr<v1::SearchRequest> SearchRequestFromParams(const QueryParams& params);

}  // namespace dyad

#endif  // DYAD_SEARCHD_HTTP_HANDLER_H_
