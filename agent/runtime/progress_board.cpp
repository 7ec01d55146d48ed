#include "agent/runtime/progress_board.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

namespace clubsafe::agent::runtime {

ProgressBoard::ProgressBoard(std::function<void()> feedWatchdog)
    : feedWatchdog_(std::move(feedWatchdog)) {}

void ProgressBoard::watch(std::string name, const Heartbeat& heartbeat,
                          std::chrono::milliseconds limit) {
  // A waiting thread beats only every kBeatEvery: a shorter limit would find it late while idle.
  const auto atLeast = std::chrono::duration_cast<std::chrono::milliseconds>(2 * kBeatEvery);
  const std::lock_guard lock(mutex_);
  watched_.push_back({std::move(name), &heartbeat, std::max(limit, atLeast)});
}

void ProgressBoard::feedIfAllProgressing(Heartbeat::Clock::time_point now) {
  bool allProgressing = true;
  {
    const std::lock_guard lock(mutex_);
    for (auto& watched : watched_) {
      const auto silent = watched.heartbeat->silentFor(now);
      const bool isLate = silent > watched.limit;
      allProgressing = allProgressing && !isLate;
      if (isLate && !watched.reported) {
        spdlog::error(
            "The agent's {} has made no progress for {} seconds; systemd's watchdog restarts "
            "the agent if it stays stuck.",
            watched.name, std::chrono::duration_cast<std::chrono::seconds>(silent).count());
      } else if (!isLate && watched.reported) {
        spdlog::info("The agent's {} is making progress again.", watched.name);
      }
      watched.reported = isLate;
    }
  }
  if (allProgressing) feedWatchdog_();
}

}  // namespace clubsafe::agent::runtime
