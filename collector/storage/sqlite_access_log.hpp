#pragma once

#include "collector/storage/access_log.hpp"
#include "collector/storage/sqlite_database.hpp"

namespace clubsafe::collector {

// The access_log table (migration 9, rebuilt by migration 17 for more kinds).
class SqliteAccessLog final : public AccessLog {
 public:
  explicit SqliteAccessLog(SqliteDatabase& database) : database_(database) {}

  void recordAccess(const AccessRecord& record) override;
  std::vector<AccessRecord> listAccess(std::size_t limit, std::size_t offset) override;
  std::size_t deleteAccessBefore(Timestamp cutoff) override;

 private:
  SqliteDatabase& database_;
};

}  // namespace clubsafe::collector
