// dyad: the command-line client of Dyad.
#include <google/protobuf/util/json_util.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "clients/client.h"

namespace {

constexpr char kDefaultServer[] = "127.0.0.1:7700";

constexpr char kUsage[] = R"(Usage: dyad COMMAND [OPTIONS]

Commands:
  search QUERY...   ranked articles for QUERY, with highlighted snippets
  health            article count and schema version of the index the daemon serves

Options:
  --server HOST:PORT  daemon to ask (default: $DYAD_SERVER, else 127.0.0.1:7700)
  --limit N           results to show (default 10)
  --offset N          results to skip first (default 0)
  --json              print the response as JSON (Protobuf JSON mapping)

Query syntax: words (any may match, best first), "exact phrases", AND, OR, NOT, +must,
-mustnot, and fields: title:, keypoints:, heading:, author:, id:, source:. Dyad's knowledge:
country:PK (or a name: country:pakistan, country:ussr), pair:PK-RU, theme:energy,
era:cold-war, decade:1980s, a discussed period 1947..1991, published:2001..2005-06.
Country names match all their forms: "USSR" also finds "Soviet Union" and "Russia".

Exit status: 0 results printed (also when there are none), 1 the server or connection failed,
2 usage error.

Examples:
  dyad search Pakistan Russia relations
  dyad search '"Soviet Union" AND title:union' --limit 5
  dyad search --json --limit 3 nuclear arms control
  dyad search 'pair:US-RU theme:nuclear 1960..1989'
  dyad search 'Afghanistan era:war-on-terror' --limit 5
)";

int Usage(const std::string& problem) {
  std::cerr << "dyad: " << problem << "\n\n" << kUsage;
  return 2;
}

bool ParseCount(const std::string& text, std::uint32_t* out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return error == std::errc() && end == text.data() + text.size();
}

int Fail(const dyad::Status& status) {
  std::cerr << "dyad: " << status.message() << "\n";
  return 1;
}

void PrintJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  std::cout << json << "\n";
}

void PrintHits(const dyad::v1::SearchResponse& response, bool color) {
  if (response.hits().empty()) {
    std::cout << "No matching articles.\n";
    return;
  }
  std::cout << "About " << response.total_estimate() << " matching articles; showing "
            << response.hits(0).rank() << "-" << response.hits(response.hits_size() - 1).rank()
            << ".\n\n";
  for (const dyad::v1::Hit& hit : response.hits()) {
    std::cout << std::setw(3) << hit.rank() << ". " << (color ? "\x1b[1m" : "") << hit.title()
              << (color ? "\x1b[0m" : "") << "\n";
    std::cout << "     id " << hit.id() << "  score " << std::fixed << std::setprecision(3)
              << hit.score();
    if (!hit.published().empty()) std::cout << "  published " << hit.published();
    if (!hit.authors().empty()) std::cout << "  by " << hit.authors(0);
    const dyad::v1::Enrichment& e = hit.enrichment();
    std::string filed;
    for (const auto& country : e.countries()) {
      if (country.salient()) filed += (filed.empty() ? "" : " ") + country.code();
    }
    if (e.dyads_size() > 0) filed += "  pair " + e.dyads(0).pair();
    if (e.themes_size() > 0) {
      filed += "  themes";
      for (int i = 0; i < std::min(3, e.themes_size()); ++i) filed += " " + e.themes(i).id();
    }
    if (e.eras_size() > 0) {
      filed += "  eras";
      for (const std::string& era : e.eras()) filed += " " + era;
    }
    if (!filed.empty()) std::cout << "\n     " << filed;
    std::cout << "\n     " << hit.snippet() << "\n\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return Usage("no command given");
  const std::string command = args[0];
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  const char* env_server = std::getenv("DYAD_SERVER");
  std::string server = env_server != nullptr && *env_server != '\0' ? env_server : kDefaultServer;
  bool json = false;
  dyad::v1::SearchRequest request;
  std::string query;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const bool has_value = i + 1 < args.size();
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--server") {
      if (!has_value) return Usage("--server needs HOST:PORT");
      server = args[++i];
    } else if (arg == "--limit") {
      std::uint32_t n = 0;
      if (!has_value || !ParseCount(args[++i], &n)) return Usage("--limit needs a number");
      request.set_limit(n);
    } else if (arg == "--offset") {
      std::uint32_t n = 0;
      if (!has_value || !ParseCount(args[++i], &n)) return Usage("--offset needs a number");
      request.set_offset(n);
    } else if (arg == "--json") {
      json = true;
    } else if (arg.starts_with("--")) {
      return Usage("unknown option '" + arg + "'");
    } else {
      query += (query.empty() ? "" : " ") + arg;
    }
  }

  if (command != "search" && command != "health") return Usage("unknown command '" + command + "'");
  if (command == "search" && query.empty()) return Usage("search needs a QUERY");

  auto address = dyad::ParseHostPort(server);
  if (!address.ok()) return Usage(address.status().message());
  auto client = dyad::Client::Connect(address->first, address->second);
  if (!client.ok()) return Fail(client.status());

  if (command == "health") {
    auto health = (*client)->Health();
    if (!health.ok()) return Fail(health.status());
    if (json) {
      PrintJson(*health);
    } else {
      std::cout << "ok: " << health->article_count() << " articles, schema version "
                << health->schema_version() << ", index revision " << health->index_revision()
                << "\n";
    }
    return 0;
  }
  const bool color = !json && isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
  request.set_query(query);
  request.set_snippet_format(dyad::v1::SNIPPET_FORMAT_TEXT);
  request.set_highlight_start(color ? "\x1b[1;33m" : "[");
  request.set_highlight_end(color ? "\x1b[0m" : "]");
  if (json) {
    request.set_highlight_start("<b>");
    request.set_highlight_end("</b>");
  }
  auto response = (*client)->Search(request);
  if (!response.ok()) return Fail(response.status());
  if (json) {
    PrintJson(*response);
  } else {
    PrintHits(*response, color);
  }
  return 0;
}
