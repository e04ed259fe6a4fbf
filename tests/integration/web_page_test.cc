// The search page (clients/web/) in headless Chromium: dyad-searchd serves the page and the API
// with --http and --web on free loopback ports, chromedriver drives Chromium over the W3C
// WebDriver protocol (plain HTTP and JSON, through the tests' Beast client), and every number
// the page shows is checked against what the HTTP API answers for the same search. A screenshot
// goes to the build tree (its path is printed) for CI to keep.
//
// Skipped, with a message, when chromium or chromedriver is not installed (scripts/install-deps
// installs both).
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "dyad/v1/get.pb.h"
#include "dyad/v1/search.pb.h"
#include "tests/testing/corpus_files.h"
#include "tests/testing/http_client.h"
#include "tests/testing/process.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

namespace http = boost::beast::http;
using google::protobuf::Value;
using testutil::HttpClient;
using testutil::HttpReply;

// The W3C name of the key of an element reference.
constexpr char kElementKey[] = "element-6066-11e4-a52e-4f735466cecf";

Value Json(const std::string& text) {
  Value value;
  const auto status = google::protobuf::util::JsonStringToMessage(text, &value);
  EXPECT_TRUE(status.ok()) << status.message() << ": " << text.substr(0, 300);
  return value;
}

std::string ToJson(const Value& value) {
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(value, &json);
  return json;
}

Value String(const std::string& text) {
  Value value;
  value.set_string_value(text);
  return value;
}

Value Object(std::initializer_list<std::pair<std::string, Value>> fields) {
  Value value;
  auto& object = *value.mutable_struct_value()->mutable_fields();
  for (const auto& [name, field] : fields) object[name] = field;
  return value;
}

Value List(std::initializer_list<Value> items) {
  Value value;
  auto& list = *value.mutable_list_value();  // Set even when empty: [] is not null.
  for (const Value& item : items) *list.add_values() = item;
  return value;
}

const Value& Field(const Value& value, const std::string& name) {
  static const Value kNull;
  const auto& fields = value.struct_value().fields();
  const auto it = fields.find(name);
  return it == fields.end() ? kNull : it->second;
}

std::vector<unsigned char> Base64Decode(const std::string& text) {
  std::vector<unsigned char> out;
  unsigned int buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v = -1;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    if (c >= '0' && c <= '9') v = c - '0' + 52;
    if (c == '+') v = 62;
    if (c == '/') v = 63;
    if (v < 0) continue;
    buffer = (buffer << 6) | static_cast<unsigned int>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<unsigned char>((buffer >> bits) & 0xff));
    }
  }
  return out;
}

// A W3C WebDriver session on chromedriver at 127.0.0.1:port.
class Browser {
 public:
  Browser(std::uint16_t port, const std::string& chromium, const std::string& profile)
      : port_(port) {
    const Value args =
        List({String("--headless=new"), String("--no-sandbox"), String("--disable-gpu"),
              String("--disable-dev-shm-usage"), String("--window-size=1280,1100"),
              String("--no-first-run"), String("--no-default-browser-check"),
              String("--disable-extensions"), String("--disable-background-networking"),
              String("--disable-sync"), String("--disable-component-update"),
              // Nothing but loopback resolves: the page must need no network.
              String("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
              String("--user-data-dir=" + profile)});
    Value timeouts;
    (*timeouts.mutable_struct_value()->mutable_fields())["script"].set_number_value(20000);
    (*timeouts.mutable_struct_value()->mutable_fields())["pageLoad"].set_number_value(20000);
    const Value capabilities =
        Object({{"capabilities",
                 Object({{"alwaysMatch",
                          Object({{"browserName", String("chrome")},
                                  {"timeouts", timeouts},
                                  {"goog:chromeOptions",
                                   Object({{"binary", String(chromium)}, {"args", args}})}})}})}});
    const Value session = Command(http::verb::post, "/session", &capabilities);
    session_ = Field(session, "sessionId").string_value();
    if (session_.empty()) throw std::runtime_error("chromedriver started no session");
  }
  ~Browser() {
    if (!session_.empty()) Command(http::verb::delete_, "/session/" + session_, nullptr);
  }

  // Sends a command; returns the answer's "value". A WebDriver error fails the test.
  Value Command(http::verb method, const std::string& path, const Value* body) {
    HttpClient client(port_, std::chrono::seconds(40));
    const HttpReply reply = client.Send(method, path, body == nullptr ? "" : ToJson(*body),
                                        {{"Content-Type", "application/json"}});
    EXPECT_EQ(reply.status, 200) << path << ": " << reply.error << reply.body.substr(0, 600);
    return Field(Json(reply.body.empty() ? "{}" : reply.body), "value");
  }
  Value Session(http::verb method, const std::string& path, const Value* body = nullptr) {
    return Command(method, "/session/" + session_ + path, body);
  }

  void Go(const std::string& url) {
    const Value body = Object({{"url", String(url)}});
    Session(http::verb::post, "/url", &body);
  }
  Value Run(const std::string& script) {
    const Value body = Object({{"script", String(script)}, {"args", List({})}});
    return Session(http::verb::post, "/execute/sync", &body);
  }
  // Waits (inside the page, up to the script timeout) until `condition` holds and the page has
  // drawn the answer to its latest search.
  void WaitFor(const std::string& condition) {
    const std::string script =
        "const done = arguments[arguments.length - 1];"
        "const ready = () => { try { return window.dyad && (" +
        condition +
        "); } catch (e) { return false; } };"
        "const step = () => ready() ? window.dyad.idle().then(() => done(true))"
        "                           : setTimeout(step, 20);"
        "step();";
    const Value body = Object({{"script", String(script)}, {"args", List({})}});
    EXPECT_TRUE(Session(http::verb::post, "/execute/async", &body).bool_value())
        << "the page never got to: " << condition;
  }
  std::string Find(const std::string& css) {
    const Value body = Object({{"using", String("css selector")}, {"value", String(css)}});
    return Field(Session(http::verb::post, "/element", &body), kElementKey).string_value();
  }
  void Click(const std::string& css) {
    const Value empty = Object({});
    Session(http::verb::post, "/element/" + Find(css) + "/click", &empty);
  }
  void Type(const std::string& css, const std::string& text) {
    const std::string element = Find(css);
    const Value empty = Object({});
    Session(http::verb::post, "/element/" + element + "/clear", &empty);
    const Value body = Object({{"text", String(text)}});
    Session(http::verb::post, "/element/" + element + "/value", &body);
  }
  std::vector<unsigned char> Screenshot() {
    return Base64Decode(Session(http::verb::get, "/screenshot").string_value());
  }

 private:
  std::uint16_t port_;
  std::string session_;
};

// What the page shows, read from its DOM.
struct PageView {
  std::uint64_t total = 0;
  std::vector<std::string> hits;
  std::vector<std::pair<std::string, std::uint64_t>> dyads;    // Facet values and counts.
  std::vector<std::string> pressed;                            // Selected dyads.
  std::vector<std::pair<std::string, std::uint64_t>> decades;  // Facet values and counts.
  std::string search;                                          // location.search
  std::string query_box;
  std::string error;
};

PageView Read(Browser& browser) {
  const Value value = browser.Run(R"(
    const buttons = [...document.querySelectorAll('.facet[data-field="pair"] button')];
    return {
      total: document.getElementById('count').dataset.total || '0',
      hits: [...document.querySelectorAll('#hits .hit')].map((h) => h.dataset.id),
      dyads: buttons.map((b) => [b.dataset.value, b.dataset.count]),
      decades: [...document.querySelectorAll('.facet[data-field="decade"] button')]
                   .map((b) => [b.dataset.value, b.dataset.count]),
      pressed: buttons.filter((b) => b.getAttribute('aria-pressed') === 'true')
                      .map((b) => b.dataset.value),
      search: location.search,
      q: document.getElementById('q').value,
      error: document.getElementById('error').textContent,
    };)");
  PageView view;
  view.total = std::stoull(Field(value, "total").string_value());
  for (const Value& hit : Field(value, "hits").list_value().values()) {
    view.hits.push_back(hit.string_value());
  }
  for (const Value& dyad : Field(value, "dyads").list_value().values()) {
    view.dyads.emplace_back(dyad.list_value().values(0).string_value(),
                            std::stoull(dyad.list_value().values(1).string_value()));
  }
  for (const Value& decade : Field(value, "decades").list_value().values()) {
    view.decades.emplace_back(decade.list_value().values(0).string_value(),
                              std::stoull(decade.list_value().values(1).string_value()));
  }
  for (const Value& pair : Field(value, "pressed").list_value().values()) {
    view.pressed.push_back(pair.string_value());
  }
  view.search = Field(value, "search").string_value();
  view.query_box = Field(value, "q").string_value();
  view.error = Field(value, "error").string_value();
  return view;
}

// The API's answer for the same search as the page (the page asks for 12 values per facet).
v1::SearchResponse Api(std::uint16_t port, const std::string& params) {
  HttpClient client(port);
  const HttpReply reply =
      client.Get("/v1/search?" + params + "&facet=dyad:12&exact_facets=true&limit=10");
  EXPECT_EQ(reply.status, 200) << reply.body;
  v1::SearchResponse response;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(reply.body, &response).ok());
  return response;
}

void ExpectPageShows(const PageView& view, const v1::SearchResponse& api) {
  EXPECT_EQ(view.error, "");
  EXPECT_EQ(view.total, api.total_estimate());
  std::vector<std::string> ids;
  for (const v1::Hit& hit : api.hits()) ids.push_back(hit.id());
  EXPECT_EQ(view.hits, ids);
  std::vector<std::pair<std::string, std::uint64_t>> dyads;
  ASSERT_EQ(api.facets_size(), 1);
  for (const v1::FacetValue& value : api.facets(0).values()) {
    dyads.emplace_back(value.value(), value.count());
  }
  EXPECT_EQ(view.dyads, dyads);
}

bool Executable(const std::string& path) {
  return !path.empty() && access(path.c_str(), X_OK) == 0;
}

TEST(WebPage, QueryFacetPeriodAndArticleInHeadlessChromium) {
  if (!Executable(DYAD_CHROMIUM_BIN) || !Executable(DYAD_CHROMEDRIVER_BIN)) {
    GTEST_SKIP() << "chromium and chromedriver are needed (apt-get install chromium "
                    "chromium-driver, or scripts/install-deps)";
  }
  testutil::TempDir dir;
  // The seed and the State of the Union addresses since 1945: enough facets to click on.
  std::vector<std::string> argv = {DYAD_INDEX_BIN, "build"};
  for (const std::string& file : testutil::BundledCorpusSince(1945)) argv.push_back(file);
  argv.insert(argv.end(), {"--index", dir.Sub("index"), "--quiet"});
  const testutil::RunResult build = testutil::RunCommand(argv);
  ASSERT_EQ(build.exit_code, 0) << build.err;
  testutil::DaemonOptions options;
  options.http = true;
  testutil::Daemon daemon(dir.Sub("index"), {"--quiet", "--web", DYAD_SOURCE_DIR "/clients/web"},
                          options);
  const std::uint16_t api = daemon.http_port();
  const std::uint16_t driver_port = testutil::FreeLoopbackPort();
  testutil::ChildProcess driver({DYAD_CHROMEDRIVER_BIN, "--port=" + std::to_string(driver_port)},
                                "started successfully");
  Browser browser(driver_port, DYAD_CHROMIUM_BIN, dir.Sub("profile"));
  const std::string base = "http://127.0.0.1:" + std::to_string(api) + "/";

  // The landing page browses every article.
  browser.Go(base);
  browser.WaitFor("true");
  ExpectPageShows(Read(browser), Api(api, "q="));

  // Type a query and press Enter.
  browser.Type("#q", "Pakistan\xee\x80\x87");  // U+E007, WebDriver's Enter key.
  browser.WaitFor("location.search.includes('q=Pakistan')");
  const PageView typed = Read(browser);
  ExpectPageShows(typed, Api(api, "q=Pakistan"));
  ASSERT_GT(typed.total, 0u);

  // Click a dyad facet that narrows the results: PK-RU when the page offers it.
  std::string pair;
  std::uint64_t pair_count = 0;
  for (const auto& [value, count] : typed.dyads) {
    if (count < typed.total && (pair.empty() || value == "PK-RU")) {
      pair = value;
      pair_count = count;
    }
  }
  ASSERT_FALSE(pair.empty()) << "no dyad facet narrows the results";
  browser.Click(".facet[data-field=\"pair\"] button[data-value=\"" + pair + "\"]");
  browser.WaitFor("location.search.includes('pair=" + pair + "')");
  const PageView filtered = Read(browser);
  ExpectPageShows(filtered, Api(api, "q=Pakistan&pair=" + pair));
  EXPECT_EQ(filtered.total, pair_count) << "the facet's count is what the click finds";
  EXPECT_LT(filtered.total, typed.total);
  EXPECT_NE(filtered.dyads, typed.dyads) << "facet counts did not change";
  EXPECT_EQ(filtered.pressed, std::vector<std::string>{pair});

  const std::string screenshot = DYAD_TEST_ARTIFACT_DIR "/web_page_test.png";
  std::filesystem::create_directories(DYAD_TEST_ARTIFACT_DIR);
  const std::vector<unsigned char> png = browser.Screenshot();
  ASSERT_GT(png.size(), 8u);
  EXPECT_EQ(std::string(png.begin() + 1, png.begin() + 4), "PNG");
  std::ofstream(screenshot, std::ios::binary)
      .write(reinterpret_cast<const char*>(png.data()), static_cast<std::streamsize>(png.size()));
  std::cout << "Screenshot of the filtered search page: " << screenshot << std::endl;

  // The URL holds the whole search: opening it afresh shows the same page.
  const std::string bookmark = base + filtered.search;
  browser.Go(bookmark);
  browser.WaitFor("true");
  const PageView reopened = Read(browser);
  EXPECT_EQ(reopened.query_box, "Pakistan");
  EXPECT_EQ(reopened.hits, filtered.hits);
  EXPECT_EQ(reopened.pressed, filtered.pressed);

  // A decade facet (sent as a decade: term of the query) finds as many as it counted.
  ASSERT_FALSE(reopened.decades.empty());
  const auto [decade, decade_count] = reopened.decades.back();
  browser.Click(".facet[data-field=\"decade\"] button[data-value=\"" + decade + "\"]");
  browser.WaitFor("location.search.includes('decade=" + decade + "')");
  const PageView by_decade = Read(browser);
  ExpectPageShows(by_decade, Api(api, "q=Pakistan%20decade:" + decade + "&pair=" + pair));
  EXPECT_EQ(by_decade.total, decade_count);
  browser.Go(bookmark);
  browser.WaitFor("true");

  // The period control.
  browser.Type("#from", "1947");
  browser.Type("#to", "1991");
  browser.Click("#period-apply");
  browser.WaitFor("location.search.includes('to=1991')");
  ExpectPageShows(Read(browser), Api(api, "q=Pakistan&pair=" + pair + "&from=1947&to=1991"));

  // Each result links to its article.
  browser.Go(bookmark);
  browser.WaitFor("true");
  browser.Click("#hits .hit h3 a");
  browser.WaitFor("location.search.includes('article=')");
  HttpClient client(api);
  const HttpReply article = client.Get("/v1/articles/" + filtered.hits[0]);
  ASSERT_EQ(article.status, 200);
  v1::GetArticleResponse stored;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(article.body, &stored).ok());
  EXPECT_EQ(
      browser.Run("return document.querySelector('#article-view h1').textContent;").string_value(),
      stored.article().title());

  // Everything the page loaded came from the daemon.
  const Value resources =
      browser.Run("return performance.getEntriesByType('resource').map((r) => r.name);");
  for (const Value& url : resources.list_value().values()) {
    EXPECT_TRUE(url.string_value().starts_with(base)) << url.string_value();
  }
  EXPECT_TRUE(daemon.running());
}

}  // namespace
}  // namespace dyad
