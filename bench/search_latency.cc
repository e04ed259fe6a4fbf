// search_latency: latency of one search, the way a portal asks it (top 10, snippets, six facets
// over the matcher's sample), in three places on the same index with the same queries:
//   xapian  plain Xapian in process, the peer: QueryParser (English, STEM_SOME), BM25 top 10,
//           ValueCountMatchSpy on the six facet slots over the same sample, each hit's data
//           decoded and a snippet cut from the same text with Xapian's default snippet flags;
//   engine  Dyad's QueryService in process (what the CLI's --index mode runs);
//   daemon  dyad-searchd over the binary protocol on loopback (one connection, one request at a
//           time), when --server is given.
//
//   search_latency INDEX [--server HOST:PORT] [--rounds N] [--query Q]... [--only MODE]
//                 [--no-facets]
//
// Prints p50, p99 and mean wall-clock latency per mode (milliseconds, over rounds x queries
// requests, after one warm-up round), and the mean CPU time of this process's thread per request
// (for xapian and engine, the cost of the search itself, which a loaded machine does not inflate;
// for daemon, only the client's share). --only runs one mode (for a profiler such as callgrind).
// The daemon must serve INDEX; bench/search_latency.sh builds the corpus index, starts one and runs
// this. Not a test: nothing here asserts a speed.
#include <time.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "clients/client.h"
#include "core/analyzer.h"
#include "core/enricher.h"
#include "core/schema.h"
#include "dyad/v1/article.pb.h"
#include "searchd/query_service.h"

namespace {

// One-word queries over the bundled corpus (articles and State of the Union addresses).
constexpr const char* kDefaultQueries[] = {"pakistan", "economy", "war",    "trade",
                                           "russia",   "energy",  "treaty", "congress"};

constexpr dyad::v1::FacetField kFacets[] = {
    dyad::v1::FACET_FIELD_COUNTRY, dyad::v1::FACET_FIELD_DYAD,   dyad::v1::FACET_FIELD_THEME,
    dyad::v1::FACET_FIELD_ERA,     dyad::v1::FACET_FIELD_DECADE, dyad::v1::FACET_FIELD_SOURCE};
constexpr Xapian::valueno kFacetSlots[] = {
    dyad::schema::kSlotFacetCountry, dyad::schema::kSlotFacetDyad,
    dyad::schema::kSlotFacetTheme,   dyad::schema::kSlotFacetEra,
    dyad::schema::kSlotFacetDecade,  dyad::schema::kSlotFacetSource};
constexpr unsigned kLimit = 10;
constexpr unsigned kFacetSample = 1000;  // QueryLimits::facet_sample's default.

dyad::v1::SearchRequest Request(const std::string& query, bool facets) {
  dyad::v1::SearchRequest request;
  request.set_query(query);
  request.set_limit(kLimit);
  if (facets) {
    for (dyad::v1::FacetField field : kFacets) request.add_facets()->set_field(field);
  }
  return request;
}

// The peer: what an application on plain Xapian does for the same page.
class XapianPeer {
 public:
  explicit XapianPeer(const std::string& index) : database_(index), stemmer_("english") {
    parser_.set_database(database_);
    parser_.set_stemmer(stemmer_);
    parser_.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser_.set_default_op(Xapian::Query::OP_OR);
  }

  // Returns the number of hits, so the work cannot be optimised away.
  std::size_t Search(const std::string& query, bool facets) {
    Xapian::Enquire enquire(database_);
    enquire.set_query(parser_.parse_query(query));
    enquire.set_weighting_scheme(Xapian::BM25Weight());
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
    if (facets) {
      for (Xapian::valueno slot : kFacetSlots) {
        spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(slot));
        enquire.add_matchspy(spies.back().get());
      }
    }
    const Xapian::MSet mset = enquire.get_mset(0, kLimit + 1, facets ? kFacetSample : 0);
    std::size_t bytes = 0;
    unsigned n = 0;
    for (auto it = mset.begin(); it != mset.end() && n < kLimit; ++it, ++n) {
      dyad::v1::StoredArticle article;
      article.ParseFromString(it.get_document().get_data());
      std::string text;
      for (const dyad::v1::KeyPoint& point : article.key_points()) text += point.text() + " ";
      for (const dyad::v1::Section& section : article.sections()) {
        for (const std::string& paragraph : section.paragraphs()) text += paragraph + " ";
      }
      bytes += mset.snippet(text, 200, stemmer_).size();
    }
    for (const auto& spy : spies) bytes += spy->get_total();
    return n + bytes;
  }

 private:
  Xapian::Database database_;
  Xapian::Stem stemmer_;
  Xapian::QueryParser parser_;
};

struct Options {
  std::string index;
  std::string server;
  int rounds = 20;
  std::vector<std::string> queries;
  std::string only;
  bool facets = true;
};

// CPU time of the calling thread: what a request costs in process, whatever the machine's load.
// For the daemon it is only the client's side (framing and waiting).
double ThreadCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

// Runs `search` once per query as warm-up, then rounds x queries times, and prints the
// percentiles. `search` returns false on failure (after printing why).
bool Measure(const char* mode, const Options& options,
             const std::function<bool(const std::string&)>& search) {
  for (const std::string& query : options.queries) {
    if (!search(query)) return false;
  }
  std::vector<double> ms;
  const double cpu_start = ThreadCpuMs();
  for (int round = 0; round < options.rounds; ++round) {
    for (const std::string& query : options.queries) {
      const auto start = std::chrono::steady_clock::now();
      if (!search(query)) return false;
      ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count());
    }
  }
  const double cpu = (ThreadCpuMs() - cpu_start) / static_cast<double>(ms.size());
  std::sort(ms.begin(), ms.end());
  const auto at = [&](double q) {
    return ms[std::min(ms.size() - 1,
                       static_cast<std::size_t>(q * static_cast<double>(ms.size())))];
  };
  double sum = 0;
  for (double m : ms) sum += m;
  std::printf("%-8s %8zu %9.3f %9.3f %9.3f %9.3f\n", mode, ms.size(), at(0.5), at(0.99),
              sum / static_cast<double>(ms.size()), cpu);
  return true;
}

int Usage() {
  std::fprintf(stderr,
               "usage: search_latency INDEX [--server HOST:PORT] [--rounds N] [--query Q]...\n"
               "                      [--only xapian|engine|daemon] [--no-facets]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--server" && has_value) {
      options.server = argv[++i];
    } else if (arg == "--rounds" && has_value) {
      options.rounds = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--query" && has_value) {
      options.queries.emplace_back(argv[++i]);
    } else if (arg == "--only" && has_value) {
      options.only = argv[++i];
    } else if (arg == "--no-facets") {
      options.facets = false;
    } else if (!arg.starts_with("--") && options.index.empty()) {
      options.index = arg;
    } else {
      return Usage();
    }
  }
  if (options.index.empty()) return Usage();
  if (options.queries.empty()) {
    options.queries.assign(std::begin(kDefaultQueries), std::end(kDefaultQueries));
  }
  const auto wanted = [&](const char* mode) {
    return options.only.empty() || options.only == mode;
  };

  std::printf("index %s, %zu queries x %d rounds, top %u, snippets, %s\n", options.index.c_str(),
              options.queries.size(), options.rounds, kLimit,
              options.facets ? "6 facets (sampled)" : "no facets");
  std::printf("%-8s %8s %9s %9s %9s %9s\n", "mode", "requests", "p50_ms", "p99_ms", "mean_ms",
              "cpu_ms");

  if (wanted("xapian")) {
    try {
      XapianPeer peer(options.index);
      std::size_t sink = 0;
      if (!Measure("xapian", options, [&](const std::string& q) {
            sink += peer.Search(q, options.facets);
            return true;
          })) {
        return 1;
      }
      if (sink == 0) std::printf("(the peer found nothing)\n");
    } catch (const Xapian::Error& e) {
      std::fprintf(stderr, "xapian: %s\n", e.get_description().c_str());
      return 1;
    }
  }

  if (wanted("engine")) {
    auto analyzer = dyad::Analyzer::Create();
    if (!analyzer.ok()) return 1;
    auto enricher = dyad::Enricher::Load(*analyzer);
    if (!enricher.ok()) return 1;
    auto service = dyad::QueryService::Open(options.index, **enricher);
    if (!service.ok()) {
      std::fprintf(stderr, "engine: %s\n", service.status().message().c_str());
      return 1;
    }
    if (!Measure("engine", options, [&](const std::string& q) {
          auto response = (*service)->Search(Request(q, options.facets));
          if (!response.ok())
            std::fprintf(stderr, "engine: %s\n", response.status().message().c_str());
          return response.ok();
        })) {
      return 1;
    }
  }

  if (!options.server.empty() && wanted("daemon")) {
    auto address = dyad::ParseHostPort(options.server);
    if (!address.ok()) {
      std::fprintf(stderr, "--server: %s\n", address.status().message().c_str());
      return 2;
    }
    auto client = dyad::Client::Connect(address->first, address->second);
    if (!client.ok()) {
      std::fprintf(stderr, "daemon: %s\n", client.status().message().c_str());
      return 1;
    }
    if (!Measure("daemon", options, [&](const std::string& q) {
          auto response = (*client)->Search(Request(q, options.facets));
          if (!response.ok())
            std::fprintf(stderr, "daemon: %s\n", response.status().message().c_str());
          return response.ok();
        })) {
      return 1;
    }
  }
  return 0;
}
