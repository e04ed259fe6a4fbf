// search_load: query throughput and latency of dyad-searchd over loopback, against the same
// queries answered in process on one thread.
//
//   search_load --index DIR --server HOST:PORT [--queries N] [--seed S] [--seconds T]
//               [--connections 1,8,32] [--daemon-pid PID] [--dump FILE]
//
// The query set is drawn from the index itself with a seeded generator, so a given index and
// seed always give the same queries: 1-3 words, each an unprefixed indexed word of 4+ letters
// found in 5..2000 articles. For each of two modes (top 10; top 10 plus six exact facets) it
// measures, each for T seconds (default 10):
//   xapian    the query through Xapian directly (QueryParser with English stemming, BM25,
//             get_mset top 10, document data read), one thread: the library baseline;
//   inproc    Dyad's QueryService in this process, one thread (same request as the daemon);
//   daemon/C  the daemon over loopback with C connections, each sending its next request as soon
//             as the previous answer arrives (closed loop), all driven by one Asio thread.
// Prints queries/s, p50 and p99 latency and errors per row, the daemon's q/s relative to the
// in-process single-thread rate, and CPU milliseconds per query: the measuring thread's own for
// the in-process rows, the daemon's (all its threads, from /proc/PID/stat) with --daemon-pid.
// CPU time is what a loaded, shared machine does not inflate much, unlike wall-clock rates.
// --dump FILE writes the in-process responses to the whole query set (both modes, and the
// facets sampled rather than exact) as JSON lines
// (Protobuf JSON mapping) and exits: compare two builds' dumps to check that a change to the
// engine leaves results unchanged. The daemon must serve the same index (bench/search_load.sh
// builds the Reuters-21578 index, starts the daemon and runs this).
#include <google/protobuf/util/json_util.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "clients/client.h"
#include "core/analyzer.h"
#include "core/enricher.h"
#include "dyad/v1/envelope.pb.h"
#include "proto/frame.h"
#include "searchd/query_service.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace asio = boost::asio;

struct Options {
  std::string index;
  std::string server;
  int queries = 500;
  unsigned seed = 42;
  double seconds = 10;
  std::vector<int> connections = {1, 8, 32};
  int daemon_pid = 0;
  std::string dump;
};

struct Row {
  std::string name;
  std::uint64_t done = 0;
  std::uint64_t errors = 0;
  double seconds = 0;
  double cpu_seconds = -1;  // Unknown when negative.
  std::vector<double> latencies_ms;

  double Rate() const { return seconds > 0 ? done / seconds : 0; }
  double Percentile(double p) {
    if (latencies_ms.empty()) return 0;
    std::sort(latencies_ms.begin(), latencies_ms.end());
    const auto at = static_cast<std::size_t>(p * (latencies_ms.size() - 1));
    return latencies_ms[at];
  }
};

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// CPU time of the calling thread, in seconds.
double ThreadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// CPU time (user + system, all threads) of process `pid` from /proc/PID/stat; negative if
// unreadable.
double ProcessCpuSeconds(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (pid <= 0 || !std::getline(in, stat)) return -1;
  // Fields after the command name (in parentheses, which may hold spaces): state is field 3,
  // utime 14 and stime 15.
  const std::size_t close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i >= 14) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::vector<std::string> DrawQueries(const std::string& index, int count, unsigned seed) {
  Xapian::Database db(index);
  std::vector<std::string> words;
  for (auto it = db.allterms_begin(); it != db.allterms_end(); ++it) {
    const std::string term = *it;
    if (term.size() < 4 ||
        !std::all_of(term.begin(), term.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
      continue;
    }
    const auto df = it.get_termfreq();
    if (df >= 5 && df <= 2000) words.push_back(term);
  }
  std::vector<std::string> queries;
  if (words.empty()) return queries;
  std::mt19937 random(seed);
  std::uniform_int_distribution<std::size_t> pick(0, words.size() - 1);
  std::uniform_int_distribution<int> length(1, 3);
  for (int i = 0; i < count; ++i) {
    std::string query;
    for (int n = length(random); n > 0; --n) {
      if (!query.empty()) query += ' ';
      query += words[pick(random)];
    }
    queries.push_back(query);
  }
  return queries;
}

dyad::v1::SearchRequest MakeRequest(const std::string& query, bool facets) {
  dyad::v1::SearchRequest request;
  request.set_query(query);
  request.set_limit(10);
  if (facets) {
    for (auto field :
         {dyad::v1::FACET_FIELD_COUNTRY, dyad::v1::FACET_FIELD_DYAD, dyad::v1::FACET_FIELD_THEME,
          dyad::v1::FACET_FIELD_ERA, dyad::v1::FACET_FIELD_DECADE, dyad::v1::FACET_FIELD_SOURCE}) {
      request.add_facets()->set_field(field);
    }
    request.set_exact_facets(true);
  }
  return request;
}

// Runs `one(i)` for query i, cycling through the set, for `seconds`.
Row TimeLoop(const std::string& name, std::size_t n, double seconds,
             const std::function<bool(std::size_t)>& one) {
  Row row;
  row.name = name;
  const auto start = Clock::now();
  const double cpu_start = ThreadCpuSeconds();
  const auto stop =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  for (std::size_t i = 0; Clock::now() < stop; ++i) {
    const auto t0 = Clock::now();
    const bool ok = one(i % n);
    row.latencies_ms.push_back(Ms(Clock::now() - t0));
    ++row.done;
    if (!ok) ++row.errors;
  }
  row.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  row.cpu_seconds = ThreadCpuSeconds() - cpu_start;
  return row;
}

Row Xapian1(const std::string& index, const std::vector<std::string>& queries, bool facets,
            double seconds) {
  Xapian::Database db(index);
  Xapian::Enquire enquire(db);
  Xapian::QueryParser parser;
  parser.set_database(db);
  parser.set_stemmer(Xapian::Stem("english"));
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  // The exact-facet baseline counts one value slot per facet over every match, as a plain
  // Xapian application would with ValueCountMatchSpy (Dyad's slots hold lists, so its counts
  // differ; the work per match is what is compared).
  std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
  if (facets) {
    for (Xapian::valueno slot = 3; slot <= 8; ++slot) {
      spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(slot));
      enquire.add_matchspy(spies.back().get());
    }
  }
  return TimeLoop("xapian, 1 thread", queries.size(), seconds, [&](std::size_t i) {
    enquire.set_query(parser.parse_query(queries[i]));
    const Xapian::MSet mset = enquire.get_mset(0, 10, facets ? db.get_doccount() : 0);
    std::size_t bytes = 0;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      bytes += it.get_document().get_data().size();
    }
    return bytes > 0 || mset.empty();
  });
}

Row InProcess(dyad::QueryService& service, const std::vector<std::string>& queries, bool facets,
              double seconds) {
  return TimeLoop("dyad in process, 1 thread", queries.size(), seconds, [&](std::size_t i) {
    return service.Search(MakeRequest(queries[i], facets)).ok();
  });
}

// One closed-loop connection: write a request, read its answer, record, repeat.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::io_context& io, const std::vector<std::string>& frames, std::size_t first,
             Clock::time_point stop, Row* row)
      : socket_(io), frames_(frames), next_(first), stop_(stop), row_(row) {}

  void Start(const asio::ip::tcp::endpoint& endpoint) {
    socket_.async_connect(endpoint, [self = shared_from_this()](boost::system::error_code ec) {
      if (ec) {
        ++self->row_->errors;
        return;
      }
      self->socket_.set_option(asio::ip::tcp::no_delay(true));
      self->Send();
    });
  }

 private:
  void Send() {
    if (Clock::now() >= stop_) return;
    sent_at_ = Clock::now();
    const std::string& frame = frames_[next_++ % frames_.size()];
    asio::async_write(socket_, asio::buffer(frame),
                      [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                        if (ec) {
                          ++self->row_->errors;
                          return;
                        }
                        self->ReadHeader();
                      });
  }

  void ReadHeader() {
    asio::async_read(socket_, asio::buffer(header_),
                     [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                       if (ec) {
                         ++self->row_->errors;
                         return;
                       }
                       self->body_.resize(dyad::DecodeFrameLength(
                           std::string_view(self->header_.data(), self->header_.size())));
                       self->ReadBody();
                     });
  }

  void ReadBody() {
    asio::async_read(socket_, asio::buffer(body_),
                     [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                       if (ec) {
                         ++self->row_->errors;
                         return;
                       }
                       self->row_->latencies_ms.push_back(Ms(Clock::now() - self->sent_at_));
                       ++self->row_->done;
                       dyad::v1::Envelope envelope;
                       if (!envelope.ParseFromString(self->body_) ||
                           envelope.body_case() != dyad::v1::Envelope::kSearchResult) {
                         ++self->row_->errors;
                       }
                       self->Send();
                     });
  }

  asio::ip::tcp::socket socket_;
  const std::vector<std::string>& frames_;
  std::size_t next_;
  Clock::time_point stop_;
  Row* row_;
  Clock::time_point sent_at_;
  std::array<char, dyad::kFrameHeaderSize> header_{};
  std::string body_;
};

Row Daemon(const asio::ip::tcp::endpoint& endpoint, const std::vector<std::string>& queries,
           bool facets, int connections, double seconds, int daemon_pid) {
  std::vector<std::string> frames;
  for (std::size_t i = 0; i < queries.size(); ++i) {
    dyad::v1::Envelope envelope;
    envelope.set_request_id(i + 1);
    *envelope.mutable_search() = MakeRequest(queries[i], facets);
    frames.push_back(dyad::EncodeFrame(envelope));
  }
  Row row;
  row.name =
      "daemon, " + std::to_string(connections) + " connection" + (connections == 1 ? "" : "s");
  asio::io_context io;
  const double cpu_start = ProcessCpuSeconds(daemon_pid);
  const auto start = Clock::now();
  const auto stop =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  for (int c = 0; c < connections; ++c) {
    // Connections start at different places in the query set so they do not run in lockstep.
    std::make_shared<Connection>(io, frames, c * frames.size() / connections, stop, &row)
        ->Start(endpoint);
  }
  io.run();
  row.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (cpu_start >= 0) row.cpu_seconds = ProcessCpuSeconds(daemon_pid) - cpu_start;
  return row;
}

// Writes the in-process response of every query, both modes, one JSON line each.
int Dump(dyad::QueryService& service, const std::vector<std::string>& queries,
         const std::string& path) {
  std::ofstream out(path);
  if (!out) {
    std::fprintf(stderr, "search_load: cannot write %s\n", path.c_str());
    return 1;
  }
  // Top 10, exact facets, sampled facets.
  for (const int mode : {0, 1, 2}) {
    for (const std::string& query : queries) {
      dyad::v1::SearchRequest request = MakeRequest(query, mode > 0);
      if (mode == 2) request.set_exact_facets(false);
      const auto response = service.Search(request);
      std::string json;
      if (!response.ok()) {
        json = "error: " + response.status().message();
      } else if (!google::protobuf::util::MessageToJsonString(*response, &json).ok()) {
        json = "unprintable";
      }
      out << json << "\n";
    }
  }
  return out.good() ? 0 : 1;
}

bool ParseArgs(int argc, char** argv, Options* options) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "--index") {
      options->index = value();
    } else if (arg == "--server") {
      options->server = value();
    } else if (arg == "--queries") {
      options->queries = std::stoi(value());
    } else if (arg == "--seed") {
      options->seed = static_cast<unsigned>(std::stoul(value()));
    } else if (arg == "--seconds") {
      options->seconds = std::stod(value());
    } else if (arg == "--daemon-pid") {
      options->daemon_pid = std::stoi(value());
    } else if (arg == "--dump") {
      options->dump = value();
    } else if (arg == "--connections") {
      options->connections.clear();
      const std::string list = value();
      for (std::size_t at = 0; at < list.size();) {
        const std::size_t comma = std::min(list.find(',', at), list.size());
        options->connections.push_back(std::stoi(list.substr(at, comma - at)));
        at = comma + 1;
      }
    } else {
      return false;
    }
  }
  return !options->index.empty() && !options->server.empty() && options->queries > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    if (!ParseArgs(argc, argv, &options)) {
      std::fprintf(stderr,
                   "usage: search_load --index DIR --server HOST:PORT [--queries N] [--seed S]\n"
                   "                   [--seconds T] [--connections 1,8,32] [--daemon-pid PID]\n"
                   "                   [--dump FILE]\n");
      return 2;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "search_load: bad number: %s\n", e.what());
    return 2;
  }
  const auto host_port = dyad::ParseHostPort(options.server);
  if (!host_port.ok()) {
    std::fprintf(stderr, "search_load: %s\n", host_port.status().message().c_str());
    return 2;
  }
  asio::io_context resolver_io;
  asio::ip::tcp::resolver resolver(resolver_io);
  const asio::ip::tcp::endpoint endpoint =
      *resolver.resolve(host_port->first, std::to_string(host_port->second)).begin();

  auto analyzer = dyad::Analyzer::Create();
  if (!analyzer.ok()) return 1;
  auto enricher = dyad::Enricher::Load(*analyzer);
  if (!enricher.ok()) return 1;
  auto service = dyad::QueryService::Open(options.index, **enricher);
  if (!service.ok()) {
    std::fprintf(stderr, "search_load: %s\n", service.status().message().c_str());
    return 1;
  }
  std::vector<std::string> queries;
  try {
    queries = DrawQueries(options.index, options.queries, options.seed);
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "search_load: %s\n", e.get_description().c_str());
    return 1;
  }
  if (queries.empty()) {
    std::fprintf(stderr, "search_load: the index has no words to draw queries from\n");
    return 1;
  }
  if (!options.dump.empty()) return Dump(**service, queries, options.dump);
  std::printf("index %s: %llu articles; %zu queries (seed %u), e.g. \"%s\"; %.0f s per row\n",
              options.index.c_str(),
              static_cast<unsigned long long>((*service)->Health()->article_count()),
              queries.size(), options.seed, queries[0].c_str(), options.seconds);

  for (const bool facets : {false, true}) {
    std::printf("\n%s\n", facets ? "top 10 + six exact facets" : "top 10");
    std::printf("%-28s %10s %9s %9s %8s %9s %9s\n", "", "queries/s", "p50 ms", "p99 ms", "errors",
                "vs inproc", "CPU ms/q");
    std::vector<Row> rows;
    rows.push_back(Xapian1(options.index, queries, facets, options.seconds));
    rows.push_back(InProcess(**service, queries, facets, options.seconds));
    for (const int c : options.connections) {
      rows.push_back(Daemon(endpoint, queries, facets, c, options.seconds, options.daemon_pid));
    }
    const double inproc = rows[1].Rate();
    for (Row& row : rows) {
      char cpu[32] = "-";
      if (row.cpu_seconds >= 0 && row.done > 0) {
        std::snprintf(cpu, sizeof cpu, "%.3f", 1000 * row.cpu_seconds / row.done);
      }
      std::printf("%-28s %10.1f %9.3f %9.3f %8llu %8.2fx %9s\n", row.name.c_str(), row.Rate(),
                  row.Percentile(0.50), row.Percentile(0.99),
                  static_cast<unsigned long long>(row.errors), inproc > 0 ? row.Rate() / inproc : 0,
                  cpu);
    }
    std::fflush(stdout);
  }
  return 0;
}
