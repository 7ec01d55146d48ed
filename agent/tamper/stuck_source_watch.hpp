#pragma once

#include "agent/sources/source.hpp"
#include "agent/sources/source_scheduler.hpp"

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace clubsafe::agent::tamper {

// Sources that read what a young person can write (browser history, desktop entries) or wait on
// their X server run on schedulers of their own, so a hostile file can stop only that source.
// This watch, polled on another scheduler, reports a source whose poll has not finished within
// `limit`: one `source_stuck` tamper event and an error in the log each time one gets stuck,
// and a line in the log when it finishes again. The rest of the agent keeps running meanwhile.
// `whileNoneStuck` runs after each poll that found every watched scheduler (and, since the poll
// ran, its own) making progress: it feeds systemd's watchdog, so a source stuck past `limit`
// makes systemd restart the agent after WatchdogSec, once its tamper event is in the outbox.
class StuckSourceWatch : public sources::Source {
 public:
  StuckSourceWatch(
      std::vector<const sources::SourceScheduler*> watched, std::chrono::milliseconds limit,
      std::chrono::milliseconds interval, std::function<void()> whileNoneStuck = [] {});

  [[nodiscard]] std::string_view name() const override { return "stuck source checks"; }
  [[nodiscard]] std::chrono::milliseconds interval() const override { return interval_; }
  [[nodiscard]] std::vector<common::Event> poll() override;

 private:
  struct Watched {
    const sources::SourceScheduler* scheduler;
    std::string reported;  // the source reported stuck and not yet finished; empty: none
  };

  std::vector<Watched> watched_;
  std::chrono::milliseconds limit_;
  std::chrono::milliseconds interval_;
  std::function<void()> whileNoneStuck_;
};

}  // namespace clubsafe::agent::tamper
