#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace clubsafe::agent::platform {

// One login as the operating system's session manager knows it (Linux: systemd-logind).
struct LoginSession {
  std::string id;         // the session manager's name for it, e.g. "2" or "c1"
  std::uint32_t uid = 0;  // whose it is
  std::string user;       // that user's login name
  std::string type;       // "x11", "wayland", "tty", "mir" or "unspecified"
  std::string display;    // the X11 display, e.g. ":0"; empty when there is none
  std::string state;      // "online", "active" or "closing"
  bool remote = false;    // over the network (ssh, remote desktop)

  bool operator==(const LoginSession&) const = default;
};

// The people's sessions open now: login screens and other sessions that are not someone
// logged in (logind's classes greeter, lock-screen, background) are left out.
class LoginSessions {
 public:
  virtual ~LoginSessions() = default;
  [[nodiscard]] virtual std::vector<LoginSession> list() = 0;
};

// Whether `uid` has one of `sessions` open (not closing).
[[nodiscard]] inline bool hasOpenSession(const std::vector<LoginSession>& sessions,
                                         std::uint32_t uid) {
  for (const auto& session : sessions) {
    if (session.uid == uid && session.state != "closing") return true;
  }
  return false;
}

// systemd-logind, read through sd-login (files under /run/systemd, no D-Bus round trip), so
// listing once a second costs little. Without logind the list is empty.
[[nodiscard]] std::unique_ptr<LoginSessions> makeLoginSessions();

}  // namespace clubsafe::agent::platform
