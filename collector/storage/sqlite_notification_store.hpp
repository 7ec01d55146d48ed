#pragma once

#include "collector/storage/notification_store.hpp"
#include "collector/storage/sqlite_database.hpp"

namespace clubsafe::collector {

// The notifications and mails_sent tables (migration 20).
class SqliteNotificationStore final : public NotificationStore {
 public:
  explicit SqliteNotificationStore(SqliteDatabase& database) : database_(database) {}

  std::vector<Notification> listDue(Timestamp now) override;
  void markMailed(Audience audience, std::span<const std::int64_t> ids, MailVia via,
                  Timestamp at) override;
  void recordFailure(std::span<const std::int64_t> ids, const std::string& error, Timestamp at,
                     Timestamp retryAt) override;
  std::int64_t countMailsSince(Audience audience, Timestamp since) override;
  void raiseLaptopSilent(const std::string& deviceId, Timestamp lastSeen, Timestamp now) override;
  std::vector<Notification> listManagerAlerts(bool withAcknowledged, std::size_t limit) override;
  bool acknowledgeManagerAlert(std::int64_t id, const std::string& by, Timestamp at) override;
  MailStatus mailStatus() override;

 private:
  SqliteDatabase& database_;
};

}  // namespace clubsafe::collector
