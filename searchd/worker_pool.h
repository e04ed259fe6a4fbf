// A fixed pool of threads, each owning its own QueryService (Xapian objects are not
// thread-safe, so no two threads ever share a database handle).
#ifndef DYAD_SEARCHD_WORKER_POOL_H_
#define DYAD_SEARCHD_WORKER_POOL_H_

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/status.h"
#include "searchd/query_service.h"

namespace dyad {

class WorkerPool {
 public:
  using Job = std::function<void(QueryService&)>;
  using ServiceFactory = std::function<StatusOr<std::unique_ptr<QueryService>>()>;

  // Creates one QueryService per thread with `open` (on the calling thread, so a broken index
  // is reported before any thread starts), then starts the threads.
  static StatusOr<std::unique_ptr<WorkerPool>> Start(int threads, const ServiceFactory& open);

  ~WorkerPool();  // Stop()s.

  // Queues a job; one of the threads runs it with its own QueryService. Thread-safe. Jobs
  // submitted after Stop() are dropped.
  void Submit(Job job);

  // Asks every worker to reopen the index (QueryService::Reload) before its next job, e.g. on
  // SIGHUP. Jobs already running finish on the index they started with. Thread-safe and
  // async-signal-unsafe (call it from an Asio signal handler, not a raw one).
  void Reload();

  // Runs the jobs already queued, then joins the threads. Idempotent.
  void Stop();

  int size() const { return static_cast<int>(threads_.size()); }

 private:
  WorkerPool() = default;
  void Run(QueryService& service);

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Job> jobs_;
  bool stopping_ = false;
  std::atomic<std::uint64_t> generation_{0};  // Bumped by Reload().
  std::vector<std::unique_ptr<QueryService>> services_;
  std::vector<std::thread> threads_;
};

}  // namespace dyad

#endif  // DYAD_SEARCHD_WORKER_POOL_H_
