#pragma once

#include "collector/auth/console_auth.hpp"
#include "collector/http/console/console_routes.hpp"
#include "collector/storage/account_store.hpp"

namespace clubsafe::collector {

// The console's users, for managers: list, add with roles, change roles, disable and enable,
// reset a password to a one-time one the user must replace at the next sign-in, and turn off a
// user's two-step sign-in when their phone is lost. Every
// change is audited in its own transaction; none may leave the club without an enabled manager.
class UserRoutes {
 public:
  UserRoutes(AccountStore& accounts, ConsoleAuth& consoleAuth)
      : accounts_(accounts), consoleAuth_(consoleAuth) {}

  void addTo(ConsoleRoutes& routes);

 private:
  void list(Request& request, const AuthenticatedSession& session);
  void add(Request& request, const AuthenticatedSession& session);
  void changeRoles(Request& request, const AuthenticatedSession& session);
  void disable(Request& request, const AuthenticatedSession& session);
  void enable(Request& request, const AuthenticatedSession& session);
  void resetPassword(Request& request, const AuthenticatedSession& session);
  void resetTwoStep(Request& request, const AuthenticatedSession& session);

  // The user the route's "{}" names, or ApiError 404.
  ConsoleUser userOf(const Request& request);
  void sendUser(Request& request, std::int64_t id);

  AccountStore& accounts_;
  ConsoleAuth& consoleAuth_;
};

}  // namespace clubsafe::collector
