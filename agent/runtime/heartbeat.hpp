#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace clubsafe::agent::runtime {

// When a long-running loop last made progress. The loop beats at each turn and while it waits
// (waitBeating), so a heartbeat that stays silent means the loop is stuck in one operation;
// the watchdog (progress_board.hpp) reads it from another thread.
class Heartbeat {
 public:
  using Clock = std::chrono::steady_clock;

  Heartbeat() { beat(); }

  void beat() noexcept {
    last_.store(Clock::now().time_since_epoch().count(), std::memory_order_relaxed);
  }
  [[nodiscard]] Clock::duration silentFor(Clock::time_point now) const noexcept {
    return now - Clock::time_point(Clock::duration(last_.load(std::memory_order_relaxed)));
  }

 private:
  std::atomic<Clock::rep> last_{0};
};

// Longest a waiting loop goes without a beat.
inline constexpr std::chrono::seconds kBeatEvery{5};

// condition_variable::wait_until(lock, deadline, stop), beating `heartbeat` before it and at
// least every kBeatEvery while it waits. Returns stop() as the wait ends.
template <typename Stop>
bool waitBeating(std::condition_variable& wake, std::unique_lock<std::mutex>& lock,
                 Heartbeat::Clock::time_point deadline, Heartbeat& heartbeat, Stop stop) {
  for (;;) {
    heartbeat.beat();
    const auto now = Heartbeat::Clock::now();
    if (now >= deadline) return stop();
    if (wake.wait_until(lock, std::min(deadline, now + kBeatEvery), stop)) return true;
  }
}

template <typename Stop>
bool waitBeating(std::condition_variable& wake, std::unique_lock<std::mutex>& lock,
                 Heartbeat::Clock::duration wait, Heartbeat& heartbeat, Stop stop) {
  return waitBeating(wake, lock, Heartbeat::Clock::now() + wait, heartbeat, stop);
}

}  // namespace clubsafe::agent::runtime
