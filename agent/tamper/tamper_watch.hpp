#pragma once

#include "agent/platform/clocks.hpp"
#include "agent/sources/source.hpp"
#include "agent/tamper/clock_watch.hpp"
#include "agent/tamper/hosts_watch.hpp"
#include "agent/tamper/run_marker.hpp"

#include <chrono>
#include <string>

namespace clubsafe::agent::tamper {

struct TamperWatchOptions {
  std::string hostsFile = "/etc/hosts";
  std::chrono::milliseconds interval = std::chrono::seconds(30);
  std::chrono::milliseconds clockJumpThreshold = std::chrono::seconds(120);
};

// The tamper checks the scheduler polls (R7): an unclean stop of the previous run (at the first
// poll), the hosts file changed, the wall clock set. Each poll also touches the run marker, so
// an unclean stop is reported with the time the agent was last seen alive.
class TamperWatch : public sources::Source {
 public:
  TamperWatch(const TamperWatchOptions& options, const std::string& stateDir, RunMarker& marker,
              const platform::Clocks& clocks);

  [[nodiscard]] std::string_view name() const override { return "tamper checks"; }
  [[nodiscard]] std::chrono::milliseconds interval() const override { return interval_; }
  [[nodiscard]] std::vector<common::Event> poll() override;

 private:
  std::chrono::milliseconds interval_;
  RunMarker& marker_;
  HostsWatch hosts_;
  ClockWatch clock_;
};

}  // namespace clubsafe::agent::tamper
