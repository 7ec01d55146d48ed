#pragma once

#include "collector/auth/console_auth.hpp"
#include "collector/http/console/console_routes.hpp"
#include "collector/http/console/two_step_routes.hpp"

#include <string>

namespace clubsafe::collector {

// Signing in (with a code as its second step where two-step sign-in is on) and out, the
// signed-in user, changing one's password, and setting up two-step sign-in (TwoStepRoutes).
class SessionRoutes {
 public:
  // `firstLoginFile` holds the one-time password until it is changed ("" when none).
  SessionRoutes(ConsoleAuth& consoleAuth, std::string firstLoginFile)
      : consoleAuth_(consoleAuth),
        firstLoginFile_(std::move(firstLoginFile)),
        twoStep_(consoleAuth.twoStep()) {}

  void addTo(ConsoleRoutes& routes);

 private:
  void login(Request& request);
  void loginWithCode(Request& request);
  void sendSession(Request& request, const LoginResult& result);
  void session(Request& request, const AuthenticatedSession& session);
  void logout(Request& request, const AuthenticatedSession& session);
  void changePassword(Request& request, const AuthenticatedSession& session);

  ConsoleAuth& consoleAuth_;
  std::string firstLoginFile_;
  TwoStepRoutes twoStep_;
};

}  // namespace clubsafe::collector
