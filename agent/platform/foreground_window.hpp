#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clubsafe::agent::platform {

enum class DisplayOutcome {
  Window,       // a foreground window was found
  NoWindow,     // reachable, but no window has the focus or the window manager does not say
  Unreachable,  // no connection: the display is gone, refused us, or lacks what we need
};

struct ForegroundSample {
  DisplayOutcome outcome = DisplayOutcome::Unreachable;
  std::string application;  // the executable's file name, else the window's class; Window only
  std::string title;        // only when asked for; may be empty
  // Time since the last keyboard or mouse input; nullopt when the server cannot tell.
  std::optional<std::chrono::milliseconds> idle;
  std::string problem;  // why the display is Unreachable, in words for the log
};

// Looks at the focused window and the idle time of graphical sessions. Keeps one connection
// per display between samples; not thread-safe (one caller, the recording thread).
class ForegroundWindow {
 public:
  virtual ~ForegroundWindow() = default;
  // `display` is e.g. ":0"; `uid` is the session's user, whose X authority cookie lets us in.
  [[nodiscard]] virtual ForegroundSample sample(const std::string& display, std::uint32_t uid,
                                                bool withTitle) = 0;
  // Closes the connection to a display no longer needed (its session ended).
  virtual void forget(const std::string& display) = 0;
};

// X11 through libX11: _NET_ACTIVE_WINDOW, _NET_WM_PID, WM_CLASS, _NET_WM_NAME / WM_NAME, and the
// MIT-SCREEN-SAVER extension for idle time. The cookie is the first for the display's number in
// authorityFiles(uid); without one it connects with none (a server without access
// control, such as a test's Xvfb). X errors and a lost display never end the process.
// X authority files a user's X server may have given their session, most likely first:
// GDM's /run/user/UID/gdm/Xauthority, then ~/.Xauthority (LightDM, startx, SDDM's copy).
[[nodiscard]] std::vector<std::string> xauthorityCandidates(std::uint32_t uid);

using AuthorityFiles = std::function<std::vector<std::string>(std::uint32_t uid)>;
[[nodiscard]] std::unique_ptr<ForegroundWindow> makeForegroundWindow(
    AuthorityFiles authorityFiles = xauthorityCandidates);

}  // namespace clubsafe::agent::platform
