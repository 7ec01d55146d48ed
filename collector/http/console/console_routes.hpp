#pragma once

#include "collector/auth/console_auth.hpp"
#include "collector/http/console/roles.hpp"
#include "collector/http/router.hpp"

#include <cstddef>
#include <functional>
#include <string>

namespace clubsafe::collector {

// What a console call does: reads, or changes something (JSON body, same origin, CSRF token).
enum class Access { Read, Change };
// Whether a user who must still choose their own password may make the call.
enum class DuringPasswordChange { Refuse, Allow };
// Whether a user the club requires two-step sign-in of, who has not set it up yet, may make
// the call (auth.require_totp_for).
enum class DuringTwoStepSetUp { Refuse, Allow };

using SessionHandler = std::function<void(Request&, const AuthenticatedSession&)>;

// A resource's member function as a route's handler; the resource outlives the router's use.
template <typename Resource>
SessionHandler handlerOf(Resource* resource,
                         void (Resource::*method)(Request&, const AuthenticatedSession&)) {
  return [resource, method](Request& request, const AuthenticatedSession& session) {
    (resource->*method)(request, session);
  };
}

// One console route for signed-in users. `roles` has no default: a declaration without it
// does not compile.
struct ConsoleRoute {
  std::string method;
  std::string path;  // below /api/console/, e.g. "devices/{}/revoke"
  Roles roles;       // who may call it; every other role gets 403
  Access access;
  SessionHandler handler;
  std::size_t maxBodyBytes = Router::kSmallBody;
  DuringPasswordChange duringPasswordChange = DuringPasswordChange::Refuse;
  DuringTwoStepSetUp duringTwoStepSetUp = DuringTwoStepSetUp::Refuse;
};

// Adds console routes to the router (it may go once they are added), each behind the checks every
// console call needs: a live session whose role the route allows (deny by default), for changes a
// JSON body, a same-origin request and the session's CSRF token, no call but the password's
// while the user must choose their own, and none but setting up two-step sign-in while the club
// requires it of the user and they have not.
class ConsoleRoutes {
 public:
  ConsoleRoutes(Router& router, ConsoleAuth& consoleAuth)
      : router_(router), consoleAuth_(consoleAuth) {}

  void add(ConsoleRoute route);
  // A route anyone may call, signed in or not: the sign-in call alone.
  void addPublic(const std::string& method, const std::string& path, Handler handler);

 private:
  Router& router_;
  ConsoleAuth& consoleAuth_;
};

// Checks the request body is JSON and comes from this site (a browser always sends Origin on a
// cross-site POST), or throws ApiError 415 / 403.
void requireJsonFromSameOrigin(const ServerRequest& request);

}  // namespace clubsafe::collector
