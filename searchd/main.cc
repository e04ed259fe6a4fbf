// dyad-searchd: serves a Dyad index over the binary protocol.
#include <boost/asio.hpp>
#include <charconv>
#include <csignal>
#include <functional>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "core/analyzer.h"
#include "searchd/server.h"
#include "searchd/worker_pool.h"

namespace {

constexpr char kUsage[] = R"(Usage: dyad-searchd --index DIR [--listen HOST:PORT] [--threads N]
                    [--max-frame-bytes N] [--max-connections N]

Serves the Dyad index in DIR. Requests are length-prefixed dyad.v1.Envelope frames (see
docs/protocol.md). Binds 127.0.0.1:7700 by default; port 0 picks a free port. Once listening it
prints one line to standard output:
  dyad-searchd: listening on HOST:PORT
SIGTERM or SIGINT stops it cleanly: it stops accepting, answers what is already queued, exits 0.
SIGHUP reopens the index (each worker before its next request; requests already running finish
on the old one). Commits to the index, a replaced stub file and a switched symlink are also
noticed without a signal, before each request. DIR may be a Xapian stub file listing local
shards and remote ones served by xapian-tcpsrv (see docs/architecture.md, "Operations").

Options:
  --index DIR            index built by dyad-index (required)
  --listen HOST:PORT     address to bind (default 127.0.0.1:7700)
  --threads N            query worker threads, each with its own database handle
                         (default: number of cores)
  --max-frame-bytes N    largest request frame accepted (default 4194304)
  --max-connections N    simultaneous connections (default 256)

Example:
  dyad-searchd --index build/index --listen 127.0.0.1:7700
)";

int Usage(const std::string& problem) {
  std::cerr << "dyad-searchd: " << problem << "\n\n" << kUsage;
  return 2;
}

template <typename T>
bool ParseNumber(const std::string& text, T* out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string index;
  std::string listen = "127.0.0.1:7700";
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  dyad::ServerOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const auto value = [&]() -> const std::string* {
      return i + 1 < args.size() ? &args[++i] : nullptr;
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--index") {
      const std::string* v = value();
      if (v == nullptr) return Usage("--index needs a directory");
      index = *v;
    } else if (arg == "--listen") {
      const std::string* v = value();
      if (v == nullptr) return Usage("--listen needs HOST:PORT");
      listen = *v;
    } else if (arg == "--threads") {
      const std::string* v = value();
      if (v == nullptr || !ParseNumber(*v, &threads) || threads < 1 || threads > 256) {
        return Usage("--threads needs a number from 1 to 256");
      }
    } else if (arg == "--max-frame-bytes") {
      const std::string* v = value();
      if (v == nullptr || !ParseNumber(*v, &options.max_frame_size) ||
          options.max_frame_size < 16) {
        return Usage("--max-frame-bytes needs a number of at least 16");
      }
    } else if (arg == "--max-connections") {
      const std::string* v = value();
      if (v == nullptr || !ParseNumber(*v, &options.max_connections) ||
          options.max_connections < 1) {
        return Usage("--max-connections needs a positive number");
      }
    } else {
      return Usage("unknown argument '" + arg + "'");
    }
  }
  if (index.empty()) return Usage("--index DIR is required");
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos || !ParseNumber(listen.substr(colon + 1), &options.port)) {
    return Usage("--listen needs HOST:PORT, e.g. 127.0.0.1:7700");
  }
  options.host = listen.substr(0, colon);
  if (options.host.size() > 2 && options.host.front() == '[') {  // [::1]:7700
    options.host = options.host.substr(1, options.host.size() - 2);
  }

  dyad::StatusOr<dyad::Analyzer> analyzer = dyad::Analyzer::Create();
  if (!analyzer.ok()) {
    std::cerr << "dyad-searchd: " << analyzer.status().message() << "\n";
    return 1;
  }
  auto enricher = dyad::Enricher::Load(*analyzer);
  if (!enricher.ok()) {
    std::cerr << "dyad-searchd: " << enricher.status().message() << "\n";
    return 1;
  }
  dyad::StatusOr<std::unique_ptr<dyad::WorkerPool>> workers =
      dyad::WorkerPool::Start(threads, [&] { return dyad::QueryService::Open(index, **enricher); });
  if (!workers.ok()) {
    std::cerr << "dyad-searchd: " << workers.status().message() << "\n";
    return 1;
  }

  boost::asio::io_context io;
  dyad::Server server(io, **workers, options);
  if (dyad::Status s = server.Start(); !s.ok()) {
    std::cerr << "dyad-searchd: " << s.message() << "\n";
    return 1;
  }
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& error, int signal) {
    if (error) return;
    std::cerr << "dyad-searchd: signal " << signal << ", stopping\n";
    server.Stop();
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
  std::cout << "dyad-searchd: listening on " << options.host << ":" << server.port() << " (index "
            << index << ", " << threads << " worker threads)" << std::endl;
  io.run();
  return 0;
}
