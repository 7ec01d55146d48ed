#pragma once

#include "agent/sources/source.hpp"

#include <cstdint>
#include <functional>

namespace clubsafe::agent::sources {

// Tells the collector the agent is alive, how long it has run and how much is waiting to be
// sent, so the console can show coverage and queue lag.
class HeartbeatSource : public Source {
 public:
  HeartbeatSource(std::chrono::milliseconds interval, std::function<std::int64_t()> queueDepth);

  [[nodiscard]] std::string_view name() const override { return "heartbeat"; }
  [[nodiscard]] std::chrono::milliseconds interval() const override { return interval_; }
  [[nodiscard]] std::vector<common::Event> poll() override;

 private:
  std::chrono::milliseconds interval_;
  std::function<std::int64_t()> queueDepth_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace clubsafe::agent::sources
