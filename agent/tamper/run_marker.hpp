#pragma once

#include "common/event.hpp"

#include <optional>
#include <string>

namespace clubsafe::agent::tamper {

// The file in the agent's state directory that exists while the agent runs.
[[nodiscard]] std::string runMarkerPath(const std::string& stateDir);

// Tells a clean stop from a kill, a crash or a power cut (R7): the marker file is written when
// the agent starts, touched at every tamper check, and removed when this goes away, which a
// clean stop does and SIGKILL, a crash or a power cut do not. Found at start, it means the last
// run did not stop cleanly, and its time says when that run was last seen alive. It holds the
// boot id, so a kill can be told from a laptop switched off without shutting down.
class RunMarker {
 public:
  // Throws platform::FileError naming the file when it cannot be written.
  explicit RunMarker(const std::string& stateDir);
  ~RunMarker();
  RunMarker(const RunMarker&) = delete;
  RunMarker& operator=(const RunMarker&) = delete;

  // The tamper event saying the previous run did not stop cleanly, the first time it is asked
  // for; nullopt after that, and when the previous run stopped cleanly.
  [[nodiscard]] std::optional<common::Event> takeUncleanStop();

  // Records that the agent is alive now.
  void touch();

 private:
  std::string path_;
  std::string bootId_;
  std::optional<common::Event> uncleanStop_;
};

}  // namespace clubsafe::agent::tamper
