#include "agent/tamper/stuck_source_watch.hpp"

#include "agent/protection/tamper_event.hpp"

#include <spdlog/spdlog.h>

#include <utility>

namespace clubsafe::agent::tamper {

StuckSourceWatch::StuckSourceWatch(std::vector<const sources::SourceScheduler*> watched,
                                   std::chrono::milliseconds limit,
                                   std::chrono::milliseconds interval,
                                   std::function<void()> whileNoneStuck)
    : limit_(limit), interval_(interval), whileNoneStuck_(std::move(whileNoneStuck)) {
  for (const auto* scheduler : watched) watched_.push_back({scheduler, {}});
}

std::vector<common::Event> StuckSourceWatch::poll() {
  std::vector<common::Event> events;
  bool noneStuck = true;
  for (auto& watched : watched_) {
    const auto busy = watched.scheduler->busyLongerThan(limit_);
    if (!busy) {
      if (!watched.reported.empty()) {
        spdlog::info("Recording {} has finished again after being stuck.", watched.reported);
        watched.reported.clear();
      }
      continue;
    }
    noneStuck = false;
    if (watched.reported == busy->source) continue;
    watched.reported = std::string(busy->source);
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(busy->running).count();
    const auto detail = "Recording " + watched.reported + " has not finished for " +
                        std::to_string(seconds) +
                        " seconds, so it records nothing until it does; the filter and the rest "
                        "of the agent keep working. A file a user can change may be the cause: "
                        "see the agent's log on this laptop.";
    spdlog::error("{}", detail);
    events.push_back(protection::tamperEvent("source_stuck", detail));
  }
  if (noneStuck) whileNoneStuck_();
  return events;
}

}  // namespace clubsafe::agent::tamper
