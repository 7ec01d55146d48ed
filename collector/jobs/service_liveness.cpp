#include "collector/jobs/service_liveness.hpp"

#include "common/service_notify.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace clubsafe::collector {

ServiceLiveness::ServiceLiveness(std::vector<Check> checks)
    : checks_(std::move(checks)), failing_(checks_.size(), false) {}

bool ServiceLiveness::feedIfAlive() {
  bool alive = true;
  for (std::size_t i = 0; i < checks_.size(); ++i) {
    try {
      checks_[i].run();
      if (failing_[i]) spdlog::info("Working again: {}.", checks_[i].what);
      failing_[i] = false;
    } catch (const std::exception& error) {
      if (!failing_[i]) {
        spdlog::warn(
            "The check that {} failed ({}); systemd restarts the collector if it "
            "keeps failing.",
            checks_[i].what, error.what());
      }
      failing_[i] = true;
      alive = false;
    }
  }
  if (alive) common::notifyServiceAlive();
  return alive;
}

}  // namespace clubsafe::collector
