#include "collector/jobs/periodic_job.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace clubsafe::collector {

PeriodicJob::PeriodicJob(std::string what, std::chrono::milliseconds interval,
                         std::function<void()> work)
    : what_(std::move(what)),
      interval_(interval),
      work_(std::move(work)),
      thread_([this] { run(); }) {}

PeriodicJob::~PeriodicJob() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void PeriodicJob::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      work_();
    } catch (const std::exception& error) {
      spdlog::error("{} failed; it is tried again later: {}", what_, error.what());
    }
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace clubsafe::collector
