#include "agent/tamper/clock_watch.hpp"

#include "agent/protection/tamper_event.hpp"
#include "common/time.hpp"

namespace clubsafe::agent::tamper {
namespace {

std::string wallTime(std::chrono::nanoseconds sinceEpoch) {
  return common::formatTimestamp(
      common::Timestamp(std::chrono::duration_cast<std::chrono::milliseconds>(sinceEpoch)));
}

}  // namespace

ClockWatch::ClockWatch(const platform::Clocks& clocks, std::chrono::milliseconds threshold)
    : clocks_(clocks), threshold_(threshold) {}

std::optional<common::Event> ClockWatch::check() {
  const auto now = clocks_.read();
  const auto last = std::exchange(last_, now);
  if (!last) return std::nullopt;
  const auto jump = (now.wall - last->wall) - (now.sinceBoot - last->sinceBoot);
  if (std::chrono::abs(jump) < threshold_) return std::nullopt;
  const auto seconds = std::chrono::round<std::chrono::seconds>(std::chrono::abs(jump)).count();
  return protection::tamperEvent(
      "clock_jump", std::string("The wall clock was set ") +
                        (jump.count() > 0 ? "forward" : "back") + " by " + std::to_string(seconds) +
                        " s against the time since boot: it read " + wallTime(last->wall) +
                        " at the previous check and now reads " + wallTime(now.wall) + ".");
}

}  // namespace clubsafe::agent::tamper
