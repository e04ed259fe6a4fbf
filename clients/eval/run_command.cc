#include "clients/eval/run_command.h"

#include <google/protobuf/util/json_util.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <tuple>

#include "clients/client.h"
#include "clients/eval/score_command.h"
#include "core/analyzer.h"
#include "core/enricher.h"
#include "searchd/query_service.h"

namespace dyad::eval {
namespace {

constexpr char kUsage[] =
    R"(Usage: dyad-eval run --topics FILE (--index DIR | --server HOST:PORT) --out RUN
                     [--tag T] [--depth N] [--ranking NAME] [--fields F[,F...]]
                     [--topics-format FMT] [--threads N] [--pipeline N] [--format text|json]
                     [--quiet]

Runs every topic of FILE through Dyad and writes a TREC run, one line per retrieved document:
'qid Q0 docno rank score tag' (docno = the article id; score = Dyad's score, exact).

  --topics FILE        topics: TREC <top> blocks (<num> <title> <desc> <narr>), TSV
                       ('qid<TAB>query'), SMART ('.I n' then '.W' text, as CISI.QRY) or Glasgow
                       ('*FIND n' then the text, '*STOP' at the end); detected from the content
  --topics-format FMT  auto, trec, tsv, smart or glasgow (default auto)
  --fields F,F         topic fields joined to form the query. TREC: title, desc, narr (any
                       tag; default title). SMART: text (.W, default), title (.T), author (.A),
                       biblio (.B). TSV and Glasgow: text
  --index DIR          search the index in-process (one engine per thread), or
  --server HOST:PORT   ask dyad-searchd: one connection per thread, --pipeline requests in
                       flight on each; both give identical runs
  --out RUN            the run file to write ('-': standard output)
  --tag T              run tag, the 6th column (default dyad)
  --depth N            documents per topic (default 1000)
  --ranking NAME       ranking configuration (corpus/data/rankings.textproto: default, bm25,
                       ...; default: the engine's default); an unknown name is an error
  --threads N          parallel workers / connections (default: number of processors)
  --pipeline N         requests in flight per connection with --server (default 8)
  --format text|json   the summary printed at the end (json: EvalRunSummary of
                       dyad/v1/eval.proto); on standard error when the run goes to standard output
  --quiet              no progress bar (it is drawn only when standard error is a terminal)
  -h, --help           this text

Topic text is free text, not query syntax: AND/OR/NOT/NEAR/XOR/ADJ become ordinary words,
quotes, parentheses, ':' (field prefixes such as title:), '*', '~', '^', leading +/- and '..'
ranges are removed, so the query means the topic's words and nothing else (see
docs/evaluation.md). Queries longer than 4096 bytes are cut at a word boundary (a warning).

Exit status: 0 run written with every topic; 1 input or connection error, or some topics could
not be run (the run holds the others, each problem is reported with file and line or topic);
2 usage error.

Examples:
  dyad-index build CISI.ALL --index cisi.idx
  dyad-eval run --topics CISI.QRY --index cisi.idx --out cisi.run --tag dyad-default
  dyad-eval run --topics CISI.QRY --index cisi.idx --out bm25.run --tag bm25 --ranking bm25
  dyad-eval score CISI.REL cisi.run -m map -m P.10 -m ndcg_cut.10
  dyad-eval run --topics topics.301-350 --fields title,desc --server 127.0.0.1:7700 --out r.run
  printf '1\tnuclear arms control\n' | dyad-eval run --topics /dev/stdin --index idx --out -
)";

constexpr std::size_t kMaxQueryBytes = 4096;  // QueryLimits::max_query_bytes' default.
constexpr std::uint32_t kPageSize = 1000;     // QueryLimits::max_limit's default.

int Usage(std::ostream& err, const std::string& problem) {
  err << "dyad-eval run: " << problem << "\n\n" << kUsage;
  return kExitUsage;
}

template <typename T>
bool ParseNumberArg(const std::string& text, T* out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

std::vector<std::string> SplitComma(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const std::size_t end = std::min(text.find(',', begin), text.size());
    if (end > begin) parts.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return parts;
}

// The request for one page of a topic. Snippets are not needed, so the shortest is asked for.
v1::SearchRequest PageRequest(const std::string& query, std::uint32_t offset, std::uint32_t depth,
                              const std::string& ranking) {
  v1::SearchRequest request;
  request.set_query(query);
  request.set_ranking(ranking);
  request.set_offset(offset);
  request.set_limit(std::min(kPageSize, depth - offset));
  request.set_snippet_length(1);
  request.set_snippet_format(v1::SNIPPET_FORMAT_TEXT);
  return request;
}

// Adds a page's hits to the topic; true when another page is needed.
bool AddPage(const v1::SearchResponse& page, const v1::SearchRequest& request, std::uint32_t depth,
             TopicResult* result) {
  for (const v1::Hit& hit : page.hits()) result->docs.push_back({hit.id(), hit.score()});
  const std::uint32_t next = request.offset() + request.limit();
  return static_cast<std::uint32_t>(page.hits_size()) == request.limit() && next < depth;
}

// --index: one QueryService per thread, topics taken from a shared counter.
Status RunInProcess(const std::vector<TopicQuery>& queries, const RunOptions& options, int threads,
                    const std::function<void()>& progress, std::vector<TopicResult>* results) {
  StatusOr<Analyzer> analyzer = Analyzer::Create();
  if (!analyzer.ok()) return analyzer.status();
  StatusOr<std::unique_ptr<Enricher>> enricher = Enricher::Load(*analyzer);
  if (!enricher.ok()) return enricher.status();
  std::vector<std::unique_ptr<QueryService>> services;
  for (int t = 0; t < threads; ++t) {
    QueryLimits limits;
    limits.default_ranking = options.ranking;  // Checked once here: an unknown name fails now.
    StatusOr<std::unique_ptr<QueryService>> service =
        QueryService::Open(options.index, **enricher, limits);
    if (!service.ok()) return service.status();
    services.push_back(std::move(*service));
  }
  std::atomic<std::size_t> next{0};
  const auto work = [&](QueryService& service) {
    for (std::size_t i = next++; i < queries.size(); i = next++) {
      TopicResult& result = (*results)[i];
      for (std::uint32_t offset = 0; offset < options.depth;) {
        const v1::SearchRequest request =
            PageRequest(queries[i].query, offset, options.depth, options.ranking);
        StatusOr<v1::SearchResponse> page = service.Search(request);
        if (!page.ok()) {
          result.error = page.status().message();
          result.docs.clear();
          break;
        }
        if (!AddPage(*page, request, options.depth, &result)) break;
        offset += request.limit();
      }
      result.searched = result.error.empty();
      if (progress) progress();
    }
  };
  std::vector<std::thread> workers;
  for (int t = 1; t < threads; ++t) workers.emplace_back(work, std::ref(*services[t]));
  work(*services[0]);
  for (std::thread& worker : workers) worker.join();
  return Status::Ok();
}

// --server: one connection per thread with up to `pipeline` requests in flight.
Status RunOverServer(const std::vector<TopicQuery>& queries, const RunOptions& options, int threads,
                     const std::function<void()>& progress, std::vector<TopicResult>* results) {
  StatusOr<std::pair<std::string, std::uint16_t>> address = ParseHostPort(options.server);
  if (!address.ok()) return address.status();
  std::vector<std::unique_ptr<Client>> clients;
  for (int t = 0; t < threads; ++t) {
    StatusOr<std::unique_ptr<Client>> client =
        Client::Connect(address->first, address->second, std::chrono::seconds(120));
    if (!client.ok()) return client.status();
    clients.push_back(std::move(*client));
  }
  std::atomic<std::size_t> next{0};
  std::mutex failure_mutex;
  Status failure = Status::Ok();
  const auto work = [&](Client& client) {
    struct InFlight {
      std::size_t topic;
      v1::SearchRequest request;
    };
    std::map<std::uint64_t, InFlight> in_flight;
    std::deque<std::pair<std::size_t, std::uint32_t>> follow_ups;  // (topic, offset)
    std::uint64_t next_id = 1;
    bool topics_left = true;
    const auto finish = [&](std::size_t topic) {
      (*results)[topic].searched = (*results)[topic].error.empty();
      if (progress) progress();
    };
    while (true) {
      // Fill the pipeline: pending pages of topics first, then new topics.
      while (in_flight.size() < static_cast<std::size_t>(options.pipeline)) {
        std::size_t topic = 0;
        std::uint32_t offset = 0;
        if (!follow_ups.empty()) {
          std::tie(topic, offset) = follow_ups.front();
          follow_ups.pop_front();
        } else if (topics_left && (topic = next++) < queries.size()) {
          offset = 0;
        } else {
          topics_left = false;
          break;
        }
        v1::Envelope envelope;
        envelope.set_request_id(next_id++);
        envelope.set_protocol_version(v1::PROTOCOL_VERSION_1);
        *envelope.mutable_search() =
            PageRequest(queries[topic].query, offset, options.depth, options.ranking);
        if (Status s = client.SendBytes(EncodeFrame(envelope)); !s.ok()) {
          std::lock_guard<std::mutex> lock(failure_mutex);
          failure = s;
          return;
        }
        in_flight.emplace(envelope.request_id(), InFlight{topic, envelope.search()});
      }
      if (in_flight.empty()) return;
      StatusOr<v1::Envelope> response = client.Receive();
      if (!response.ok()) {
        std::lock_guard<std::mutex> lock(failure_mutex);
        failure = response.status();
        return;
      }
      const auto it = in_flight.find(response->request_id());
      if (it == in_flight.end()) {
        std::lock_guard<std::mutex> lock(failure_mutex);
        failure = response->has_error()
                      ? StatusFromError(response->error())
                      : DataLoss("server answered request " +
                                 std::to_string(response->request_id()) + ", never sent");
        return;
      }
      const InFlight page = std::move(it->second);
      in_flight.erase(it);
      TopicResult& result = (*results)[page.topic];
      if (response->has_error()) {
        result.error = StatusFromError(response->error()).message();
        result.docs.clear();
        finish(page.topic);
      } else if (!response->has_search_result()) {
        result.error = "server answered a search with no result";
        finish(page.topic);
      } else if (AddPage(response->search_result(), page.request, options.depth, &result)) {
        follow_ups.emplace_back(page.topic, page.request.offset() + page.request.limit());
      } else {
        finish(page.topic);
      }
    }
  };
  std::vector<std::thread> workers;
  for (int t = 1; t < threads; ++t) workers.emplace_back(work, std::ref(*clients[t]));
  work(*clients[0]);
  for (std::thread& worker : workers) worker.join();
  return failure;
}

// A progress bar on standard error, redrawn at most ten times a second. Thread-safe.
class ProgressBar {
 public:
  ProgressBar(std::size_t total, std::ostream& err) : total_(total), err_(err) {}

  void Advance() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++done_;
    const auto now = std::chrono::steady_clock::now();
    if (done_ < total_ && now - drawn_ < std::chrono::milliseconds(100)) return;
    drawn_ = now;
    constexpr std::size_t kWidth = 30;
    const std::size_t filled = total_ == 0 ? kWidth : done_ * kWidth / total_;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.1f", seconds > 0 ? done_ / seconds : 0.0);
    err_ << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, '.') << "] " << done_
         << "/" << total_ << " topics, " << rate << " topics/s" << std::flush;
    if (done_ == total_) err_ << "\n" << std::flush;
  }

 private:
  std::mutex mutex_;
  const std::size_t total_;
  std::size_t done_ = 0;
  std::ostream& err_;
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point drawn_{};
};

// Cuts `query` to at most `limit` bytes at a space (or, failing that, a UTF-8 boundary).
std::string CutQuery(const std::string& query, std::size_t limit) {
  if (query.size() <= limit) return query;
  std::size_t cut = query.rfind(' ', limit);
  if (cut == std::string::npos || cut == 0) {
    cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(query[cut]) & 0xC0) == 0x80) --cut;
  }
  return query.substr(0, cut);
}

std::string ShortestDouble(double value) {
  char buffer[64];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return error == std::errc() ? std::string(buffer, end) : std::to_string(value);
}

}  // namespace

const char* RunUsage() { return kUsage; }

StatusOr<std::vector<TopicResult>> RunQueries(const std::vector<TopicQuery>& queries,
                                              const RunOptions& options,
                                              const std::function<void()>& progress) {
  if (options.index.empty() == options.server.empty()) {
    return InvalidArgument("give exactly one of --index DIR and --server HOST:PORT");
  }
  const int threads = std::max(
      1, std::min(options.threads > 0 ? options.threads
                                      : static_cast<int>(std::thread::hardware_concurrency()),
                  static_cast<int>(std::max<std::size_t>(1, queries.size()))));
  std::vector<TopicResult> results(queries.size());
  const Status status = options.index.empty()
                            ? RunOverServer(queries, options, threads, progress, &results)
                            : RunInProcess(queries, options, threads, progress, &results);
  if (!status.ok()) return status;
  return results;
}

std::uint64_t WriteTrecRun(const std::vector<TopicQuery>& queries,
                           const std::vector<TopicResult>& results, const std::string& tag,
                           std::ostream& out) {
  std::uint64_t lines = 0;
  for (std::size_t i = 0; i < queries.size() && i < results.size(); ++i) {
    std::uint32_t rank = 0;
    for (const TopicResult::Doc& doc : results[i].docs) {
      out << queries[i].qid << " Q0 " << doc.id << ' ' << ++rank << ' ' << ShortestDouble(doc.score)
          << ' ' << tag << '\n';
      ++lines;
    }
  }
  return lines;
}

int RunRunCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  RunOptions options;
  bool json = false;
  bool quiet = false;
  std::string fields;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    std::string name = arg;
    std::string v;
    bool has_value = false;
    if (const std::size_t eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
      name = arg.substr(0, eq);  // --depth=100
      v = arg.substr(eq + 1);
      has_value = true;
    }
    const auto value = [&](const char* what) -> bool {
      if (has_value) return true;
      if (i + 1 >= args.size()) {
        Usage(err, name + " needs " + what);
        return false;
      }
      v = args[++i];
      return true;
    };
    if (name == "-h" || name == "--help") {
      out << kUsage;
      return kExitOk;
    } else if (name == "--topics") {
      if (!value("a file")) return kExitUsage;
      options.topics_path = v;
    } else if (name == "--topics-format") {
      if (!value("a format")) return kExitUsage;
      const std::optional<TopicFormat> format = ParseTopicFormat(v);
      if (!format) return Usage(err, "--topics-format is auto, trec, tsv, smart or glasgow");
      options.topics_format = *format;
    } else if (name == "--fields") {
      if (!value("field names")) return kExitUsage;
      fields = v;
      if (SplitComma(v).empty()) return Usage(err, "--fields needs field names, e.g. title,desc");
    } else if (name == "--server") {
      if (!value("HOST:PORT")) return kExitUsage;
      options.server = v;
    } else if (name == "--index") {
      if (!value("a folder")) return kExitUsage;
      options.index = v;
    } else if (name == "--out" || name == "-o") {
      if (!value("a file")) return kExitUsage;
      options.out = v;
    } else if (name == "--tag") {
      if (!value("a tag")) return kExitUsage;
      if (v.empty() || v.find_first_of(" \t\r\n") != std::string::npos) {
        return Usage(err, "--tag must be one word");
      }
      options.tag = v;
    } else if (name == "--ranking") {
      if (!value("a ranking name")) return kExitUsage;
      if (v.empty()) return Usage(err, "--ranking needs a configuration name");
      options.ranking = v;
    } else if (name == "--depth") {
      if (!value("a number")) return kExitUsage;
      if (!ParseNumberArg(v, &options.depth) || options.depth == 0 || options.depth > 100000) {
        return Usage(err, "--depth needs a number from 1 to 100000");
      }
    } else if (name == "--threads") {
      if (!value("a number")) return kExitUsage;
      if (!ParseNumberArg(v, &options.threads) || options.threads < 1 || options.threads > 256) {
        return Usage(err, "--threads needs a number from 1 to 256");
      }
    } else if (name == "--pipeline") {
      if (!value("a number")) return kExitUsage;
      if (!ParseNumberArg(v, &options.pipeline) || options.pipeline < 1 || options.pipeline > 64) {
        return Usage(err, "--pipeline needs a number from 1 to 64");
      }
    } else if (name == "--format") {
      if (!value("text or json")) return kExitUsage;
      if (v != "text" && v != "json") return Usage(err, "--format is text or json");
      json = v == "json";
    } else if (name == "--quiet" || name == "-q") {
      quiet = true;
    } else {
      return Usage(err, "unknown argument '" + arg + "'");
    }
  }
  if (options.topics_path.empty()) return Usage(err, "--topics FILE is required");
  if (options.out.empty()) return Usage(err, "--out RUN is required");
  if (options.index.empty() == options.server.empty()) {
    return Usage(err, "give exactly one of --index DIR and --server HOST:PORT");
  }
  if (!options.server.empty()) {
    if (StatusOr<std::pair<std::string, std::uint16_t>> a = ParseHostPort(options.server);
        !a.ok()) {
      return Usage(err, a.status().message());
    }
  }

  StatusOr<TopicFile> topics = ReadTopics(options.topics_path, options.topics_format);
  if (!topics.ok()) {
    err << "dyad-eval run: " << topics.status().message() << "\n";
    return kExitInputError;
  }
  options.fields = fields.empty() ? DefaultQueryFields(topics->format) : SplitComma(fields);

  v1::EvalRunSummary summary;
  summary.set_out(options.out);
  summary.set_tag(options.tag);
  summary.set_mode(options.index.empty() ? "server" : "index");
  summary.set_source(options.index.empty() ? options.server : options.index);
  summary.set_topics(static_cast<std::uint32_t>(topics->topics.size()));
  bool failed = false;
  for (const TopicIssue& issue : topics->issues) {
    summary.add_problems(issue.ToString());
    failed = true;
  }
  std::vector<TopicQuery> queries;
  std::string field_list;
  for (const std::string& f : options.fields) field_list += (field_list.empty() ? "" : ",") + f;
  for (const Topic& topic : topics->topics) {
    const std::string location = options.topics_path + ":" + std::to_string(topic.line) + ": ";
    std::string query = NeutralizeQuery(TopicQueryText(topic, options.fields));
    if (query.empty()) {
      summary.add_problems(location + "topic " + topic.qid + " has no text in the fields " +
                           field_list + "; left out of the run");
      failed = true;
      continue;
    }
    if (query.size() > kMaxQueryBytes) {
      query = CutQuery(query, kMaxQueryBytes);
      summary.add_problems(location + "warning: the query of topic " + topic.qid + " is cut to " +
                           std::to_string(query.size()) + " bytes");
    }
    queries.push_back({topic.qid, std::move(query)});
  }
  // Problems with the topic file come first, before the queries run.
  for (const std::string& problem : summary.problems()) err << "dyad-eval run: " << problem << "\n";
  const int reported = summary.problems_size();

  // Open the run file first: a wrong path should not cost a whole run.
  std::ofstream file;
  if (options.out != "-") {
    file.open(options.out, std::ios::binary | std::ios::trunc);
    if (!file) {
      err << "dyad-eval run: cannot create " << options.out << "\n";
      return kExitInputError;
    }
  }

  std::unique_ptr<ProgressBar> bar;
  if (!quiet && isatty(STDERR_FILENO)) bar = std::make_unique<ProgressBar>(queries.size(), err);
  const auto start = std::chrono::steady_clock::now();
  StatusOr<std::vector<TopicResult>> results =
      RunQueries(queries, options,
                 bar ? std::function<void()>([&] { bar->Advance(); }) : std::function<void()>());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!results.ok()) {
    err << "dyad-eval run: " << results.status().message() << "\n";
    return kExitInputError;
  }

  std::uint32_t searched = 0, with_results = 0;
  for (std::size_t i = 0; i < queries.size(); ++i) {
    const TopicResult& result = (*results)[i];
    if (!result.searched) {
      summary.add_problems("topic " + queries[i].qid + ": " +
                           (result.error.empty() ? "not searched" : result.error));
      failed = true;
      continue;
    }
    ++searched;
    if (!result.docs.empty()) ++with_results;
    for (const TopicResult::Doc& doc : result.docs) {
      if (doc.id.empty() || doc.id.find_first_of(" \t\r\n") != std::string::npos) {
        summary.add_problems("topic " + queries[i].qid + ": article id '" + doc.id +
                             "' is empty or has blanks and cannot be a TREC docno");
        failed = true;
      }
    }
  }
  for (int p = reported; p < summary.problems_size(); ++p) {
    err << "dyad-eval run: " << summary.problems(p) << "\n";
  }

  std::uint64_t lines = 0;
  std::ostream* summary_out = &out;
  if (options.out == "-") {
    lines = WriteTrecRun(queries, *results, options.tag, out);
    out.flush();
    summary_out = &err;
    if (!out) {
      err << "dyad-eval run: cannot write the run to standard output\n";
      return kExitInputError;
    }
  } else {
    lines = WriteTrecRun(queries, *results, options.tag, file);
    file.close();
    if (!file) {
      err << "dyad-eval run: cannot write " << options.out << "\n";
      return kExitInputError;
    }
  }
  summary.set_topics_searched(searched);
  summary.set_topics_with_results(with_results);
  summary.set_lines(lines);
  summary.set_seconds(seconds);
  summary.set_queries_per_second(seconds > 0 ? searched / seconds : 0);
  if (json) {
    std::string text;
    google::protobuf::util::JsonPrintOptions print;
    print.preserve_proto_field_names = true;
    print.always_print_primitive_fields = true;
    (void)google::protobuf::util::MessageToJsonString(summary, &text, print);
    *summary_out << text << "\n";
  } else {
    char rate[64];
    std::snprintf(rate, sizeof rate, "%.2f s (%.1f topics/s)", seconds,
                  summary.queries_per_second());
    *summary_out << "dyad-eval run: " << summary.topics() << " topics, " << searched
                 << " searched, " << with_results << " with results; " << lines << " lines in "
                 << options.out << "; " << rate << "\n";
  }
  summary_out->flush();
  return failed ? kExitInputError : kExitOk;
}

}  // namespace dyad::eval
