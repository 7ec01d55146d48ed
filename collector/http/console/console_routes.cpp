#include "collector/http/console/console_routes.hpp"

#include "collector/http/api_error.hpp"
#include "collector/http/console/console_http.hpp"
#include "collector/http/json_io.hpp"
#include "common/time.hpp"

#include <Poco/URI.h>

#include <spdlog/spdlog.h>

namespace clubsafe::collector {
namespace {

std::string consolePath(const std::string& path) {
  return std::string(Router::kConsolePrefix) + path;
}

// Deny by default: a route reached without a declaration, or by a user none of whose roles it
// names (roles this collector does not know name nothing), is refused.
void requireRole(const Request& request, const AuthenticatedSession& session) {
  if (request.access != nullptr && request.access->allowsAny(session.user.roles)) return;
  // Names no user: who tried is not for the log.
  spdlog::warn("Refused a console call to {} {}: the signed-in user's roles may not make it.",
               request.http.getMethod(), Poco::URI(request.http.getURI()).getPath());
  throw ApiError(403, "Your account may not do this. Ask the club's manager.");
}

}  // namespace

void requireJsonFromSameOrigin(const ServerRequest& request) {
  if (!declaresJson(request)) {
    throw ApiError(415, "Console requests must be sent as JSON.");
  }
  // Refusing a foreign Origin stops CSRF even where SameSite cookies are not honoured.
  const auto origin = request.get("Origin", "");
  if (!origin.empty() && origin != "https://" + request.getHost()) {
    throw ApiError(403, "This request came from another web site and was refused.");
  }
}

void ConsoleRoutes::add(ConsoleRoute route) {
  // Captures the ConsoleAuth, not this: a ConsoleRoutes lives only while routes are added.
  auto guarded = [&consoleAuth = consoleAuth_, access = route.access,
                  during = route.duringPasswordChange, duringSetUp = route.duringTwoStepSetUp,
                  handler = std::move(route.handler)](Request& request) {
    const auto session = consoleAuth.authenticate(sessionCookie(request.http), common::nowUtc());
    if (!session) throw ApiError(401, "Please sign in.");
    if (access == Access::Change) {
      requireJsonFromSameOrigin(request.http);
      if (!ConsoleAuth::csrfTokenMatches(*session, request.http.get("X-CSRF-Token", ""))) {
        throw ApiError(403, "This page is out of date. Reload it and try again.");
      }
    }
    requireRole(request, *session);
    if (session->user.mustChangePassword && during == DuringPasswordChange::Refuse) {
      throw ApiError(403, "Choose your own password before you go on.");
    }
    if (duringSetUp == DuringTwoStepSetUp::Refuse &&
        consoleAuth.twoStep().mustSetUp(session->user)) {
      throw ApiError(403, "Set up two-step sign-in before you go on.");
    }
    handler(request, *session);
  };
  router_.add(route.method, consolePath(route.path), std::move(guarded), route.maxBodyBytes,
              RouteAccess::only(route.roles));
}

void ConsoleRoutes::addPublic(const std::string& method, const std::string& path, Handler handler) {
  router_.add(method, consolePath(path), std::move(handler), Router::kSmallBody,
              RouteAccess::anyone());
}

}  // namespace clubsafe::collector
