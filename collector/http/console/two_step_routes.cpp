#include "collector/http/console/two_step_routes.hpp"

#include "collector/auth/qr_code.hpp"
#include "collector/http/api_error.hpp"
#include "collector/http/console/console_http.hpp"
#include "collector/http/json_io.hpp"
#include "common/time.hpp"

#include <Poco/JSON/Array.h>

namespace clubsafe::collector {
namespace {

constexpr std::size_t kMaxCodeLength = 64;

// Secrets shown once: no cache may keep a copy.
void sendSecret(Request& request, const Poco::JSON::Object& answer) {
  request.response.set("Cache-Control", "no-store");
  sendJson(request.response, 200, answer);
}

void sendRecoveryCodes(Request& request, const std::vector<std::string>& codes) {
  Poco::JSON::Array list;
  for (const auto& code : codes) list.add(code);
  Poco::JSON::Object answer;
  answer.set("recovery_codes", list);
  sendSecret(request, answer);
}

}  // namespace

void TwoStepRoutes::addTo(ConsoleRoutes& routes) {
  using enum Access;
  const auto route = [&](const char* method, const char* path, Access access,
                         void (TwoStepRoutes::*handler)(Request&, const AuthenticatedSession&)) {
    routes.add({.method = method,
                .path = path,
                .roles = Roles::everyone(),
                .access = access,
                .handler = handlerOf(this, handler),
                .duringTwoStepSetUp = DuringTwoStepSetUp::Allow});
  };
  route("GET", "two-step", Read, &TwoStepRoutes::state);
  route("POST", "two-step/start", Change, &TwoStepRoutes::start);
  route("POST", "two-step/confirm", Change, &TwoStepRoutes::confirm);
  route("POST", "two-step/recovery-codes", Change, &TwoStepRoutes::replaceRecoveryCodes);
}

void TwoStepRoutes::state(Request& request, const AuthenticatedSession& session) {
  Poco::JSON::Object answer;
  answer.set("on", session.user.totpEnabled);
  answer.set("required", twoStep_.required(session.user));
  answer.set("recovery_codes_left",
             session.user.totpEnabled ? twoStep_.recoveryCodesLeft(session.user) : 0);
  sendJson(request.response, 200, answer);
}

void TwoStepRoutes::start(Request& request, const AuthenticatedSession& session) {
  const auto enrolment = twoStep_.startEnrolment(session.user, common::nowUtc());
  if (!enrolment) {
    throw ApiError(409,
                   "Two-step sign-in is already on for you. To move it to a new phone, ask the "
                   "club's manager to reset it, then set it up again.");
  }
  Poco::JSON::Object answer;
  answer.set("key", enrolment->key);
  answer.set("uri", enrolment->uri);
  const auto qr = encodeQrCode(enrolment->uri);
  Poco::JSON::Object qrAnswer;
  qrAnswer.set("size", qr.size);
  Poco::JSON::Array rows;
  for (const auto& row : qr.rows) rows.add(row);
  qrAnswer.set("rows", rows);
  answer.set("qr", qrAnswer);
  sendSecret(request, answer);
}

void TwoStepRoutes::confirm(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  const auto code = requireString(*body, "code", kMaxCodeLength);
  const auto codes = twoStep_.confirmEnrolment(session.user, code, common::nowUtc());
  if (!codes) {
    throw ApiError(400,
                   "That code is not right. Check the app shows ClubSafe with your name, and "
                   "type the 6 digits it shows now.");
  }
  sendRecoveryCodes(request, *codes);
}

void TwoStepRoutes::replaceRecoveryCodes(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  const auto code = requireString(*body, "code", kMaxCodeLength);
  const auto codes = twoStep_.replaceRecoveryCodes(session.user, code, common::nowUtc());
  if (!codes) {
    throw ApiError(400,
                   "That code is not right, or was used already. Type the 6 digits your app "
                   "shows now.");
  }
  sendRecoveryCodes(request, *codes);
}

}  // namespace clubsafe::collector
