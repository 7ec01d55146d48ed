#pragma once

#include "collector/auth/two_step_sign_in.hpp"
#include "collector/http/console/console_routes.hpp"

namespace clubsafe::collector {

// Setting up one's own two-step sign-in: its state, a new key, confirming it with a code (which
// turns it on and gives the recovery codes, once), and new recovery codes for a current code.
// Every role may, also while the club requires it and the user has not set it up.
class TwoStepRoutes {
 public:
  explicit TwoStepRoutes(TwoStepSignIn& twoStep) : twoStep_(twoStep) {}

  void addTo(ConsoleRoutes& routes);

 private:
  void state(Request& request, const AuthenticatedSession& session);
  void start(Request& request, const AuthenticatedSession& session);
  void confirm(Request& request, const AuthenticatedSession& session);
  void replaceRecoveryCodes(Request& request, const AuthenticatedSession& session);

  TwoStepSignIn& twoStep_;
};

}  // namespace clubsafe::collector
