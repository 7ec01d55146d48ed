#include "collector/http/console/device_routes.hpp"

#include "collector/http/api_error.hpp"
#include "collector/http/console/console_http.hpp"
#include "collector/http/json_io.hpp"
#include "common/time.hpp"

#include <Poco/JSON/Array.h>

namespace clubsafe::collector {

void DeviceRoutes::addTo(ConsoleRoutes& routes) {
  using enum Access;
  routes.add({.method = "GET",
              .path = "devices",
              .roles = Roles(Role::Manager),
              .access = Read,
              .handler = handlerOf(this, &DeviceRoutes::list)});
  routes.add({.method = "POST",
              .path = "devices/{}/revoke",
              .roles = Roles(Role::Manager),
              .access = Change,
              .handler = handlerOf(this, &DeviceRoutes::revoke)});
  routes.add({.method = "GET",
              .path = "server",
              .roles = Roles(Role::Manager),
              .access = Read,
              .handler = handlerOf(this, &DeviceRoutes::serverInfo)});
}

void DeviceRoutes::list(Request& request, const AuthenticatedSession&) {
  const auto now = common::nowUtc();
  Poco::JSON::Array::Ptr devices = new Poco::JSON::Array;
  for (const auto& device : devices_.listDevices()) {
    Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
    json->set("id", device.id);
    json->set("name", device.name);
    json->set("hostname", device.hostname);
    json->set("os", device.os);
    json->set("agent_version", device.agentVersion);
    json->set("enrolled_at", common::formatTimestamp(device.enrolledAt));
    json->set("last_seen", optionalTime(device.lastSeen));
    json->set("online", !device.revoked && device.lastSeen &&
                            now - *device.lastSeen <= settings_.offlineAfter);
    json->set("backlog", device.backlog);
    json->set("queue_lag_seconds", device.queueLagSeconds);
    json->set("highest_sequence", device.highestSequence);
    json->set("revoked", device.revoked);
    devices->add(json);
  }
  Poco::JSON::Object answer;
  answer.set("now", common::formatTimestamp(now));
  answer.set("offline_after_seconds", static_cast<Poco::Int64>(settings_.offlineAfter.count()));
  answer.set("devices", devices);
  sendJson(request.response, 200, answer);
}

void DeviceRoutes::revoke(Request& request, const AuthenticatedSession& session) {
  const auto& deviceId = request.pathParameters.at(0);
  if (!devices_.revokeDevice(deviceId, auditEntry(session, "device.revoke", deviceId))) {
    throw ApiError(404, "There is no such laptop.");
  }
  sendNoContent(request.response);
}

void DeviceRoutes::serverInfo(Request& request, const AuthenticatedSession&) {
  Poco::JSON::Object answer;
  answer.set("url", settings_.publicUrl);
  answer.set("fingerprint", settings_.fingerprint);
  answer.set("version", std::string(CLUBSAFE_VERSION));
  sendJson(request.response, 200, answer);
}

}  // namespace clubsafe::collector
