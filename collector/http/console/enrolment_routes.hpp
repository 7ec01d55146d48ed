#pragma once

#include "collector/auth/device_auth.hpp"
#include "collector/http/console/console_routes.hpp"
#include "collector/storage/device_store.hpp"

#include <chrono>
#include <string>

namespace clubsafe::collector {

struct EnrolmentRouteSettings {
  std::chrono::seconds tokenLifetime{24 * 60 * 60};
  std::string publicUrl;    // how laptops reach the collector, for the enrol command
  std::string fingerprint;  // of the collector's certificate, for the enrol command
};

// The one-time enrolment tokens: listing, making and withdrawing them.
class EnrolmentRoutes {
 public:
  EnrolmentRoutes(DeviceStore& devices, DeviceAuth& deviceAuth, EnrolmentRouteSettings settings)
      : devices_(devices), deviceAuth_(deviceAuth), settings_(std::move(settings)) {}

  void addTo(ConsoleRoutes& routes);

 private:
  void list(Request& request, const AuthenticatedSession& session);
  void create(Request& request, const AuthenticatedSession& session);
  void revoke(Request& request, const AuthenticatedSession& session);

  DeviceStore& devices_;
  DeviceAuth& deviceAuth_;
  EnrolmentRouteSettings settings_;
};

// The command a volunteer pastes on a laptop to enrol it.
[[nodiscard]] std::string enrolCommand(const std::string& publicUrl, const std::string& fingerprint,
                                       const std::string& token);

}  // namespace clubsafe::collector
