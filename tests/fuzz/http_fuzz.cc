// Fuzz target: bytes from an HTTP client, as dyad-searchd's HTTP sessions see them. The input
// (after two control bytes: chunk size, and whether the server wants a bearer token) is fed in
// chunks to Beast's request parser with the daemon's default header and body limits. Each complete
// request is routed by HttpHandler; its query, if any, is answered by a QueryService over a real
// index and rendered; then Finish() adds the common headers. Keep-alive requests follow one
// another until the input ends, a parse error (the server answers 400/413/431 and closes) or a
// request that asks to close.
//
// Checked on every answer: a valid status, a Content-Length equal to the body, and a body that is
// JSON of the message the endpoint promises (an Error for every status >= 400).
#include <google/protobuf/util/json_util.h>

#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "searchd/http_handler.h"
#include "searchd/http_server.h"
#include "searchd/query_service.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

namespace http = boost::beast::http;

struct Server {
  std::unique_ptr<dyad::QueryService> service;
  dyad::Metrics metrics;
  std::unique_ptr<dyad::HttpHandler> open;     // No token.
  std::unique_ptr<dyad::HttpHandler> guarded;  // Bearer token, CORS list.
  dyad::HttpOptions limits;                    // The daemon's defaults.
};

Server& Load() {
  static Server* server = [] {
    auto* s = new Server();
    dyad::fuzz::Knowledge& k = dyad::fuzz::Load(true);
    dyad::QueryLimits limits;
    limits.max_limit = 20;  // Keeps each execution cheap; the limit check itself is exercised.
    s->service = dyad::QueryService::Open(k.index_path, *k.enricher, limits).value();
    // A web folder beside the index, to exercise static files and path traversal.
    const std::filesystem::path web = std::filesystem::path(k.index_path + "-web");
    std::filesystem::create_directories(web / "css");
    std::ofstream(web / "index.html") << "<!doctype html><title>Dyad</title>\n";
    std::ofstream(web / "css" / "dyad.css") << "body { margin: 0 }\n";
    static std::string web_dir = web.string();
    std::atexit([] { std::filesystem::remove_all(web_dir); });
    dyad::HttpHandlerOptions open;
    open.web_root = web.string();
    s->open = std::make_unique<dyad::HttpHandler>(open, s->metrics);
    dyad::HttpHandlerOptions guarded;
    guarded.token = "correct-horse-battery-staple";
    guarded.cors_origin = "https://portal.example.org, https://other.example.org";
    s->guarded = std::make_unique<dyad::HttpHandler>(guarded, s->metrics);
    return s;
  }();
  return *server;
}

template <typename Message>
void ExpectJson(const std::string& body) {
  Message message;
  if (!google::protobuf::util::JsonStringToMessage(body, &message).ok()) __builtin_trap();
}

void Check(const dyad::HttpPlan& plan, const dyad::HttpResponse& response) {
  const unsigned status = response.result_int();
  if (status < 100 || status > 599) __builtin_trap();
  const auto length = response.find(http::field::content_length);
  if (length == response.end() || length->value() != std::to_string(response.body().size())) {
    __builtin_trap();
  }
  if (status >= 400) {
    ExpectJson<dyad::v1::Error>(response.body());
  } else if (status == 200 && plan.kind == "search") {
    ExpectJson<dyad::v1::SearchResponse>(response.body());
  } else if (status == 200 && plan.kind == "get") {
    ExpectJson<dyad::v1::GetArticleResponse>(response.body());
  } else if (status == 200 && plan.kind == "health") {
    ExpectJson<dyad::v1::HealthResponse>(response.body());
  }
}

// Routes and answers one request as HttpSession does (without the socket).
void Answer(Server& server, const dyad::HttpHandler& handler, const dyad::HttpRequest& request) {
  dyad::HttpPlan plan = handler.Route(request);
  dyad::HttpAnswer answer;
  if (plan.answer) {
    answer = std::move(*plan.answer);
  } else {
    if (!plan.render) __builtin_trap();  // A plan is an answer or a query with its renderer.
    plan.query.set_request_id(1);
    plan.query.set_protocol_version(dyad::v1::PROTOCOL_VERSION_1);
    answer = plan.render(server.service->Handle(plan.query));
  }
  handler.Finish(request, request.keep_alive(), &answer.response);
  Check(plan, answer.response);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Server& server = Load();
  if (size < 2) return 0;
  const std::size_t chunk = 1 + data[0] % 128;
  const dyad::HttpHandler& handler = (data[1] & 1) ? *server.guarded : *server.open;
  std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);

  while (!rest.empty()) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(server.limits.max_header_bytes));
    parser.body_limit(server.limits.max_body_bytes);
    parser.eager(true);
    // `available` bytes of `rest` have "arrived"; the parser may leave some of them unconsumed
    // until more arrive (an incomplete header line).
    std::size_t available = std::min(chunk, rest.size());
    boost::system::error_code error;
    while (!parser.is_done()) {
      const std::size_t used = parser.put(boost::asio::buffer(rest.data(), available), error);
      rest.remove_prefix(used);
      available -= used;
      if (error == http::error::need_more || (!error && used == 0)) {
        if (available == rest.size()) {  // The client sent nothing more: end of stream.
          parser.put_eof(error);
          break;
        }
        available = std::min(available + chunk, rest.size());
        error = {};
        continue;
      }
      if (error) break;
    }
    if (error || !parser.is_done()) return 0;  // Answered 4xx (or dropped) and closed.
    const dyad::HttpRequest request = parser.release();
    Answer(server, handler, request);
    if (!request.keep_alive()) return 0;
  }
  return 0;
}
