#include "agent/sources/session_source.hpp"

#include "common/time.hpp"

namespace clubsafe::agent::sources {
namespace {

common::Event sessionEvent(const std::string& action, const std::string& id,
                           const std::string& user, common::Timestamp now) {
  common::Event event;
  event.type = common::EventType::Session;
  event.time = now;
  event.osUser = user;
  event.payload->set("action", action);
  event.payload->set("session_id", id);
  return event;
}

}  // namespace

SessionSource::SessionSource(std::chrono::milliseconds interval, platform::LoginSessions& sessions)
    : interval_(interval), sessions_(sessions) {}

std::vector<common::Event> SessionSource::poll() {
  std::map<std::string, std::string> current;
  // A closing session is one whose person logged out while some of their programs run on.
  for (const auto& session : sessions_.list()) {
    if (session.state != "closing") current[session.id] = session.user;
  }
  const auto now = common::nowUtc();
  std::vector<common::Event> events;
  for (const auto& [id, user] : open_) {
    if (!current.contains(id)) events.push_back(sessionEvent("logout", id, user, now));
  }
  for (const auto& [id, user] : current) {
    if (!open_.contains(id)) events.push_back(sessionEvent("login", id, user, now));
  }
  open_ = std::move(current);
  return events;
}

}  // namespace clubsafe::agent::sources
