#pragma once

#include "agent/platform/login_sessions.hpp"
#include "agent/sources/source.hpp"

#include <map>
#include <string>

namespace clubsafe::agent::sources {

// Sessions (SPEC R4): a session event with action "login" when a person's session appears in the
// session manager's list and "logout" when it goes; the OS user is the event's os_user, and
// nothing else about the person is recorded. Sessions open when the agent starts are reported as
// logins at its first poll, so a session is never missing from the record (after an agent
// restart the collector may see a second login for the same session_id).
class SessionSource : public Source {
 public:
  SessionSource(std::chrono::milliseconds interval, platform::LoginSessions& sessions);

  [[nodiscard]] std::string_view name() const override { return "sessions"; }
  [[nodiscard]] std::chrono::milliseconds interval() const override { return interval_; }
  [[nodiscard]] std::vector<common::Event> poll() override;

 private:
  std::chrono::milliseconds interval_;
  platform::LoginSessions& sessions_;
  std::map<std::string, std::string> open_;  // session id -> user
};

}  // namespace clubsafe::agent::sources
