#pragma once

#include "agent/sources/source.hpp"

#include <chrono>
#include <thread>

namespace clubsafe::agent::tamper {

// For tests only (the setting recording.test_stuck_for): a recording source whose look takes
// that long, as one reading a hostile file might, so the source_stuck report and systemd's
// watchdog can be seen working on a real system (tests/system/).
class SlowTestSource final : public sources::Source {
 public:
  explicit SlowTestSource(std::chrono::milliseconds lookTakes) : lookTakes_(lookTakes) {}

  [[nodiscard]] std::string_view name() const override { return "test source"; }
  [[nodiscard]] std::chrono::milliseconds interval() const override { return lookTakes_; }
  [[nodiscard]] std::vector<common::Event> poll() override {
    std::this_thread::sleep_for(lookTakes_);
    return {};
  }

 private:
  std::chrono::milliseconds lookTakes_;
};

}  // namespace clubsafe::agent::tamper
