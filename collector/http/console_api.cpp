#include "collector/http/console_api.hpp"

namespace clubsafe::collector {

ConsoleApi::ConsoleApi(const Stores& stores, ConsoleAuth& consoleAuth, DeviceAuth& deviceAuth,
                       FilteringService& filtering, ReviewService& review,
                       SubscriptionService& subscriptions, const ConsoleApiSettings& settings)
    : consoleAuth_(consoleAuth),
      sessions_(consoleAuth, settings.firstLoginFile),
      users_(stores.accounts, consoleAuth),
      devices_(stores.devices, {.offlineAfter = settings.offlineAfter,
                                .publicUrl = settings.publicUrl,
                                .fingerprint = settings.fingerprint}),
      enrolment_(stores.devices, deviceAuth,
                 {.tokenLifetime = settings.enrolmentTokenLifetime,
                  .publicUrl = settings.publicUrl,
                  .fingerprint = settings.fingerprint}),
      filtering_(stores.filtering, filtering),
      notice_(stores.filtering, filtering),
      workers_(stores.filtering, filtering),
      members_(stores.filtering, filtering),
      reports_(stores.devices, stores.filtering, stores.reportFigures, stores.reportRecords,
               stores.reports, settings.clubTimeZone),
      review_(stores.review, review),
      subscriptions_(stores.subscriptions, subscriptions),
      explorer_(stores.eventQuery, stores.accessLog),
      dashboard_(stores.readModel, stores.review, settings.clubTimeZone, settings.openingHours),
      alerts_(stores.alertQueue, stores.eventQuery, stores.accessLog, stores.accounts),
      notifications_(stores.notifications, settings.mail),
      incidents_(stores.incidents, stores.alertQueue, stores.accessLog, settings.clubTimeZone),
      unlocks_(stores.eventQuery) {}

void ConsoleApi::addRoutes(Router& router) {
  ConsoleRoutes routes(router, consoleAuth_);
  sessions_.addTo(routes);
  users_.addTo(routes);
  devices_.addTo(routes);
  enrolment_.addTo(routes);
  filtering_.addTo(routes);
  notice_.addTo(routes);
  workers_.addTo(routes);
  members_.addTo(routes);
  reports_.addTo(routes);
  review_.addTo(routes);
  subscriptions_.addTo(routes);
  explorer_.addTo(routes);
  dashboard_.addTo(routes);
  alerts_.addTo(routes);
  notifications_.addTo(routes);
  incidents_.addTo(routes);
  unlocks_.addTo(routes);
}

}  // namespace clubsafe::collector
