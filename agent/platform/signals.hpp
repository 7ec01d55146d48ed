#pragma once

namespace clubsafe::agent::platform {

// Blocks the signals that ask the agent to stop (SIGINT, SIGQUIT, SIGTERM) in the calling
// thread. Threads started afterwards inherit the block, so the signal waits for
// ServerApplication::waitForTerminationRequest instead of killing the process mid-write in
// whichever worker thread it happened to land on.
void blockTerminationSignals();

}  // namespace clubsafe::agent::platform
