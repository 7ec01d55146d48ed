#pragma once

#include "tests/integration/harness.hpp"

#include <memory>
#include <string>
#include <vector>

// A graphical session for tests, from Debian's packages: Xvfb on a display it chooses, a private
// D-Bus session bus, the Openbox window manager and the dunst notification service. Programs
// started after it (ChildProcess) inherit DISPLAY and DBUS_SESSION_BUS_ADDRESS.
namespace clubsafe::testing {

// What the desktop needs that is missing, or empty when everything is installed.
[[nodiscard]] std::string missingDesktopPrograms();

class Desktop {
 public:
  explicit Desktop(const TempDir& dir);
  // SIGTERM to each, in the reverse order, so Xvfb removes its lock file and socket.
  ~Desktop();
  Desktop(const Desktop&) = delete;
  Desktop& operator=(const Desktop&) = delete;

  [[nodiscard]] const std::string& display() const { return display_; }

  // The id of the first visible window whose whole title is `title` (plain text, not a pattern),
  // waiting up to 20 s; empty when there is none by then.
  [[nodiscard]] std::string waitForWindow(const std::string& title) const;
  // Whether a visible window has this title now.
  [[nodiscard]] bool windowShown(const std::string& title) const;
  // Waits up to 10 s for the window with this whole title to have the keyboard.
  [[nodiscard]] bool waitUntilActive(const std::string& title) const;
  // Presses Alt+Tab (the window manager's switcher) until that window has the keyboard.
  [[nodiscard]] bool switchTo(const std::string& title) const;
  // Key presses (xdotool names: "Return", "Tab", "alt+m") and typed text, to the focused window.
  void keys(const std::vector<std::string>& keys) const;
  void type(const std::string& text) const;
  // The whole screen as a PNG.
  void screenshot(const std::string& file) const;
  // Notifications dunst is showing now.
  [[nodiscard]] int notificationsShown() const;
  // Presses the newest notification's default action, as dunst's "do action" key does.
  void invokeNotification() const;

 private:
  [[nodiscard]] std::string activeTitle() const;

  std::string display_;
  std::unique_ptr<ChildProcess> xvfb_;
  std::unique_ptr<ChildProcess> bus_;
  std::unique_ptr<ChildProcess> windowManager_;
  std::unique_ptr<ChildProcess> notifications_;
};

}  // namespace clubsafe::testing
