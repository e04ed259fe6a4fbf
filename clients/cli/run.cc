#include "clients/cli/run.h"

#include <algorithm>
#include <limits>
#include <memory>

#include "clients/cli/args.h"
#include "clients/cli/backend.h"
#include "clients/cli/output.h"
#include "clients/cli/spec.h"
#include "core/data_files.h"

namespace dyad::cli {
namespace {

constexpr std::uint32_t kStatsValues = 10;

// A command run: the parsed invocation, where it goes, and where it prints.
struct Context {
  const Invocation& invocation;
  const Environment& env;
  std::ostream& out;
  std::ostream& err;
  Style style;
  std::string where;  // "127.0.0.1:7700" or "the index at DIR", for messages.
};

int UsageError(const std::string& problem, std::ostream& err) {
  err << "dyad: " << problem << "\n"
      << "Run 'dyad --help' for the commands, or 'dyad COMMAND --help' for one command.\n";
  return kExitUsage;
}

// Prints `status` with advice and returns the matching exit status.
int Fail(const Context& context, const Status& status) {
  std::ostream& err = context.err;
  err << "dyad: " << status.message() << "\n";
  switch (status.code()) {
    case StatusCode::kNotFound:
      err << "  (dyad search finds article ids; they are matched without regard to case)\n";
      return kExitNoMatch;
    case StatusCode::kInvalidArgument:
      err << "  (see 'dyad " << context.invocation.command->name
          << " --help' and docs/query-syntax.md)\n";
      return kExitRejected;
    case StatusCode::kUnauthenticated:
      err << "  (the daemon needs a token: give --token-file FILE or set DYAD_TOKEN)\n";
      return kExitRejected;
    case StatusCode::kUnavailable:
      err << "  (" << context.where
          << " stopped answering; try again, or check the daemon's log)\n";
      return kExitUnreachable;
    default:
      return kExitFailure;
  }
}

bool Written(const Context& context) {
  context.out.flush();
  if (context.out) return true;
  context.err << "dyad: cannot write the output (disk full, or the reader went away?)\n";
  return false;
}

StatusOr<std::string> Token(const Invocation& invocation, const Environment& env) {
  if (invocation.token_file.empty()) return env.token;
  StatusOr<std::string> token = ReadFileToString(invocation.token_file);
  if (!token.ok()) return token.status();
  std::string text = *token;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  if (text.empty()) return InvalidArgument("--token-file " + invocation.token_file + " is empty");
  return text;
}

// The search request of search, similar and export: the options' filters and page, plus the
// query or article and snippet markers for the output format.
v1::SearchRequest BaseRequest(const Context& context) {
  const Invocation& invocation = context.invocation;
  v1::SearchRequest request = invocation.request;
  const std::string name(invocation.command->name);
  if (name == "similar") {
    request.set_more_like(invocation.arguments[0]);
  } else {
    std::string query;
    for (const std::string& word : invocation.arguments) query += (query.empty() ? "" : " ") + word;
    request.set_query(query);
  }
  request.set_snippet_format(v1::SNIPPET_FORMAT_TEXT);
  const auto [start, end] = invocation.format == Format::kTable ? HighlightMarkers(context.style)
                                                                : HighlightMarkers(Style{});
  request.set_highlight_start(start);
  request.set_highlight_end(end);
  return request;
}

int RunSearch(const Context& context, Backend& backend) {
  const Invocation& invocation = context.invocation;
  v1::SearchRequest request = BaseRequest(context);
  if (invocation.command->name == "search" && invocation.format == Format::kTable) {
    request.set_spelling(true);
  }
  StatusOr<v1::SearchResponse> response = backend.Search(request);
  if (!response.ok()) return Fail(context, response.status());
  switch (invocation.format) {
    case Format::kTable:
      WriteSearchTable(*response, context.style, context.out);
      break;
    case Format::kJson:
      WriteJson(*response, context.env.terminal, context.out);
      break;
    case Format::kJsonl:
      WriteHitsJsonl(*response, context.out);
      break;
    case Format::kCsv:
      WriteCsvHeader(context.out);
      WriteHitsCsv(*response, context.out);
      break;
    case Format::kTrec:
      WriteHitsTrec(*response, invocation.qid, invocation.tag, context.out);
      break;
  }
  if (!Written(context)) return kExitFailure;
  if (response->hits().empty()) {
    if (invocation.format != Format::kTable) context.err << "dyad: no matching articles\n";
    return kExitNoMatch;
  }
  return kExitOk;
}

int RunExport(const Context& context, Backend& backend) {
  const Invocation& invocation = context.invocation;
  v1::SearchRequest request = BaseRequest(context);
  std::uint64_t remaining = invocation.limit_given ? invocation.request.limit()
                                                   : std::numeric_limits<std::uint64_t>::max();
  std::uint64_t written = 0;
  if (invocation.format == Format::kCsv) WriteCsvHeader(context.out);
  while (remaining > 0) {
    request.set_limit(
        static_cast<std::uint32_t>(std::min<std::uint64_t>(invocation.page_size, remaining)));
    StatusOr<v1::SearchResponse> page = backend.Search(request);
    if (!page.ok()) {
      context.out.flush();
      if (written > 0) context.err << "dyad: export stopped after " << written << " results\n";
      return Fail(context, page.status());
    }
    switch (invocation.format) {
      case Format::kCsv:
        WriteHitsCsv(*page, context.out);
        break;
      case Format::kTrec:
        WriteHitsTrec(*page, invocation.qid, invocation.tag, context.out);
        break;
      default:
        WriteHitsJsonl(*page, context.out);
        break;
    }
    if (!Written(context)) return kExitFailure;
    written += static_cast<std::uint64_t>(page->hits_size());
    remaining -= std::min<std::uint64_t>(remaining, static_cast<std::uint64_t>(page->hits_size()));
    if (page->next_cursor().empty() || page->hits().empty()) break;
    request.set_cursor(page->next_cursor());
  }
  if (written == 0) {
    context.err << "dyad: no matching articles\n";
    return kExitNoMatch;
  }
  return kExitOk;
}

int RunGet(const Context& context, Backend& backend) {
  StatusOr<v1::StoredArticle> article = backend.Get(context.invocation.arguments[0]);
  if (!article.ok()) return Fail(context, article.status());
  if (context.invocation.format == Format::kTable) {
    WriteArticleTable(*article, context.style, context.out);
  } else {
    WriteJson(*article, context.invocation.format == Format::kJson && context.env.terminal,
              context.out);
  }
  return Written(context) ? kExitOk : kExitFailure;
}

int RunHealth(const Context& context, Backend& backend) {
  StatusOr<v1::HealthResponse> health = backend.Health();
  if (!health.ok()) return Fail(context, health.status());
  if (context.invocation.format == Format::kTable) {
    WriteHealthTable(*health, context.out);
  } else {
    WriteJson(*health, context.invocation.format == Format::kJson && context.env.terminal,
              context.out);
  }
  return Written(context) ? kExitOk : kExitFailure;
}

int RunStats(const Context& context, Backend& backend) {
  v1::IndexStats stats;
  StatusOr<v1::HealthResponse> health = backend.Health();
  if (!health.ok()) return Fail(context, health.status());
  *stats.mutable_health() = *health;
  // Every article (no query, no filter), counted exactly by each field.
  v1::SearchRequest request;
  request.set_limit(1);
  request.set_snippet_length(1);
  request.set_exact_facets(true);
  const std::uint32_t values =
      context.invocation.limit_given ? context.invocation.request.limit() : kStatsValues;
  for (v1::FacetField field :
       {v1::FACET_FIELD_COUNTRY, v1::FACET_FIELD_DYAD, v1::FACET_FIELD_THEME, v1::FACET_FIELD_ERA,
        v1::FACET_FIELD_DECADE, v1::FACET_FIELD_SOURCE}) {
    v1::FacetRequest* facet = request.add_facets();
    facet->set_field(field);
    facet->set_limit(values);
  }
  StatusOr<v1::SearchResponse> response = backend.Search(request);
  if (!response.ok()) return Fail(context, response.status());
  *stats.mutable_facets() = response->facets();
  switch (context.invocation.format) {
    case Format::kTable:
      WriteStatsTable(stats, context.style, context.out);
      break;
    case Format::kCsv:
      WriteStatsCsv(stats, context.out);
      break;
    default:
      WriteJson(stats, context.invocation.format == Format::kJson && context.env.terminal,
                context.out);
      break;
  }
  return Written(context) ? kExitOk : kExitFailure;
}

int RunHelp(const Invocation& invocation, std::ostream& out) {
  if (invocation.markdown) {
    out << MarkdownManual();
  } else if (!invocation.arguments.empty()) {
    out << CommandHelp(*FindCommand(invocation.arguments[0]));
  } else {
    out << MainHelp();
  }
  return kExitOk;
}

}  // namespace

int RunDyad(const std::vector<std::string>& args, const Environment& env, std::ostream& out,
            std::ostream& err) {
  if (args.empty()) return UsageError("no command given; try 'dyad search QUERY'", err);
  StatusOr<Invocation> parsed = ParseCommandLine(args);
  if (!parsed.ok()) return UsageError(parsed.status().message(), err);
  const Invocation& invocation = *parsed;
  if (invocation.help) {
    out << (invocation.command != nullptr ? CommandHelp(*invocation.command) : MainHelp());
    return kExitOk;
  }
  if (invocation.version) {
    out << VersionText();
    return kExitOk;
  }
  if (invocation.command->name == "help") return RunHelp(invocation, out);

  Context context{invocation, env, out, err, {}, ""};
  context.style.terminal = env.terminal;
  context.style.width = env.width;
  context.style.color = invocation.color == ColorMode::kAlways ||
                        (invocation.color == ColorMode::kAuto && env.terminal && !env.no_color);

  std::unique_ptr<Backend> backend;
  if (!invocation.index.empty()) {
    context.where = "the index at " + invocation.index;
    StatusOr<std::unique_ptr<Backend>> opened = OpenIndex(invocation.index);
    if (!opened.ok()) {
      err << "dyad: cannot open the index at " << invocation.index << ": "
          << opened.status().message() << "\n"
          << "  (build one with 'dyad-index build CORPUS... --index " << invocation.index
          << "', or ask a daemon with --server HOST:PORT)\n";
      return kExitUnreachable;
    }
    backend = std::move(*opened);
  } else {
    const std::string server = !invocation.server.empty() ? invocation.server
                               : !env.server.empty()      ? env.server
                                                          : kDefaultServer;
    context.where = server;
    StatusOr<std::string> token = Token(invocation, env);
    if (!token.ok()) return UsageError(token.status().message(), err);
    StatusOr<std::unique_ptr<Backend>> connected = ConnectToDaemon(server, *token);
    if (!connected.ok()) {
      if (connected.status().code() == StatusCode::kInvalidArgument) {
        return UsageError("--server " + connected.status().message(), err);
      }
      err << "dyad: " << connected.status().message() << "\n"
          << "  (start one with 'dyad-searchd --index DIR --listen " << server
          << "', point dyad at another with --server HOST:PORT or DYAD_SERVER, or search an "
             "index directly with --index DIR)\n";
      return kExitUnreachable;
    }
    backend = std::move(*connected);
  }

  const std::string_view name = invocation.command->name;
  if (name == "search" || name == "similar") return RunSearch(context, *backend);
  if (name == "export") return RunExport(context, *backend);
  if (name == "get") return RunGet(context, *backend);
  if (name == "stats") return RunStats(context, *backend);
  return RunHealth(context, *backend);
}

}  // namespace dyad::cli
