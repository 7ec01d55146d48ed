#include "collector/storage/sqlite_audit_log.hpp"

#include "collector/storage/sqlite_query.hpp"

#include <Poco/Tuple.h>

namespace clubsafe::collector {
namespace {

using namespace sqlite;
using Poco::Data::Session;

using AuditRow =
    Poco::Tuple<std::string, std::string, std::string, std::string, std::string, std::string>;

AuditEntry toAudit(const AuditRow& row) {
  return {.time = readTime(row.get<0>()),
          .actor = row.get<1>(),
          .action = row.get<2>(),
          .target = row.get<3>(),
          .detail = row.get<4>(),
          .reason = row.get<5>()};
}

}  // namespace

void insertAuditEntry(Session& session, const AuditEntry& entry) {
  execute(session,
          "INSERT INTO audit_log (time, actor, action, target, detail, reason) "
          "VALUES (?, ?, ?, ?, ?, ?)",
          text(entry.time), entry.actor, entry.action, entry.target, entry.detail, entry.reason);
}

void SqliteAuditLog::recordAudit(const AuditEntry& entry) {
  database_.write("write to the audit log",
                  [&](Session& session) { insertAuditEntry(session, entry); });
}

std::vector<AuditEntry> SqliteAuditLog::listAudit(std::size_t limit) {
  return database_.read("read the audit log", [&](Session& session) {
    return convertAll(
        query<AuditRow>(session,
                        "SELECT time, actor, action, target, detail, reason FROM audit_log "
                        "ORDER BY id DESC LIMIT ?",
                        static_cast<Poco::Int64>(limit)),
        toAudit);
  });
}

}  // namespace clubsafe::collector
