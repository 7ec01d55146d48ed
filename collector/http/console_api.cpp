#include "collector/http/console_api.hpp"

namespace clubsafe::collector {

ConsoleApi::ConsoleApi(Storage& storage, ConsoleAuth& consoleAuth, DeviceAuth& deviceAuth,
                       FilteringService& filtering, const ConsoleApiSettings& settings)
    : consoleAuth_(consoleAuth),
      sessions_(storage, consoleAuth, settings.firstLoginFile),
      devices_(storage, {.offlineAfter = settings.offlineAfter,
                         .publicUrl = settings.publicUrl,
                         .fingerprint = settings.fingerprint}),
      enrolment_(storage, deviceAuth,
                 {.tokenLifetime = settings.enrolmentTokenLifetime,
                  .publicUrl = settings.publicUrl,
                  .fingerprint = settings.fingerprint}),
      filtering_(storage, filtering),
      notice_(storage, filtering),
      workers_(storage, filtering) {}

void ConsoleApi::addRoutes(Router& router) {
  ConsoleRoutes routes(router, consoleAuth_);
  sessions_.addTo(routes);
  devices_.addTo(routes);
  enrolment_.addTo(routes);
  filtering_.addTo(routes);
  notice_.addTo(routes);
  workers_.addTo(routes);
}

}  // namespace clubsafe::collector
