#pragma once

#include "collector/auth/console_auth.hpp"
#include "collector/auth/device_auth.hpp"
#include "collector/filtering/filtering_service.hpp"
#include "collector/http/router.hpp"
#include "collector/storage/storage.hpp"

#include <chrono>
#include <string>

namespace clubsafe::collector {

struct ConsoleApiSettings {
  std::chrono::seconds offlineAfter{180};
  std::chrono::seconds enrolmentTokenLifetime{24 * 60 * 60};
  std::string publicUrl;          // how laptops reach the collector, for the enrol command
  std::string fingerprint;        // of the collector's certificate, for the enrol command
  std::string firstLoginFile;     // holds the one-time password until it is changed
};

// The API behind the web console (see docs/ARCHITECTURE.md, "Console API").
class ConsoleApi {
 public:
  ConsoleApi(Storage& storage, ConsoleAuth& consoleAuth, DeviceAuth& deviceAuth,
             FilteringService& filtering, ConsoleApiSettings settings)
      : storage_(storage), consoleAuth_(consoleAuth), deviceAuth_(deviceAuth),
        filtering_(filtering), settings_(std::move(settings)) {}

  void addRoutes(Router& router);

 private:
  using SessionHandler = void (ConsoleApi::*)(Request&, const AuthenticatedSession&);
  enum class Access { Read, Change };
  enum class DuringPasswordChange { Refuse, Allow };

  // Wraps a handler with the checks every console call needs: a live session, and for
  // changes a JSON body type, a same-origin request and the session's CSRF token.
  Handler guarded(SessionHandler handler, Access access,
                  DuringPasswordChange duringPasswordChange = DuringPasswordChange::Refuse);

  void login(Request& request);
  void session(Request& request, const AuthenticatedSession& session);
  void logout(Request& request, const AuthenticatedSession& session);
  void changePassword(Request& request, const AuthenticatedSession& session);
  void listDevices(Request& request, const AuthenticatedSession& session);
  void revokeDevice(Request& request, const AuthenticatedSession& session);
  void listEnrolmentTokens(Request& request, const AuthenticatedSession& session);
  void createEnrolmentToken(Request& request, const AuthenticatedSession& session);
  void revokeEnrolmentToken(Request& request, const AuthenticatedSession& session);
  void serverInfo(Request& request, const AuthenticatedSession& session);
  void listFilterCategories(Request& request, const AuthenticatedSession& session);
  void importFilterList(Request& request, const AuthenticatedSession& session);
  void deleteFilterList(Request& request, const AuthenticatedSession& session);
  void listFilterProfiles(Request& request, const AuthenticatedSession& session);
  void createFilterProfile(Request& request, const AuthenticatedSession& session);
  void updateFilterProfile(Request& request, const AuthenticatedSession& session);
  void deleteFilterProfile(Request& request, const AuthenticatedSession& session);
  void setDefaultFilterProfile(Request& request, const AuthenticatedSession& session);
  void showNotice(Request& request, const AuthenticatedSession& session);
  void saveNotice(Request& request, const AuthenticatedSession& session);
  void listWorkers(Request& request, const AuthenticatedSession& session);
  void addWorker(Request& request, const AuthenticatedSession& session);
  void deleteWorker(Request& request, const AuthenticatedSession& session);
  // Answers a filtering change with the policy version it made.
  void sendPolicyVersion(Request& request, int status);

  void audit(const AuthenticatedSession& session, const std::string& action,
             const std::string& target, const std::string& detail = {});

  Storage& storage_;
  ConsoleAuth& consoleAuth_;
  DeviceAuth& deviceAuth_;
  FilteringService& filtering_;
  ConsoleApiSettings settings_;
};

// The command a volunteer pastes on a laptop to enrol it.
[[nodiscard]] std::string enrolCommand(const std::string& publicUrl, const std::string& fingerprint,
                                       const std::string& token);

}  // namespace clubsafe::collector
