#include "collector/http/console/session_routes.hpp"

#include "collector/http/api_error.hpp"
#include "collector/http/console/console_http.hpp"
#include "collector/http/json_io.hpp"
#include "common/time.hpp"

#include <Poco/File.h>
#include <Poco/JSON/Array.h>

#include <spdlog/spdlog.h>

namespace clubsafe::collector {
namespace {

// What login and session answer: who is signed in, the CSRF token, and whether the password
// must be changed, or two-step sign-in set up, first.
Poco::JSON::Object sessionJson(const ConsoleUser& user, const std::string& csrfToken,
                               const TwoStepSignIn& twoStep) {
  Poco::JSON::Object person;
  person.set("username", user.username);
  Poco::JSON::Array roles;
  for (const auto& role : user.roles) roles.add(role);
  person.set("roles", roles);
  Poco::JSON::Object json;
  json.set("user", person);
  json.set("csrf_token", csrfToken);
  json.set("must_change_password", user.mustChangePassword);
  json.set("two_step_on", user.totpEnabled);
  json.set("must_set_up_two_step", twoStep.mustSetUp(user));
  return json;
}

// Answers a sign-in that was turned away before any password was checked, with Retry-After.
void sendRetryLater(Request& request, const LoginResult& result, int status,
                    const std::string& message) {
  request.response.set("Retry-After", std::to_string(result.retryAfter.count()));
  sendError(request.response, status, message);
}

// Answers a refused sign-in (either step) in the words a volunteer needs; false for Success and
// CodeNeeded, which the caller answers.
bool sendRefusal(Request& request, const LoginResult& result) {
  // Refusals are not audited: anyone can send them as often as they like, and the audit log is
  // not theirs to fill. The log says when an account is locked and when sign-ins are turned
  // away, in lines that never vary (no names, no addresses), so its repeat limit (see
  // common/repeat_limit_sink.hpp) keeps a flood of them to a few lines a minute.
  switch (result.outcome) {
    case LoginOutcome::WrongCredentials:
      throw ApiError(401, "That user name and password don't match.");
    case LoginOutcome::WrongCode:
      throw ApiError(401,
                     "That code is not right, or was used already. Type the code your app "
                     "shows now, or one of your recovery codes.");
    case LoginOutcome::SecondStepExpired:
      throw ApiError(401, "That took too long. Please sign in again with your password.");
    case LoginOutcome::TooManyAttempts:
      spdlog::warn("Refused console sign-ins from one computer: too many attempts.");
      sendRetryLater(request, result, 429,
                     "Too many sign-in attempts from this computer. Wait a minute and try again.");
      return true;
    case LoginOutcome::Busy:
      spdlog::warn("Asked a console sign-in to try again: every password check was busy.");
      sendRetryLater(request, result, 503,
                     "The server is busy checking other sign-ins. Try again in a moment.");
      return true;
    case LoginOutcome::LockedOut: {
      spdlog::warn("A console account is locked after repeated wrong passwords or codes.");
      Poco::JSON::Object answer;
      answer.set("error", "Too many wrong tries: this account is locked for a while.");
      answer.set("locked_until", optionalTime(result.lockedUntil));
      sendJson(request.response, 423, answer);
      return true;
    }
    case LoginOutcome::Disabled:
      throw ApiError(403, "This account is switched off. Ask the club's manager.");
    case LoginOutcome::Success:
    case LoginOutcome::CodeNeeded:
      break;
  }
  return false;
}

}  // namespace

void SessionRoutes::addTo(ConsoleRoutes& routes) {
  using enum Access;
  const auto allow = DuringPasswordChange::Allow;
  const auto allowSetUp = DuringTwoStepSetUp::Allow;
  routes.addPublic("POST", "login", [this](Request& request) { login(request); });
  routes.addPublic("POST", "login/code", [this](Request& request) { loginWithCode(request); });
  routes.add({.method = "GET",
              .path = "session",
              .roles = Roles::everyone(),
              .access = Read,
              .handler = handlerOf(this, &SessionRoutes::session),
              .duringPasswordChange = allow,
              .duringTwoStepSetUp = allowSetUp});
  routes.add({.method = "POST",
              .path = "logout",
              .roles = Roles::everyone(),
              .access = Change,
              .handler = handlerOf(this, &SessionRoutes::logout),
              .duringPasswordChange = allow,
              .duringTwoStepSetUp = allowSetUp});
  twoStep_.addTo(routes);
  routes.add({.method = "POST",
              .path = "password",
              .roles = Roles::everyone(),
              .access = Change,
              .handler = handlerOf(this, &SessionRoutes::changePassword),
              .duringPasswordChange = allow,
              .duringTwoStepSetUp = allowSetUp});
}

void SessionRoutes::login(Request& request) {
  requireJsonFromSameOrigin(request.http);
  const auto body = readJsonObject(request.http);
  const auto username = requireString(*body, "username");
  const auto password = requireString(*body, "password", 1024);
  const auto clientAddress = request.http.clientAddress().host().toString();
  const auto result = consoleAuth_.login(username, password, clientAddress, common::nowUtc());
  if (sendRefusal(request, result)) return;
  if (result.outcome == LoginOutcome::CodeNeeded) {
    Poco::JSON::Object answer;
    answer.set("code_needed", true);
    answer.set("pending_sign_in", result.pendingSignIn);
    request.response.set("Cache-Control", "no-store");
    sendJson(request.response, 200, answer);
    return;
  }
  sendSession(request, result);
}

void SessionRoutes::loginWithCode(Request& request) {
  requireJsonFromSameOrigin(request.http);
  const auto body = readJsonObject(request.http);
  const auto pending = requireString(*body, "pending_sign_in", 128);
  const auto code = requireString(*body, "code", 64);
  const auto clientAddress = request.http.clientAddress().host().toString();
  const auto result = consoleAuth_.loginWithCode(pending, code, clientAddress, common::nowUtc());
  if (!sendRefusal(request, result)) sendSession(request, result);
}

void SessionRoutes::sendSession(Request& request, const LoginResult& result) {
  setSessionCookie(request.response, result.sessionCookie);
  sendJson(request.response, 200,
           sessionJson(result.user, result.csrfToken, consoleAuth_.twoStep()));
}

void SessionRoutes::session(Request& request, const AuthenticatedSession& session) {
  sendJson(request.response, 200,
           sessionJson(session.user, session.csrfToken, consoleAuth_.twoStep()));
}

void SessionRoutes::logout(Request& request, const AuthenticatedSession& session) {
  consoleAuth_.logout(session);
  clearSessionCookie(request.response);
  sendNoContent(request.response);
}

void SessionRoutes::changePassword(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  const auto current = requireString(*body, "current_password", 1024);
  const auto replacement = requireString(*body, "new_password", 1024);
  const auto result = consoleAuth_.changePassword(session, current, replacement, common::nowUtc());
  switch (result.outcome) {
    case PasswordChangeOutcome::WrongCurrentPassword:
      throw ApiError(400, "Your current password is not right.");
    case PasswordChangeOutcome::TooShort:
      throw ApiError(400, "Choose a password of at least " +
                              std::to_string(consoleAuth_.settings().minimumPasswordLength) +
                              " characters. A few ordinary words together are easy to remember.");
    case PasswordChangeOutcome::SameAsCurrent:
      throw ApiError(400, "Choose a password different from the one you have now.");
    case PasswordChangeOutcome::Changed:
      break;
  }
  if (!firstLoginFile_.empty() && session.user.mustChangePassword) {
    Poco::File file(firstLoginFile_);
    if (file.exists()) file.remove();
  }
  // The session the change was made in has ended: the browser carries on in the new one.
  auto user = session.user;
  user.mustChangePassword = false;
  setSessionCookie(request.response, result.sessionCookie);
  sendJson(request.response, 200, sessionJson(user, result.csrfToken, consoleAuth_.twoStep()));
}

}  // namespace clubsafe::collector
