#pragma once

#include "collector/auth/console_auth.hpp"
#include "collector/http/console/console_routes.hpp"

#include <string>

namespace clubsafe::collector {

// Signing in and out, the signed-in user, and changing one's password.
class SessionRoutes {
 public:
  // `firstLoginFile` holds the one-time password until it is changed ("" when none).
  SessionRoutes(ConsoleAuth& consoleAuth, std::string firstLoginFile)
      : consoleAuth_(consoleAuth), firstLoginFile_(std::move(firstLoginFile)) {}

  void addTo(ConsoleRoutes& routes);

 private:
  void login(Request& request);
  void session(Request& request, const AuthenticatedSession& session);
  void logout(Request& request, const AuthenticatedSession& session);
  void changePassword(Request& request, const AuthenticatedSession& session);

  ConsoleAuth& consoleAuth_;
  std::string firstLoginFile_;
};

}  // namespace clubsafe::collector
