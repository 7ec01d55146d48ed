#pragma once

#include "collector/storage/audit_log.hpp"
#include "collector/storage/sqlite_database.hpp"

#include <Poco/Data/Session.h>

namespace clubsafe::collector {

// The audit_log table.
class SqliteAuditLog final : public AuditLog {
 public:
  explicit SqliteAuditLog(SqliteDatabase& database) : database_(database) {}

  void recordAudit(const AuditEntry& entry) override;
  std::vector<AuditEntry> listAudit(std::size_t limit) override;

 private:
  SqliteDatabase& database_;
};

// Writes `entry` inside the caller's transaction: how a change and its audit entry become one.
void insertAuditEntry(Poco::Data::Session& session, const AuditEntry& entry);

}  // namespace clubsafe::collector
