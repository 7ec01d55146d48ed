#pragma once

#include "collector/storage/device_store.hpp"
#include "collector/storage/sqlite_database.hpp"

namespace clubsafe::collector {

// The devices and enrolment_tokens tables.
class SqliteDeviceStore final : public DeviceStore {
 public:
  explicit SqliteDeviceStore(SqliteDatabase& database) : database_(database) {}

  std::int64_t createEnrolmentToken(const std::string& tokenHash, const std::string& label,
                                    const std::string& createdBy, Timestamp createdAt,
                                    Timestamp expiresAt, AuditEntry audit) override;
  std::vector<EnrolmentTokenRecord> listEnrolmentTokens() override;
  bool revokeEnrolmentToken(std::int64_t id, const AuditEntry& audit) override;
  bool enrolDevice(const std::string& tokenHash, const NewDevice& device, Timestamp now) override;
  std::vector<DeviceRecord> listDevices() override;
  std::optional<DeviceRecord> findDevice(const std::string& id) override;
  std::optional<std::string> activeDeviceSecretHash(const std::string& id) override;
  bool revokeDevice(const std::string& id, const AuditEntry& audit) override;
  void markDeviceSeen(const std::string& id, Timestamp now) override;

 private:
  SqliteDatabase& database_;
};

}  // namespace clubsafe::collector
