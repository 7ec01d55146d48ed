#pragma once

#include "agent/runtime/heartbeat.hpp"

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace clubsafe::agent::runtime {

// The heartbeats of the agent's long-running threads, each with how long it may stay silent.
// feedIfAllProgressing() runs from the stuck-source check: it feeds systemd's watchdog only
// while every thread has beaten within its limit, so a stuck thread (the uploader, the DNS
// filter, the policy fetch, the notice socket...) makes systemd restart the agent.
class ProgressBoard {
 public:
  explicit ProgressBoard(std::function<void()> feedWatchdog);

  // `heartbeat` must outlive the board's use of it (the services are stopped first). A limit
  // below two kBeatEvery is raised to that.
  void watch(std::string name, const Heartbeat& heartbeat, std::chrono::milliseconds limit);

  // Feeds the watchdog when no thread is late; logs a thread once when it becomes late and
  // once when it makes progress again.
  void feedIfAllProgressing(Heartbeat::Clock::time_point now = Heartbeat::Clock::now());

 private:
  struct Watched {
    std::string name;
    const Heartbeat* heartbeat;
    std::chrono::milliseconds limit;
    bool reported = false;
  };

  std::function<void()> feedWatchdog_;
  std::mutex mutex_;
  std::vector<Watched> watched_;
};

}  // namespace clubsafe::agent::runtime
