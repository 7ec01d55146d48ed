#include "collector/http/console/notification_routes.hpp"

#include "collector/http/api_error.hpp"
#include "collector/http/console/console_http.hpp"
#include "collector/http/json_io.hpp"
#include "common/time.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/URI.h>

namespace clubsafe::collector {
namespace {

constexpr std::size_t kListed = 200;

bool wantsAcknowledged(const Request& request) {
  for (const auto& [name, value] : Poco::URI(request.http.getURI()).getQueryParameters()) {
    if (name == "acknowledged") return value == "1";
  }
  return false;
}

}  // namespace

void NotificationRoutes::addTo(ConsoleRoutes& routes) {
  using enum Access;
  routes.add({.method = "GET",
              .path = "manager-alerts",
              .roles = Roles(Role::Manager),
              .access = Read,
              .handler = handlerOf(this, &NotificationRoutes::listManagerAlerts)});
  routes.add({.method = "POST",
              .path = "manager-alerts/{}/acknowledge",
              .roles = Roles(Role::Manager),
              .access = Change,
              .handler = handlerOf(this, &NotificationRoutes::acknowledge)});
  // The DSLs need to know their alert e-mails are failing as much as the managers do.
  routes.add({.method = "GET",
              .path = "mail-status",
              .roles = Roles(Role::Manager, Role::Dsl),
              .access = Read,
              .handler = handlerOf(this, &NotificationRoutes::mailStatus)});
}

void NotificationRoutes::listManagerAlerts(Request& request, const AuthenticatedSession&) {
  Poco::JSON::Array::Ptr alerts = new Poco::JSON::Array;
  for (const auto& alert : store_.listManagerAlerts(wantsAcknowledged(request), kListed)) {
    Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
    json->set("id", alert.id);
    json->set("kind", alert.kind);
    json->set("device_id", alert.deviceId);
    json->set("laptop", alert.laptopName);
    json->set("happened_at", common::formatTimestamp(alert.happenedAt));
    json->set("raised_at", common::formatTimestamp(alert.raisedAt));
    json->set("acknowledged_at", optionalTime(alert.acknowledgedAt));
    json->set("acknowledged_by", alert.acknowledgedBy);
    alerts->add(json);
  }
  Poco::JSON::Object answer;
  answer.set("alerts", alerts);
  sendJson(request.response, 200, answer);
}

void NotificationRoutes::acknowledge(Request& request, const AuthenticatedSession& session) {
  const auto id = idParameter(request);
  if (!store_.acknowledgeManagerAlert(id, session.user.username, common::nowUtc())) {
    throw ApiError(404, "There is no such alert waiting; it may have been acknowledged already.");
  }
  Poco::JSON::Object answer;
  answer.set("id", id);
  sendJson(request.response, 200, answer);
}

void NotificationRoutes::mailStatus(Request& request, const AuthenticatedSession&) {
  const auto status = store_.mailStatus();
  Poco::JSON::Object answer;
  answer.set("mails_dsls", reach_.dsls);
  answer.set("mails_managers", reach_.managers);
  answer.set("waiting", status.waiting);
  answer.set("failing", status.failing);
  answer.set("last_error", status.lastError);
  answer.set("last_failure_at", optionalTime(status.lastFailureAt));
  answer.set("last_sent_at", optionalTime(status.lastSentAt));
  sendJson(request.response, 200, answer);
}

}  // namespace clubsafe::collector
