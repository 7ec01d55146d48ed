#pragma once

#include "collector/storage/sqlite_access_log.hpp"
#include "collector/storage/sqlite_account_store.hpp"
#include "collector/storage/sqlite_alert_queue.hpp"
#include "collector/storage/sqlite_audit_log.hpp"
#include "collector/storage/sqlite_database.hpp"
#include "collector/storage/sqlite_device_store.hpp"
#include "collector/storage/sqlite_event_query.hpp"
#include "collector/storage/sqlite_event_store.hpp"
#include "collector/storage/sqlite_filtering_store.hpp"
#include "collector/storage/sqlite_incident_store.hpp"
#include "collector/storage/sqlite_notification_store.hpp"
#include "collector/storage/sqlite_read_model.hpp"
#include "collector/storage/sqlite_report_figures.hpp"
#include "collector/storage/sqlite_report_store.hpp"
#include "collector/storage/sqlite_review_store.hpp"
#include "collector/storage/sqlite_subscription_store.hpp"
#include "collector/storage/stores.hpp"

#include <filesystem>

namespace clubsafe::collector {

// Every store over one SQLite file. Opening it creates the file when missing and brings the
// schema up to date (throws std::runtime_error naming the file when it cannot).
class SqliteStores {
 public:
  explicit SqliteStores(const std::filesystem::path& databaseFile) : database_(databaseFile) {}

  SqliteStores(const SqliteStores&) = delete;
  SqliteStores& operator=(const SqliteStores&) = delete;

  [[nodiscard]] const Stores& stores() const { return stores_; }
  [[nodiscard]] SqliteDatabase& database() { return database_; }

 private:
  SqliteDatabase database_;
  SqliteDeviceStore devices_{database_};
  SqliteEventStore events_{database_};
  SqliteAccountStore accounts_{database_};
  SqliteFilteringStore filtering_{database_};
  SqliteAuditLog audit_{database_};
  SqliteReportStore reports_{database_};
  SqliteReportRecords reportRecords_{database_};
  SqliteReportFigures reportFigures_{database_};
  SqliteReviewStore review_{database_};
  SqliteSubscriptionStore subscriptions_{database_};
  SqliteEventQuery eventQuery_{database_};
  SqliteAccessLog accessLog_{database_};
  SqliteAlertQueue alertQueue_{database_};
  SqliteReadModel readModel_{database_};
  SqliteIncidentStore incidents_{database_};
  SqliteNotificationStore notifications_{database_};
  Stores stores_{.devices = devices_,
                 .events = events_,
                 .accounts = accounts_,
                 .filtering = filtering_,
                 .audit = audit_,
                 .reports = reports_,
                 .reportRecords = reportRecords_,
                 .reportFigures = reportFigures_,
                 .review = review_,
                 .subscriptions = subscriptions_,
                 .eventQuery = eventQuery_,
                 .accessLog = accessLog_,
                 .alertQueue = alertQueue_,
                 .readModel = readModel_,
                 .incidents = incidents_,
                 .notifications = notifications_};
};

}  // namespace clubsafe::collector
