#pragma once

#include "collector/storage/storage.hpp"

#include <Poco/Data/Session.h>

#include <filesystem>
#include <mutex>
#include <string_view>

namespace clubsafe::collector {

// Storage in one SQLite file in write-ahead-log mode. Everything SQLite-specific (pragmas,
// dialect, the connector) stays in this class, so a PostgreSQL backend is a sibling class.
//
// One connection serves every thread in turn, guarded by a mutex: SQLite lets one writer in at
// a time anyway, and a club's load (a few laptops sending a batch a minute, a few console
// users) is far below what one connection handles.
class SqliteStorage final : public Storage {
 public:
  // Creates the file and its directory when missing and brings the schema up to date. Throws
  // std::runtime_error naming the file when it cannot.
  explicit SqliteStorage(const std::filesystem::path& databaseFile);

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

  StoreEventsResult storeEvents(const common::Batch& batch, Timestamp now) override;
  std::int64_t countEvents(const std::string& deviceId) override;
  std::size_t deleteEventsBefore(common::EventType type, Timestamp cutoff) override;
  std::vector<DnsMinuteRecord> listDnsMinutes(const std::string& deviceId, Timestamp from,
                                              Timestamp to) override;

  std::size_t countUsers() override;
  std::int64_t createUser(const std::string& username, const std::string& role,
                          const std::string& passwordHash, bool mustChangePassword) override;
  std::optional<ConsoleUser> findUserByName(const std::string& username) override;
  std::optional<ConsoleUser> findUserById(std::int64_t id) override;
  void recordLoginFailure(std::int64_t userId, std::optional<Timestamp> lockedUntil) override;
  void recordLoginSuccess(std::int64_t userId) override;
  void setPassword(std::int64_t userId, const std::string& passwordHash, bool mustChangePassword,
                   const AuditEntry& audit) override;

  void createSession(const SessionRecord& session) override;
  std::optional<SessionRecord> findSession(const std::string& idHash) override;
  void touchSession(const std::string& idHash, Timestamp lastUsedAt) override;
  void deleteSession(const std::string& idHash) override;
  void deleteSessionsOfUser(std::int64_t userId) override;
  void deleteSessionsIdleSince(Timestamp cutoff) override;

  PolicyDocument currentPolicy() override;
  void publishPolicy(const PolicyChange& change) override;

  std::vector<FilterListRecord> listFilterLists() override;
  std::string filterListText(std::int64_t id) override;
  std::vector<std::int64_t> importFilterLists(const std::vector<NewFilterList>& lists,
                                              const PolicyChange& change) override;
  bool deleteFilterList(std::int64_t id, const PolicyChange& change) override;

  std::vector<common::Profile> listFilterProfiles() override;
  std::string defaultFilterProfile() override;
  void saveFilterProfile(const common::Profile& profile, const PolicyChange& change) override;
  bool deleteFilterProfile(const std::string& id, const PolicyChange& change) override;
  void setDefaultFilterProfile(const std::string& id, const PolicyChange& change) override;

  std::optional<common::NoticeText> noticeText() override;
  void saveNoticeText(const common::NoticeText& notice, const PolicyChange& change) override;
  std::vector<WorkerRecord> listWorkers() override;
  std::int64_t addWorker(const WorkerRecord& worker, const PolicyChange& change) override;
  bool deleteWorker(std::int64_t id, const PolicyChange& change) override;

  void recordAudit(const AuditEntry& entry) override;
  std::vector<AuditEntry> listAudit(std::size_t limit) override;

 private:
  // Runs `work(session_)` under the mutex inside one transaction, committed when `work`
  // returns and rolled back when it throws. `action` completes "could not …" in errors.
  template <typename Work>
  auto inTransaction(std::string_view action, Work&& work);

  std::filesystem::path path_;
  std::mutex mutex_;
  Poco::Data::Session session_;
};

}  // namespace clubsafe::collector
