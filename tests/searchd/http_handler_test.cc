// The HTTP API's routing, parameters and static files, without sockets: HttpHandler turns a
// parsed request into an answer or a query Envelope.
#include "searchd/http_handler.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "searchd/static_files.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

namespace http = boost::beast::http;

HttpRequest Request(http::verb method, const std::string& target, const std::string& body = "",
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
  HttpRequest request(method, target, 11);
  request.body() = body;
  for (const auto& [name, value] : headers) request.set(name, value);
  request.prepare_payload();
  return request;
}

v1::Error ParseError(const HttpResponse& response) {
  v1::Error error;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(response.body(), &error).ok())
      << response.body();
  return error;
}

class HttpHandlerTest : public ::testing::Test {
 protected:
  HttpPlan Route(const HttpRequest& request, HttpHandlerOptions options = {}) {
    return HttpHandler(std::move(options), metrics_).Route(request);
  }
  Metrics metrics_;
};

TEST_F(HttpHandlerTest, EndpointsBecomeQueries) {
  HttpPlan health = Route(Request(http::verb::get, "/healthz"));
  EXPECT_EQ(health.kind, "health");
  ASSERT_FALSE(health.answer);
  EXPECT_TRUE(health.query.has_health());

  HttpPlan search =
      Route(Request(http::verb::post, "/v1/search",
                    R"({"query":"energy","limit":3,"snippet_format":"SNIPPET_FORMAT_TEXT"})"));
  ASSERT_FALSE(search.answer) << search.answer->response.body();
  EXPECT_EQ(search.query.search().query(), "energy");
  EXPECT_EQ(search.query.search().limit(), 3u);
  EXPECT_EQ(search.query.search().snippet_format(), v1::SNIPPET_FORMAT_TEXT);

  HttpPlan get = Route(Request(http::verb::get, "/v1/articles/sotu%2F1790%20a"));
  ASSERT_FALSE(get.answer);
  EXPECT_EQ(get.kind, "get");
  EXPECT_EQ(get.query.get().id(), "sotu/1790 a");  // URL-decoded.

  HttpPlan metrics = Route(Request(http::verb::get, "/metrics"));
  ASSERT_FALSE(metrics.answer);
  EXPECT_TRUE(metrics.query.has_health());  // For the index gauges.
}

TEST_F(HttpHandlerTest, RendersResultsAsProtobufJsonAndErrorsWithTheirStatus) {
  HttpPlan get = Route(Request(http::verb::get, "/v1/articles/a"));
  v1::Envelope found;
  found.mutable_get_result()->mutable_article()->set_title("A title");
  HttpAnswer ok = get.render(found);
  EXPECT_EQ(ok.response.result(), HttpStatus::ok);
  EXPECT_EQ(ok.response[http::field::content_type], "application/json");
  EXPECT_NE(ok.response.body().find(R"("title":"A title")"), std::string::npos)
      << ok.response.body();

  v1::Envelope missing;
  missing.mutable_error()->set_code(v1::ERROR_CODE_NOT_FOUND);
  missing.mutable_error()->set_message("no article with id 'a'");
  HttpAnswer not_found = get.render(missing);
  EXPECT_EQ(not_found.response.result(), HttpStatus::not_found);
  EXPECT_EQ(not_found.error, v1::ERROR_CODE_NOT_FOUND);
  EXPECT_EQ(ParseError(not_found.response).message(), "no article with id 'a'");

  v1::Envelope wrong_kind;  // A search result for a get: a bug, reported as 500, not a crash.
  wrong_kind.mutable_search_result();
  EXPECT_EQ(get.render(wrong_kind).response.result(), HttpStatus::internal_server_error);
}

struct ErrorCase {
  const char* name;
  http::verb method;
  const char* target;
  const char* body;
  HttpStatus status;
  v1::ErrorCode code;
};

TEST_F(HttpHandlerTest, BadRequestsAreJsonErrors) {
  const ErrorCase cases[] = {
      {"unknown path", http::verb::get, "/v2/search", "", HttpStatus::not_found,
       v1::ERROR_CODE_NOT_FOUND},
      {"root without --web", http::verb::get, "/", "", HttpStatus::not_found,
       v1::ERROR_CODE_NOT_FOUND},
      {"wrong method", http::verb::delete_, "/v1/search", "", HttpStatus::method_not_allowed,
       v1::ERROR_CODE_INVALID_ARGUMENT},
      {"post to health", http::verb::post, "/healthz", "{}", HttpStatus::method_not_allowed,
       v1::ERROR_CODE_INVALID_ARGUMENT},
      {"bad json", http::verb::post, "/v1/search", "{\"query\":", HttpStatus::bad_request,
       v1::ERROR_CODE_INVALID_ARGUMENT},
      {"unknown json field", http::verb::post, "/v1/search", R"({"qeury":"x"})",
       HttpStatus::bad_request, v1::ERROR_CODE_INVALID_ARGUMENT},
      {"json of the wrong type", http::verb::post, "/v1/search", R"({"limit":"many"})",
       HttpStatus::bad_request, v1::ERROR_CODE_INVALID_ARGUMENT},
      {"unknown parameter", http::verb::get, "/v1/search?q=x&colour=red", "",
       HttpStatus::bad_request, v1::ERROR_CODE_INVALID_ARGUMENT},
      {"bad number", http::verb::get, "/v1/search?q=x&limit=ten", "", HttpStatus::bad_request,
       v1::ERROR_CODE_INVALID_ARGUMENT},
      {"negative number", http::verb::get, "/v1/search?q=x&offset=-1", "", HttpStatus::bad_request,
       v1::ERROR_CODE_INVALID_ARGUMENT},
      {"bad escape", http::verb::get, "/v1/search?q=%zz", "", HttpStatus::bad_request,
       v1::ERROR_CODE_INVALID_ARGUMENT},
      {"NUL byte", http::verb::get, "/v1/search?q=a%00b", "", HttpStatus::bad_request,
       v1::ERROR_CODE_INVALID_ARGUMENT},
      {"q twice", http::verb::get, "/v1/search?q=a&q=b", "", HttpStatus::bad_request,
       v1::ERROR_CODE_INVALID_ARGUMENT},
      {"query not UTF-8", http::verb::get, "/v1/search?q=%FF%FEpakistan", "",
       HttpStatus::bad_request, v1::ERROR_CODE_INVALID_ARGUMENT},
      {"overlong UTF-8", http::verb::get, "/v1/search?theme=%C0%AE", "", HttpStatus::bad_request,
       v1::ERROR_CODE_INVALID_ARGUMENT},
      {"surrogate in UTF-8", http::verb::get, "/v1/search?q=%ED%A0%80", "", HttpStatus::bad_request,
       v1::ERROR_CODE_INVALID_ARGUMENT},
      {"parameter name not UTF-8", http::verb::get, "/v1/search?%FF=1", "", HttpStatus::bad_request,
       v1::ERROR_CODE_INVALID_ARGUMENT},
      {"id not UTF-8", http::verb::get, "/v1/articles/%C3%28", "", HttpStatus::bad_request,
       v1::ERROR_CODE_INVALID_ARGUMENT},
      {"path not UTF-8 (quoted in the message)", http::verb::get, "/v2/\xff\xfe", "",
       HttpStatus::not_found, v1::ERROR_CODE_NOT_FOUND},
      {"json not UTF-8", http::verb::post, "/v1/search", "{\"query\":\"\xff\"}",
       HttpStatus::bad_request, v1::ERROR_CODE_INVALID_ARGUMENT},
      {"year range reversed", http::verb::get, "/v1/search?from=1991&to=1947", "",
       HttpStatus::bad_request, v1::ERROR_CODE_INVALID_ARGUMENT},
      {"year out of range", http::verb::get, "/v1/search?from=12000", "", HttpStatus::bad_request,
       v1::ERROR_CODE_INVALID_ARGUMENT},
      {"empty id", http::verb::get, "/v1/articles/", "", HttpStatus::bad_request,
       v1::ERROR_CODE_INVALID_ARGUMENT},
      {"parameters on get", http::verb::get, "/v1/articles/a?full=1", "", HttpStatus::bad_request,
       v1::ERROR_CODE_INVALID_ARGUMENT},
      {"absolute target", http::verb::get, "http://host/v1/search", "", HttpStatus::bad_request,
       v1::ERROR_CODE_INVALID_ARGUMENT},
  };
  for (const ErrorCase& c : cases) {
    HttpPlan plan = Route(Request(c.method, c.target, c.body));
    ASSERT_TRUE(plan.answer) << c.name;
    EXPECT_EQ(plan.answer->response.result(), c.status) << c.name;
    EXPECT_EQ(plan.answer->error, c.code) << c.name;
    const v1::Error error = ParseError(plan.answer->response);
    EXPECT_EQ(error.code(), c.code) << c.name;
    EXPECT_FALSE(error.message().empty()) << c.name;
  }
  HttpPlan not_allowed = Route(Request(http::verb::put, "/v1/search"));
  EXPECT_EQ(not_allowed.answer->response[http::field::allow], "GET, POST");
}

StatusOr<v1::SearchRequest> FromQueryString(const std::string& query_string) {
  StatusOr<QueryParams> params = ParseQueryString(query_string);
  if (!params.ok()) return params.status();
  return SearchRequestFromParams(*params);
}

TEST_F(HttpHandlerTest, Utf8ParametersAreKeptWhole) {
  // Two-, three- and four-byte sequences at the edges of what UTF-8 allows.
  StatusOr<v1::SearchRequest> request = FromQueryString(
      "q=%D0%9F%D0%B0%D0%BA%D0%B8%D1%81%D1%82%D0%B0%D0%BD+%E2%80%93+%EF%BF%BD+%F0%9F%8C%8D"
      "+%F4%8F%BF%BF");
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request->query(), "Пакистан – \uFFFD 🌍 \U0010FFFF");
  EXPECT_FALSE(FromQueryString("q=%F4%90%80%80").ok());  // Past U+10FFFF.
  EXPECT_FALSE(FromQueryString("q=%E2%80").ok());        // Cut short.
}

TEST_F(HttpHandlerTest, SearchParametersFillTheStructuredRequest) {
  StatusOr<v1::SearchRequest> request = FromQueryString(
      "q=nuclear+arms&pair=PK-RU&pair=IN-PK&theme=energy&country=soviet%20union&country=PK"
      "&country_match=all&era=cold-war&from=1947&to=1991&published_from=1990-01"
      "&published_to=2000&source=Wire&lang=en");
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request->query(), "nuclear arms");
  const v1::Filters& filters = request->filters();
  EXPECT_EQ(std::vector<std::string>(filters.dyads().begin(), filters.dyads().end()),
            (std::vector<std::string>{"PK-RU", "IN-PK"}));
  EXPECT_EQ(std::vector<std::string>(filters.countries().begin(), filters.countries().end()),
            (std::vector<std::string>{"soviet union", "PK"}));
  EXPECT_EQ(filters.country_match(), v1::COUNTRY_MATCH_ALL);
  ASSERT_EQ(filters.themes_size(), 1);
  EXPECT_EQ(filters.themes(0), "energy");
  ASSERT_EQ(filters.eras_size(), 1);
  EXPECT_EQ(filters.eras(0), "cold-war");
  EXPECT_EQ(filters.period().from(), 1947);
  EXPECT_EQ(filters.period().to(), 1991);
  EXPECT_EQ(filters.published_from(), "1990-01");
  EXPECT_EQ(filters.published_to(), "2000");
  EXPECT_EQ(filters.sources(0), "Wire");
  EXPECT_EQ(filters.languages(0), "en");

  StatusOr<v1::SearchRequest> open_end = FromQueryString("q=x&from=1979");
  ASSERT_TRUE(open_end.ok());
  EXPECT_EQ(open_end->filters().period().from(), 1979);
  EXPECT_EQ(open_end->filters().period().to(), 0);      // Open.
  EXPECT_FALSE(FromQueryString("q=x")->has_filters());  // No filter parameters, no filters.

  StatusOr<v1::SearchRequest> options = FromQueryString(
      "q=x&limit=7&offset=20&snippet_length=80&highlight_start=%5B&highlight_end=%5D"
      "&snippet_format=text&sort=date_desc&facet=country&facet=theme:5&exact_facets=true"
      "&spelling&explain=1&more_like=pak-russia-relations&cursor=abc&ranking=bm25");
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->limit(), 7u);
  EXPECT_EQ(options->offset(), 20u);
  EXPECT_EQ(options->snippet_length(), 80u);
  EXPECT_EQ(options->highlight_start(), "[");
  EXPECT_EQ(options->highlight_end(), "]");
  EXPECT_EQ(options->snippet_format(), v1::SNIPPET_FORMAT_TEXT);
  EXPECT_EQ(options->sort(), v1::SORT_ORDER_DATE_DESC);
  ASSERT_EQ(options->facets_size(), 2);
  EXPECT_EQ(options->facets(0).field(), v1::FACET_FIELD_COUNTRY);
  EXPECT_EQ(options->facets(0).limit(), 0u);
  EXPECT_EQ(options->facets(1).field(), v1::FACET_FIELD_THEME);
  EXPECT_EQ(options->facets(1).limit(), 5u);
  EXPECT_TRUE(options->exact_facets());
  EXPECT_TRUE(options->spelling());
  EXPECT_TRUE(options->explain());
  EXPECT_EQ(options->more_like(), "pak-russia-relations");
  EXPECT_EQ(options->cursor(), "abc");
  EXPECT_EQ(options->ranking(), "bm25");

  for (const char* bad : {"facet=colour", "facet=country:many", "sort=random", "country_match=some",
                          "explain=maybe", "from=0", "to=-5"}) {
    EXPECT_EQ(FromQueryString(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST_F(HttpHandlerTest, PercentDecoding) {
  EXPECT_EQ(*PercentDecode("a%20b+c", true), "a b c");
  EXPECT_EQ(*PercentDecode("a%20b+c", false), "a b+c");
  EXPECT_EQ(*PercentDecode("%C3%A9t%c3%A9", false), "été");
  EXPECT_FALSE(PercentDecode("%2", false).ok());
  EXPECT_FALSE(PercentDecode("%g0", false).ok());
  StatusOr<QueryParams> params = ParseQueryString("a=1&&b=&c&d=x%3Dy");
  ASSERT_TRUE(params.ok());
  const QueryParams expected = {{"a", "1"}, {"b", ""}, {"c", ""}, {"d", "x=y"}};
  EXPECT_EQ(*params, expected);
}

TEST_F(HttpHandlerTest, PreflightAndCorsHeaders) {
  HttpHandler handler({}, metrics_);
  const HttpRequest preflight =
      Request(http::verb::options, "/v1/search", "",
              {{"Origin", "https://portal.example"}, {"Access-Control-Request-Method", "POST"}});
  HttpPlan plan = handler.Route(preflight);
  ASSERT_TRUE(plan.answer);
  EXPECT_EQ(plan.kind, "preflight");
  HttpResponse& response = plan.answer->response;
  handler.Finish(preflight, true, &response);
  EXPECT_EQ(response.result(), HttpStatus::no_content);
  EXPECT_EQ(response[http::field::access_control_allow_origin], "*");
  EXPECT_NE(response[http::field::access_control_allow_methods].find("POST"), std::string::npos);
  EXPECT_NE(response[http::field::access_control_allow_headers].find("Authorization"),
            std::string::npos);
  EXPECT_FALSE(response[http::field::access_control_max_age].empty());

  // A list of origins: the request's Origin is echoed only when listed.
  HttpHandlerOptions listed;
  listed.cors_origin = "https://a.example, https://b.example";
  HttpHandler strict(listed, metrics_);
  const HttpRequest from_b =
      Request(http::verb::get, "/healthz", "", {{"Origin", "https://b.example"}});
  HttpResponse ok;
  strict.Finish(from_b, true, &ok);
  EXPECT_EQ(ok[http::field::access_control_allow_origin], "https://b.example");
  EXPECT_EQ(ok[http::field::vary], "Origin");
  const HttpRequest from_c =
      Request(http::verb::get, "/healthz", "", {{"Origin", "https://c.example"}});
  HttpResponse refused;
  strict.Finish(from_c, true, &refused);
  EXPECT_EQ(refused.find(http::field::access_control_allow_origin), refused.end());

  HttpHandlerOptions off;
  off.cors_origin = "";
  HttpResponse none;
  HttpHandler(off, metrics_).Finish(from_b, true, &none);
  EXPECT_EQ(none.find(http::field::access_control_allow_origin), none.end());
}

TEST_F(HttpHandlerTest, TokenIsRequiredExceptForHealthAndPreflight) {
  HttpHandlerOptions options;
  options.token = "0123456789abcdef-secret";
  const auto status = [&](const HttpRequest& request) {
    HttpPlan plan = Route(request, options);
    return plan.answer ? plan.answer->response.result() : HttpStatus::ok;  // ok: a query.
  };
  EXPECT_EQ(status(Request(http::verb::get, "/v1/search?q=x")), HttpStatus::unauthorized);
  EXPECT_EQ(status(Request(http::verb::get, "/metrics")), HttpStatus::unauthorized);
  EXPECT_EQ(status(Request(http::verb::get, "/v1/articles/a", "",
                           {{"Authorization", "Bearer wrong-token-of-some-length"}})),
            HttpStatus::unauthorized);
  EXPECT_EQ(status(Request(http::verb::get, "/v1/articles/a", "",
                           {{"Authorization", "Basic MDEyMzQ1Njc4OWFiY2RlZi1zZWNyZXQ="}})),
            HttpStatus::unauthorized);
  EXPECT_EQ(status(Request(http::verb::get, "/v1/articles/a", "",
                           {{"Authorization", "Bearer 0123456789abcdef-secret"}})),
            HttpStatus::ok);
  EXPECT_EQ(status(Request(http::verb::post, "/v1/search", "{}",
                           {{"Authorization", "bearer 0123456789abcdef-secret"}})),
            HttpStatus::ok);
  EXPECT_EQ(status(Request(http::verb::get, "/healthz")), HttpStatus::ok);
  EXPECT_EQ(status(Request(http::verb::options, "/v1/search")), HttpStatus::no_content);

  HttpPlan refused = Route(Request(http::verb::get, "/v1/search?q=x"), options);
  EXPECT_EQ(refused.answer->error, v1::ERROR_CODE_UNAUTHENTICATED);
  EXPECT_NE(refused.answer->response[http::field::www_authenticate].find("Bearer"),
            std::string::npos);
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("web/index.html", "<!doctype html><title>Dyad</title>");
    dir_.Write("web/app.js", "console.log('dyad');");
    dir_.Write("web/css/site.css", "body{}");
    dir_.Write("web/docs/index.html", "docs");
    dir_.Write("web/.env", "SECRET=1");
    dir_.Write("secret.txt", "outside the web folder");
    std::filesystem::create_symlink(dir_.Sub("secret.txt"), dir_.Sub("web/link.txt"));
  }
  HttpPlan Get(const std::string& target) {
    HttpHandlerOptions options;
    options.web_root = dir_.Sub("web");
    return HttpHandler(options, metrics_).Route(Request(http::verb::get, target));
  }
  testutil::TempDir dir_;
  Metrics metrics_;
};

TEST_F(StaticFilesTest, ServesFilesWithTheirContentTypes) {
  const struct {
    const char* target;
    const char* content_type;
    const char* body;
  } cases[] = {
      {"/", "text/html; charset=utf-8", "<!doctype html><title>Dyad</title>"},
      {"/index.html", "text/html; charset=utf-8", "<!doctype html><title>Dyad</title>"},
      {"/app.js", "text/javascript; charset=utf-8", "console.log('dyad');"},
      {"/css/site.css", "text/css; charset=utf-8", "body{}"},
      {"/docs/", "text/html; charset=utf-8", "docs"},
      {"/docs", "text/html; charset=utf-8", "docs"},
  };
  for (const auto& c : cases) {
    HttpPlan plan = Get(c.target);
    ASSERT_TRUE(plan.answer) << c.target;
    EXPECT_EQ(plan.kind, "static");
    EXPECT_EQ(plan.answer->response.result(), HttpStatus::ok) << c.target;
    EXPECT_EQ(plan.answer->response[http::field::content_type], c.content_type) << c.target;
    EXPECT_EQ(plan.answer->response.body(), c.body) << c.target;
  }
  // The API keeps its paths.
  EXPECT_FALSE(Get("/healthz").answer);
}

TEST_F(StaticFilesTest, NothingOutsideTheFolderIsServed) {
  for (const char* target :
       {"/../secret.txt", "/%2e%2e/secret.txt", "/css/../../secret.txt", "/.env", "/link.txt",
        "/missing.html", "/..%2fsecret.txt", "/%5c..%5csecret.txt"}) {
    HttpPlan plan = Get(target);
    ASSERT_TRUE(plan.answer) << target;
    EXPECT_EQ(plan.answer->response.result(), HttpStatus::not_found) << target;
    EXPECT_EQ(plan.answer->response.body().find("outside"), std::string::npos) << target;
  }
}

TEST(ContentTypeTest, ByExtension) {
  EXPECT_EQ(ContentTypeFor("a.SVG"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("font.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("data.json"), "application/json");
  EXPECT_EQ(ContentTypeFor("README"), "application/octet-stream");
}

}  // namespace
}  // namespace dyad
