#include "collector/http/console/unlock_routes.hpp"

#include "collector/http/console/console_http.hpp"
#include "collector/http/console/event_json.hpp"
#include "collector/http/json_io.hpp"
#include "common/time.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/String.h>

namespace clubsafe::collector {
namespace {

constexpr auto kPeriod = std::chrono::days(7);
constexpr std::size_t kMostListed = 200;

std::string workerOf(const Poco::Dynamic::Var& payload) {
  if (payload.type() != typeid(Poco::JSON::Object::Ptr)) return {};
  const auto object = payload.extract<Poco::JSON::Object::Ptr>();
  return object->optValue<std::string>("worker", "");
}

}  // namespace

void UnlockRoutes::addTo(ConsoleRoutes& routes) {
  routes.add({.method = "GET",
              .path = "unlocks",
              .roles = Roles(Role::Manager, Role::Worker),
              .access = Access::Read,
              .handler = handlerOf(this, &UnlockRoutes::list)});
}

void UnlockRoutes::list(Request& request, const AuthenticatedSession& session) {
  const bool everyone = session.user.hasRole(roleName(Role::Manager));
  const auto now = common::nowUtc();
  EventFilter filter;
  filter.from = now - kPeriod;
  filter.type = common::EventType::Override;
  Poco::JSON::Array::Ptr unlocks = new Poco::JSON::Array;
  std::optional<EventCursor> after;
  do {
    const auto page = events_.listEvents(filter, after, EventQuery::kMostPerPage);
    for (const auto& event : page.events) {
      const auto payload = payloadJson(event.payload);
      const auto worker = workerOf(payload);
      if (!everyone && Poco::icompare(worker, session.user.username) != 0) continue;
      if (unlocks->size() >= kMostListed) break;
      auto json = eventJson(event);
      json->set("worker", worker);
      unlocks->add(json);
    }
    after = page.next;
  } while (after && unlocks->size() < kMostListed);
  Poco::JSON::Object answer;
  answer.set("everyone", everyone);
  answer.set("unlocks", unlocks);
  sendJson(request.response, 200, answer);
}

}  // namespace clubsafe::collector
