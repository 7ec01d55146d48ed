#include "agent/tamper/tamper_watch.hpp"

namespace clubsafe::agent::tamper {

TamperWatch::TamperWatch(const TamperWatchOptions& options, const std::string& stateDir,
                         RunMarker& marker, const platform::Clocks& clocks)
    : interval_(options.interval),
      marker_(marker),
      hosts_(options.hostsFile, stateDir),
      clock_(clocks, options.clockJumpThreshold) {}

std::vector<common::Event> TamperWatch::poll() {
  std::vector<common::Event> events;
  for (auto event : {marker_.takeUncleanStop(), hosts_.check(), clock_.check()}) {
    if (event) events.push_back(std::move(*event));
  }
  marker_.touch();
  return events;
}

}  // namespace clubsafe::agent::tamper
