#include "searchd/worker_pool.h"

#include <iostream>

namespace dyad {

StatusOr<std::unique_ptr<WorkerPool>> WorkerPool::Start(int threads, const ServiceFactory& open) {
  if (threads < 1) return InvalidArgument("a worker pool needs at least one thread");
  std::unique_ptr<WorkerPool> pool(new WorkerPool());
  for (int i = 0; i < threads; ++i) {
    StatusOr<std::unique_ptr<QueryService>> service = open();
    if (!service.ok()) return service.status();
    pool->services_.push_back(std::move(*service));
  }
  for (auto& service : pool->services_) {
    pool->threads_.emplace_back([p = pool.get(), s = service.get()] { p->Run(*s); });
  }
  return pool;
}

WorkerPool::~WorkerPool() { Stop(); }

void WorkerPool::Submit(Job job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    jobs_.push_back(std::move(job));
  }
  ready_.notify_one();
}

void WorkerPool::Reload() { generation_.fetch_add(1, std::memory_order_release); }

void WorkerPool::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void WorkerPool::Run(QueryService& service) {
  std::uint64_t generation = generation_.load(std::memory_order_acquire);
  while (true) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // Stopping and drained.
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    if (const std::uint64_t now = generation_.load(std::memory_order_acquire); now != generation) {
      generation = now;
      if (Status s = service.Reload(); !s.ok()) {
        std::cerr << "dyad-searchd: reload failed, still serving the previous index: "
                  << s.message() << "\n";
      }
    }
    job(service);
  }
}

}  // namespace dyad
