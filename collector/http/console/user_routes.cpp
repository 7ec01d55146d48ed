#include "collector/http/console/user_routes.hpp"

#include "collector/http/api_error.hpp"
#include "collector/http/console/console_http.hpp"
#include "collector/http/console/roles.hpp"
#include "collector/http/json_io.hpp"
#include "common/password_hash.hpp"
#include "common/time.hpp"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <functional>

namespace clubsafe::collector {
namespace {

constexpr std::size_t kMaxUserNameLength = 64;

// A name people type to sign in: printable, no spaces at either end.
std::string requireUserName(const Poco::JSON::Object& body) {
  auto name = requireString(body, "username", kMaxUserNameLength);
  const bool control = std::ranges::any_of(
      name, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
  if (name.empty() || control || name.front() == ' ' || name.back() == ' ') {
    throw ApiError(400,
                   "username: give a name of 1 to 64 characters, with no spaces at either "
                   "end.");
  }
  return name;
}

// The roles of a request, known and each once, sorted; at least one.
std::vector<std::string> requireRoles(const Poco::JSON::Object& body) {
  std::vector<std::string> roles;
  for (const auto& name : requireStrings(body, "roles", 20)) {
    if (!parseRole(name)) {
      throw ApiError(400, "roles: \"" + name +
                              "\" is no role. Choose from manager, dsl, worker "
                              "and trustee.");
    }
    roles.push_back(name);
  }
  if (roles.empty()) throw ApiError(400, "roles: give the user at least one role.");
  std::ranges::sort(roles);
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  return roles;
}

std::string rolesText(const std::vector<std::string>& roles) {
  std::string text;
  for (const auto& role : roles) text += (text.empty() ? "" : ", ") + role;
  return text;
}

Poco::JSON::Array::Ptr rolesJson(const std::vector<std::string>& roles) {
  Poco::JSON::Array::Ptr json = new Poco::JSON::Array;
  for (const auto& role : roles) json->add(role);
  return json;
}

// Never the password's hash.
Poco::JSON::Object::Ptr userJson(const ConsoleUser& user) {
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
  json->set("id", user.id);
  json->set("username", user.username);
  json->set("roles", rolesJson(user.roles));
  json->set("must_change_password", user.mustChangePassword);
  json->set("locked_until", optionalTime(user.lockedUntil));
  json->set("disabled_at", optionalTime(user.disabledAt));
  json->set("two_step_on", user.totpEnabled);
  return json;
}

// Runs a change of users, answering the refusals the store can give.
void applyUserChange(const std::function<bool()>& change) {
  try {
    if (!change()) throw ApiError(404, "There is no such user.");
  } catch (const LastManagerError&) {
    throw ApiError(409,
                   "That would leave the club without a manager who can sign in. Give "
                   "someone else the manager role first.");
  }
}

void sendOneTimePassword(Request& request, int status, std::int64_t id,
                         const std::string& password) {
  Poco::JSON::Object answer;
  answer.set("id", id);
  answer.set("one_time_password", password);
  request.response.set("Cache-Control", "no-store");
  sendJson(request.response, status, answer);
}

}  // namespace

void UserRoutes::addTo(ConsoleRoutes& routes) {
  using enum Access;
  const Roles managers(Role::Manager);
  const auto route = [&](const char* method, const char* path, Access access,
                         void (UserRoutes::*handler)(Request&, const AuthenticatedSession&)) {
    routes.add({.method = method,
                .path = path,
                .roles = managers,
                .access = access,
                .handler = handlerOf(this, handler)});
  };
  route("GET", "users", Read, &UserRoutes::list);
  route("POST", "users", Change, &UserRoutes::add);
  route("POST", "users/{}/roles", Change, &UserRoutes::changeRoles);
  route("POST", "users/{}/disable", Change, &UserRoutes::disable);
  route("POST", "users/{}/enable", Change, &UserRoutes::enable);
  route("POST", "users/{}/reset-password", Change, &UserRoutes::resetPassword);
  route("POST", "users/{}/reset-two-step", Change, &UserRoutes::resetTwoStep);
}

ConsoleUser UserRoutes::userOf(const Request& request) {
  auto user = accounts_.findUserById(idParameter(request));
  if (!user) throw ApiError(404, "There is no such user.");
  return std::move(*user);
}

void UserRoutes::sendUser(Request& request, std::int64_t id) {
  const auto user = accounts_.findUserById(id);
  if (!user) throw ApiError(404, "There is no such user.");
  sendJson(request.response, 200, *userJson(*user));
}

void UserRoutes::list(Request& request, const AuthenticatedSession&) {
  Poco::JSON::Array::Ptr users = new Poco::JSON::Array;
  for (const auto& user : accounts_.listUsers()) users->add(userJson(user));
  std::vector<std::string> known;
  for (const auto role : kAllRoles) known.emplace_back(roleName(role));
  Poco::JSON::Object answer;
  answer.set("users", users);
  answer.set("roles", rolesJson(known));
  sendJson(request.response, 200, answer);
}

void UserRoutes::add(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  const auto username = requireUserName(*body);
  const auto roles = requireRoles(*body);
  const auto password = common::generateOneTimePassword();
  try {
    const auto id = accounts_.createUser(
        {.username = username,
         .roles = roles,
         .passwordHash = consoleAuth_.hashPassword(password),
         .mustChangePassword = true},
        auditEntry(session, "console.user_added", username, "roles: " + rolesText(roles)));
    sendOneTimePassword(request, 201, id, password);
  } catch (const UserNameTakenError&) {
    throw ApiError(409, "There is already a user called " + username + ". Choose another name.");
  }
}

void UserRoutes::changeRoles(Request& request, const AuthenticatedSession& session) {
  const auto user = userOf(request);
  const auto body = readJsonObject(request.http);
  const auto roles = requireRoles(*body);
  applyUserChange([&] {
    return accounts_.setRoles(
        user.id, roles,
        auditEntry(session, "console.user_roles_changed", user.username,
                   "roles: " + rolesText(roles) + " (were " + rolesText(user.roles) + ")"));
  });
  sendUser(request, user.id);
}

void UserRoutes::disable(Request& request, const AuthenticatedSession& session) {
  const auto user = userOf(request);
  applyUserChange([&] {
    return accounts_.setDisabled(user.id, common::nowUtc(),
                                 auditEntry(session, "console.user_disabled", user.username));
  });
  sendUser(request, user.id);
}

void UserRoutes::enable(Request& request, const AuthenticatedSession& session) {
  const auto user = userOf(request);
  applyUserChange([&] {
    return accounts_.setDisabled(user.id, std::nullopt,
                                 auditEntry(session, "console.user_enabled", user.username));
  });
  sendUser(request, user.id);
}

void UserRoutes::resetPassword(Request& request, const AuthenticatedSession& session) {
  const auto user = userOf(request);
  const auto password = common::generateOneTimePassword();
  applyUserChange([&] {
    return accounts_.resetPassword(
        user.id, consoleAuth_.hashPassword(password),
        auditEntry(session, "console.user_password_reset", user.username));
  });
  sendOneTimePassword(request, 200, user.id, password);
}

// A lost phone: the user signs in with their password alone and, where the club requires it,
// sets up two-step sign-in again at once.
void UserRoutes::resetTwoStep(Request& request, const AuthenticatedSession& session) {
  const auto user = userOf(request);
  applyUserChange([&] {
    return consoleAuth_.twoStep().reset(user.id, user.username, session.user.username,
                                        common::nowUtc());
  });
  sendUser(request, user.id);
}

}  // namespace clubsafe::collector
