#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace clubsafe::collector {

// Runs jobs on a fixed number of threads, refusing new ones past a bound so that a flood of
// requests is answered "busy" at once instead of queueing without end.
class WorkerPool {
 public:
  WorkerPool(std::size_t threads, std::size_t maxQueued);
  // Finishes the jobs running; queued ones are dropped.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // False, and the job not run, when the queue is full.
  [[nodiscard]] bool submit(std::function<void()> job);

 private:
  void work();

  std::size_t maxQueued_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::jthread> threads_;
};

}  // namespace clubsafe::collector
