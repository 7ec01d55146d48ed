#include "common/repeat_limit_sink.hpp"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <utility>

namespace clubsafe::common {
namespace {

std::string windowKey(const spdlog::details::log_msg& message) {
  std::string key(1, static_cast<char>('0' + static_cast<int>(message.level)));
  key.append(message.payload.data(), message.payload.size());
  return key;
}

long long wholeSecondsRoundedUp(spdlog::log_clock::duration elapsed) {
  return std::max<long long>(1, std::chrono::ceil<std::chrono::seconds>(elapsed).count());
}

}  // namespace

RepeatLimitSink::RepeatLimitSink(std::vector<spdlog::sink_ptr> sinks, RepeatLimit limit,
                                 Clock clock)
    : dist_sink(std::move(sinks)), limit_(limit), clock_(std::move(clock)) {
  limit_.linesPerWindow = std::max<std::size_t>(limit_.linesPerWindow, 1);
  limit_.trackedLines = std::max<std::size_t>(limit_.trackedLines, 1);
}

void RepeatLimitSink::sink_it_(const spdlog::details::log_msg& message) {
  closeWindowsEndedBy(message.time);
  auto key = windowKey(message);
  if (auto* window = windows_.find(key)) {
    if (window->written == limit_.linesPerWindow) {
      ++window->heldBack;
      return;
    }
    ++window->written;
  } else {
    if (windows_.size() >= limit_.trackedLines) closeOldestWindow(message.time);
    windows_.addNewest(
        std::move(key),
        {.start = message.time,
         .level = message.level,
         .loggerName = std::string(message.logger_name.data(), message.logger_name.size()),
         .text = std::string(message.payload.data(), message.payload.size()),
         .written = 1});
  }
  dist_sink::sink_it_(message);
}

void RepeatLimitSink::flush_() {
  closeWindowsEndedBy(clock_());
  dist_sink::flush_();
}

void RepeatLimitSink::closeWindowsEndedBy(spdlog::log_clock::time_point now) {
  while (const auto* oldest = windows_.oldest()) {
    if (now - oldest->second.start < limit_.window) return;
    closeOldestWindow(now);
  }
}

void RepeatLimitSink::closeOldestWindow(spdlog::log_clock::time_point now) {
  const auto* oldest = windows_.oldest();
  if (oldest == nullptr) return;
  const auto& window = oldest->second;
  if (window.heldBack > 0) {
    const auto summary = fmt::format("{} (repeated {} more times in the last {} s)", window.text,
                                     window.heldBack, wholeSecondsRoundedUp(now - window.start));
    dist_sink::sink_it_(
        spdlog::details::log_msg(now, {}, window.loggerName, window.level, summary));
  }
  windows_.eraseOldest();
}

}  // namespace clubsafe::common
