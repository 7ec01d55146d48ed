#include "collector/storage/sqlite_names.hpp"

#include "collector/storage/sqlite_query.hpp"
#include "collector/storage/sqlite_statement.hpp"
#include "collector/storage/stored_event.hpp"

#include <Poco/Data/SQLite/Utility.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <stdexcept>

namespace clubsafe::collector {
namespace {

using Lookup = NameColumn::Lookup;

// Every column that keeps a rollup_names number. A new column holding a name's number must be
// added here, or retention deletes names its rows still need
// (tests/unit/collector/retention/name_retention_test.cpp looks for such columns).
constexpr std::array kNameColumns{
    NameColumn{"events", "device", Lookup::Index},  // the primary key
    NameColumn{"events", "os_user", Lookup::ExplorerIndexes},
    NameColumn{"events", "member", Lookup::ExplorerIndexes},
    NameColumn{"events", "profile", Lookup::WholeColumn},
    NameColumn{"events", "site", Lookup::ExplorerIndexes},
    NameColumn{"events", "app", Lookup::ExplorerIndexes},
    NameColumn{"events", "category", Lookup::ExplorerIndexes},
    NameColumn{"events", "action", Lookup::WholeColumn},
    NameColumn{"event_receipts", "device", Lookup::Index},  // the primary key
    NameColumn{"alert_cases", "device", Lookup::Index},     // unique with seq
    NameColumn{"alert_cases", "os_user", Lookup::WholeColumn},
    NameColumn{"alert_cases", "member", Lookup::WholeColumn},
    NameColumn{"notifications", "device", Lookup::WholeColumn},
    NameColumn{"rollup_dns_domains", "domain", Lookup::WholeColumn},
    NameColumn{"rollup_day_dns_domains", "domain", Lookup::WholeColumn},
    NameColumn{"rollup_span_dns_domains", "domain", Lookup::WholeColumn},
    NameColumn{"rollup_apps", "app", Lookup::WholeColumn},
    NameColumn{"rollup_day_apps", "app", Lookup::WholeColumn},
};

// One statement. Each name is first looked up in the indexes, which finds most names in use at
// the cost of a few B-tree searches; only when a name is in none of them does SQLite read the
// columns without an index, once, into one set that serves every other such name.
std::string deleteUnreferencedNamesSql() {
  std::vector<std::string> searched;
  std::vector<std::string> read;
  for (const auto& [table, column, lookup] : kNameColumns) {
    const auto matching = fmt::format("SELECT 1 FROM {} WHERE {} = rollup_names.id", table, column);
    const auto whole = fmt::format("SELECT {1} FROM {0} WHERE {1} IS NOT NULL", table, column);
    switch (lookup) {
      case Lookup::Index:
        searched.push_back(fmt::format("NOT EXISTS ({})", matching));
        break;
      case Lookup::ExplorerIndexes:
        searched.push_back(fmt::format("NOT EXISTS ({} AND {})", matching, kExplorerIndexesTerm));
        // The types those indexes leave out, read by scanning the table: half the time of
        // searching the type index for them, heartbeats being a quarter of all events.
        read.push_back(fmt::format("{} AND NOT ({})", whole, kExplorerIndexesTerm));
        break;
      case Lookup::WholeColumn:
        read.push_back(whole);
        break;
    }
  }
  return fmt::format("DELETE FROM rollup_names WHERE {} AND id NOT IN ({})",
                     fmt::join(searched, " AND "), fmt::join(read, " UNION ALL "));
}

}  // namespace

struct NameIds::Statements {
  explicit Statements(Poco::Data::Session& session)
      : connection(Poco::Data::SQLite::Utility::dbHandle(session)),
        lookup(session, "SELECT id FROM rollup_names WHERE name = ?"),
        insert(session, "INSERT INTO rollup_names (name) VALUES (?) RETURNING id") {}

  sqlite3* connection;
  sqlite::PreparedStatement lookup;
  sqlite::PreparedStatement insert;
};

NameIds::NameIds() = default;
NameIds::~NameIds() = default;

NameIds::Statements& NameIds::statementsFor(Poco::Data::Session& session) {
  if (!statements_ || statements_->connection != Poco::Data::SQLite::Utility::dbHandle(session)) {
    statements_.reset();
    statements_ = std::make_unique<Statements>(session);
  }
  return *statements_;
}

std::optional<std::int64_t> NameIds::storedId(Poco::Data::Session& session,
                                              const std::string& name) {
  auto& lookup = statementsFor(session).lookup;
  lookup.bind(1, name);
  return lookup.firstInteger();
}

std::int64_t NameIds::idOf(Poco::Data::Session& session, const std::string& name) {
  if (const auto known = ids_.find(name); known != ids_.end()) return known->second;
  auto id = storedId(session, name);
  if (!id) {
    auto& statements = statementsFor(session);
    statements.insert.bind(1, name);
    id = statements.insert.firstInteger();
    if (!id) throw std::runtime_error("SQLite gave no number for a new name.");
    addedInTransaction_.push_back(name);
  }
  if (ids_.size() >= kMostRemembered || rememberedBytes_ + name.size() > kMostRememberedBytes) {
    ids_.clear();
    rememberedBytes_ = 0;
  }
  ids_.emplace(name, *id);
  rememberedBytes_ += name.size();
  return *id;
}

void NameIds::forgetAll() {
  ids_.clear();
  rememberedBytes_ = 0;
  addedInTransaction_.clear();
}

void NameIds::begin(Poco::Data::Session& session) {
  if (addedInTransaction_.empty()) return;
  // A transaction keeps all it added or none: one name tells which.
  const auto& probe = addedInTransaction_.front();
  const auto remembered = ids_.find(probe);
  if (remembered == ids_.end() || storedId(session, probe) != remembered->second) {
    for (const auto& name : addedInTransaction_) {
      if (ids_.erase(name) != 0) rememberedBytes_ -= name.size();
    }
  }
  addedInTransaction_.clear();
}

std::string nameOf(std::string_view idColumn) {
  return "COALESCE((SELECT name FROM rollup_names WHERE id = " + std::string(idColumn) + "), '')";
}

std::span<const NameColumn> nameColumns() {
  return kNameColumns;
}

std::size_t deleteUnreferencedNames(Poco::Data::Session& session) {
  return sqlite::execute(session, unreferencedNamesSql());
}

const std::string& unreferencedNamesSql() {
  static const std::string sql = deleteUnreferencedNamesSql();
  return sql;
}

}  // namespace clubsafe::collector
