#pragma once

#include "agent/enrolment/credentials.hpp"
#include "agent/outbox/outbox.hpp"
#include "agent/runtime/progress_board.hpp"
#include "common/settings.hpp"

#include <chrono>
#include <stdexcept>
#include <string>

// The assembly files (one per subsystem) read their subsystem's settings, build its objects and
// add its threads and system changes to the agent's ServiceGroup (agent_assembly.hpp).
namespace clubsafe::agent::assembly {

// What every subsystem is built on: the settings, the enrolment, the outbox and the board the
// long-running threads report their progress to.
struct AgentCore {
  const common::Settings& settings;
  std::string stateDir;
  const enrolment::Credentials& credentials;
  outbox::Outbox& outbox;
  runtime::ProgressBoard& progress;

  // How long a recording source, or any other thread, may be stuck in one turn.
  [[nodiscard]] std::chrono::milliseconds stuckAfter() const {
    return settings.duration("recording.stuck_after");
  }
};

// A setting the agent cannot run with; the message names it and says what it should be.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace clubsafe::agent::assembly
