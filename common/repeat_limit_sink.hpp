#pragma once

#include "common/recency_map.hpp"

#include <spdlog/sinks/dist_sink.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace clubsafe::common {

struct RepeatLimit {
  std::size_t linesPerWindow = 5;  // times the same line is written in one window (at least 1)
  std::chrono::seconds window{60};
  std::size_t trackedLines = 256;  // different lines remembered at once
};

// Passes log lines on to the sinks it wraps, except that the same text at the same level is
// written at most `linesPerWindow` times in a window that starts with its first appearance.
// When the window ends, one more line says how often it was held back: "<text> (repeated N
// more times in the last M s)". Repeats need not follow each other, so a flood interleaved
// with other lines is still cut short (spdlog's dup_filter_sink only drops a line identical to
// the one just before, and tells the count only when a different line comes).
//
// Windows are closed when a later line arrives or the sink is flushed (setupLogging flushes
// every few seconds), so a count is never held back for long after a flood stops.
class RepeatLimitSink : public spdlog::sinks::dist_sink<std::mutex> {
 public:
  using Clock = std::function<spdlog::log_clock::time_point()>;

  RepeatLimitSink(std::vector<spdlog::sink_ptr> sinks, RepeatLimit limit,
                  Clock clock = spdlog::log_clock::now);

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override;
  void flush_() override;

 private:
  struct Window {
    spdlog::log_clock::time_point start;
    spdlog::level::level_enum level = spdlog::level::info;
    std::string loggerName;
    std::string text;
    std::size_t written = 0;
    std::size_t heldBack = 0;
  };

  void closeWindowsEndedBy(spdlog::log_clock::time_point now);
  void closeOldestWindow(spdlog::log_clock::time_point now);

  RepeatLimit limit_;
  Clock clock_;
  RecencyMap<Window> windows_;  // oldest window first
};

}  // namespace clubsafe::common
