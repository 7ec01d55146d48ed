#include "collector/storage/sqlite_access_log.hpp"

#include "collector/storage/sqlite_query.hpp"

#include <Poco/Tuple.h>

#include <array>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace clubsafe::collector {
namespace {

using namespace sqlite;
using Poco::Data::Session;

using AccessRow = Poco::Tuple<std::string, std::string, std::string, std::string, Poco::Int64>;

constexpr std::array<std::pair<AccessKind, std::string_view>, 4> kKindNames{{
    {AccessKind::View, "view"},
    {AccessKind::Export, "export"},
    {AccessKind::Alert, "alert"},
    {AccessKind::Incident, "incident"},
}};

std::string kindName(AccessKind kind) {
  for (const auto& [known, name] : kKindNames) {
    if (known == kind) return std::string(name);
  }
  return "view";
}

AccessKind readKind(const std::string& stored) {
  for (const auto& [kind, name] : kKindNames) {
    if (name == stored) return kind;
  }
  throw std::runtime_error("The access log holds a kind of access it does not know (\"" + stored +
                           "\"); the file may be damaged.");
}

AccessRecord toRecord(const AccessRow& row) {
  return {.time = readTime(row.get<0>()),
          .viewer = row.get<1>(),
          .kind = readKind(row.get<2>()),
          .filter = row.get<3>(),
          .rows = row.get<4>()};
}

}  // namespace

void SqliteAccessLog::recordAccess(const AccessRecord& record) {
  database_.write("write to the access log", [&](Session& session) {
    execute(session,
            "INSERT INTO access_log (time, viewer, kind, filter, rows) VALUES (?, ?, ?, ?, ?)",
            text(record.time), record.viewer, kindName(record.kind), record.filter,
            Poco::Int64{record.rows});
  });
}

std::vector<AccessRecord> SqliteAccessLog::listAccess(std::size_t limit, std::size_t offset) {
  return database_.read("read the access log", [&](Session& session) {
    return convertAll(
        query<AccessRow>(session,
                         "SELECT time, viewer, kind, filter, rows FROM access_log "
                         "ORDER BY id DESC LIMIT ? OFFSET ?",
                         static_cast<Poco::Int64>(limit), static_cast<Poco::Int64>(offset)),
        toRecord);
  });
}

std::size_t SqliteAccessLog::deleteAccessBefore(Timestamp cutoff) {
  return database_.write("purge the access log", [&](Session& session) {
    return execute(session, "DELETE FROM access_log WHERE time < ?", text(cutoff));
  });
}

}  // namespace clubsafe::collector
