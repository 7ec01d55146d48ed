#include "collector/http/console/enrolment_routes.hpp"

#include "collector/http/api_error.hpp"
#include "collector/http/console/console_http.hpp"
#include "collector/http/json_io.hpp"
#include "common/time.hpp"

#include <Poco/JSON/Array.h>

namespace clubsafe::collector {
namespace {

std::string tokenState(const EnrolmentTokenRecord& token, Timestamp now) {
  if (token.revoked) return "revoked";
  if (token.usedAt) return "used";
  if (token.expiresAt <= now) return "expired";
  return "active";
}

}  // namespace

std::string enrolCommand(const std::string& publicUrl, const std::string& fingerprint,
                         const std::string& token) {
  return "sudo clubsafe-agent enrol --server " + publicUrl + " --fingerprint " + fingerprint +
         " --token " + token;
}

void EnrolmentRoutes::addTo(ConsoleRoutes& routes) {
  using enum Access;
  routes.add({.method = "GET",
              .path = "enrolment-tokens",
              .roles = Roles(Role::Manager),
              .access = Read,
              .handler = handlerOf(this, &EnrolmentRoutes::list)});
  routes.add({.method = "POST",
              .path = "enrolment-tokens",
              .roles = Roles(Role::Manager),
              .access = Change,
              .handler = handlerOf(this, &EnrolmentRoutes::create)});
  routes.add({.method = "POST",
              .path = "enrolment-tokens/{}/revoke",
              .roles = Roles(Role::Manager),
              .access = Change,
              .handler = handlerOf(this, &EnrolmentRoutes::revoke)});
}

void EnrolmentRoutes::list(Request& request, const AuthenticatedSession&) {
  const auto now = common::nowUtc();
  Poco::JSON::Array::Ptr tokens = new Poco::JSON::Array;
  for (const auto& token : devices_.listEnrolmentTokens()) {
    Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
    json->set("id", token.id);
    json->set("label", token.label);
    json->set("created_by", token.createdBy);
    json->set("created_at", common::formatTimestamp(token.createdAt));
    json->set("expires_at", common::formatTimestamp(token.expiresAt));
    json->set("used_at", optionalTime(token.usedAt));
    json->set("used_by_device", token.usedByDevice);
    json->set("state", tokenState(token, now));
    tokens->add(json);
  }
  Poco::JSON::Object answer;
  answer.set("tokens", tokens);
  sendJson(request.response, 200, answer);
}

void EnrolmentRoutes::create(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  const auto label = optionalString(*body, "label", 100);
  const auto created = deviceAuth_.createEnrolmentToken(label, session.user.username,
                                                        common::nowUtc(), settings_.tokenLifetime);
  Poco::JSON::Object answer;
  answer.set("id", created.id);
  answer.set("token", created.token);
  answer.set("expires_at", common::formatTimestamp(created.expiresAt));
  answer.set("command", enrolCommand(settings_.publicUrl, settings_.fingerprint, created.token));
  sendJson(request.response, 201, answer);
}

void EnrolmentRoutes::revoke(Request& request, const AuthenticatedSession& session) {
  const auto id = idParameter(request);
  if (!devices_.revokeEnrolmentToken(
          id, auditEntry(session, "enrolment_token.revoke", std::to_string(id)))) {
    throw ApiError(404, "There is no unused enrolment token with that number.");
  }
  sendNoContent(request.response);
}

}  // namespace clubsafe::collector
