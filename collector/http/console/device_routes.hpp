#pragma once

#include "collector/http/console/console_routes.hpp"
#include "collector/storage/device_store.hpp"

#include <chrono>
#include <string>

namespace clubsafe::collector {

struct DeviceRouteSettings {
  std::chrono::seconds offlineAfter{180};  // a laptop silent this long shows as offline
  std::string publicUrl;                   // how laptops reach the collector
  std::string fingerprint;                 // of the collector's certificate
};

// The enrolled laptops, revoking one, and the server they talk to.
class DeviceRoutes {
 public:
  DeviceRoutes(DeviceStore& devices, DeviceRouteSettings settings)
      : devices_(devices), settings_(std::move(settings)) {}

  void addTo(ConsoleRoutes& routes);

 private:
  void list(Request& request, const AuthenticatedSession& session);
  void revoke(Request& request, const AuthenticatedSession& session);
  void serverInfo(Request& request, const AuthenticatedSession& session);

  DeviceStore& devices_;
  DeviceRouteSettings settings_;
};

}  // namespace clubsafe::collector
