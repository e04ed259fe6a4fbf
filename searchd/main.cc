// dyad-searchd: serves a Dyad index over the binary protocol and, with --http, HTTP/JSON.
#include <boost/asio.hpp>
#include <csignal>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "core/analyzer.h"
#include "core/version.h"
#include "searchd/config.h"
#include "searchd/http_server.h"
#include "searchd/server.h"
#include "searchd/worker_pool.h"

namespace {

int Usage(const std::string& problem) {
  std::cerr << "dyad-searchd: " << problem << "\n(dyad-searchd --help lists the options)\n";
  return 2;
}

int Fail(const std::string& problem) {
  std::cerr << "dyad-searchd: " << problem << "\n";
  return 1;
}

bool IsLoopback(const std::string& host) {
  return host == "127.0.0.1" || host == "::1" || host == "localhost" || host.starts_with("127.");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::string(argv[1]) == "--version") {
    std::cout << "dyad-searchd (Dyad) " << dyad::Version() << "\n";
    return 0;
  }
  dyad::StatusOr<dyad::SearchdCommandLine> command_line =
      dyad::ParseSearchdCommandLine(std::vector<std::string>(argv + 1, argv + argc));
  if (!command_line.ok()) return Usage(command_line.status().message());
  if (command_line->help) {
    std::cout << dyad::SearchdUsage();
    return 0;
  }
  dyad::StatusOr<dyad::SearchdSettings> settings =
      dyad::ResolveSearchdSettings(command_line->config);
  if (!settings.ok()) return Usage(settings.status().message());

  dyad::StatusOr<dyad::Analyzer> analyzer = dyad::Analyzer::Create();
  if (!analyzer.ok()) return Fail(analyzer.status().message());
  auto enricher = dyad::Enricher::Load(*analyzer);
  if (!enricher.ok()) return Fail(enricher.status().message());
  dyad::StatusOr<std::unique_ptr<dyad::WorkerPool>> workers = dyad::WorkerPool::Start(
      settings->threads,
      [&] { return dyad::QueryService::Open(settings->index, **enricher, settings->limits); });
  if (!workers.ok()) return Fail(workers.status().message());

  dyad::Metrics metrics;
  dyad::RequestLog log(settings->log_format, settings->quiet);
  boost::asio::io_context io;
  settings->binary.metrics = &metrics;
  settings->binary.log = &log;
  dyad::Server server(io, **workers, settings->binary);
  if (dyad::Status s = server.Start(); !s.ok()) return Fail(s.message());
  std::optional<dyad::HttpServer> http;
  if (settings->http) {
    settings->http->metrics = &metrics;
    settings->http->log = &log;
    http.emplace(io, **workers, *settings->http);
    if (dyad::Status s = http->Start(); !s.ok()) return Fail(s.message());
  }
  const bool open_to_network =
      !IsLoopback(settings->binary.host) || (http && !IsLoopback(settings->http->host));
  if (open_to_network && settings->binary.token.empty()) {
    std::cerr << "dyad-searchd: warning: listening beyond loopback without --token-file; anyone "
                 "who can reach the port can query the index\n";
  }

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& error, int signal) {
    if (error) return;
    std::cerr << "dyad-searchd: signal " << signal << ", stopping\n";
    server.Stop();
    if (http) http->Stop();
    (*workers)->Stop();
    io.stop();
  });
  // SIGHUP: every worker reopens the index before its next request (a new stub or symlink
  // target, reconnected remote shards). Commits to a watched index are picked up without it.
  boost::asio::signal_set hangups(io, SIGHUP);
  std::function<void(const boost::system::error_code&, int)> on_hangup =
      [&](const boost::system::error_code& error, int) {
        if (error) return;
        std::cerr << "dyad-searchd: SIGHUP, reopening the index\n";
        (*workers)->Reload();
        hangups.async_wait(on_hangup);
      };
  hangups.async_wait(on_hangup);
  std::cout << "dyad-searchd: listening on " << settings->binary.host << ":" << server.port()
            << " (index " << settings->index << ", " << settings->threads << " worker threads)"
            << std::endl;
  if (http) {
    std::cout << "dyad-searchd: http listening on " << settings->http->host << ":" << http->port()
              << std::endl;
  }
  io.run();
  return 0;
}
