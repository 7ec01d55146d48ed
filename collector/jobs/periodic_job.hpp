#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace clubsafe::collector {

// Runs `work` at once and then every `interval` on a thread of its own, until destroyed (which
// waits for a run in progress). A run that throws is logged as an error naming `what` and tried
// again at the next interval.
class PeriodicJob {
 public:
  PeriodicJob(std::string what, std::chrono::milliseconds interval, std::function<void()> work);
  ~PeriodicJob();
  PeriodicJob(const PeriodicJob&) = delete;
  PeriodicJob& operator=(const PeriodicJob&) = delete;

 private:
  void run();

  std::string what_;
  std::chrono::milliseconds interval_;
  std::function<void()> work_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace clubsafe::collector
