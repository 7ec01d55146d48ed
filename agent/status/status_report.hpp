#pragma once

#include "common/event.hpp"

#include <chrono>
#include <string>

namespace clubsafe::agent::status {

// What `clubsafe-agent status` prints: enrolled or not, what waits in the outbox and since
// when, the last successful upload and the last error, in plain words. Reads the outbox
// without writing, so it works beside a running daemon. Throws CredentialsError or
// OutboxError with what to do when the state directory cannot be read.
[[nodiscard]] std::string statusReport(const std::string& stateDir, common::Timestamp now);

// "3 minutes", "2 hours": how long ago, rounded down to the largest whole unit.
[[nodiscard]] std::string describeAge(std::chrono::milliseconds age);

}  // namespace clubsafe::agent::status
