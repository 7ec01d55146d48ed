#include "collector/storage/sqlite_names.hpp"

#include "collector/storage/sqlite_query.hpp"
#include "collector/storage/sqlite_statement.hpp"

#include <Poco/Data/SQLite/Utility.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <stdexcept>

namespace clubsafe::collector {
namespace {

// Every column that keeps a rollup_names number. A new column holding a name's number must be
// added here, or retention deletes names its rows still need
// (tests/unit/collector/retention/name_retention_test.cpp looks for such columns).
constexpr std::array kNameColumns{
    NameColumn{"events", "device"},
    NameColumn{"events", "os_user"},
    NameColumn{"events", "member"},
    NameColumn{"events", "profile"},
    NameColumn{"events", "site"},
    NameColumn{"events", "app"},
    NameColumn{"events", "category"},
    NameColumn{"events", "action"},
    NameColumn{"event_receipts", "device"},
    NameColumn{"alert_cases", "device"},
    NameColumn{"alert_cases", "os_user"},
    NameColumn{"alert_cases", "member"},
    NameColumn{"notifications", "device"},
    NameColumn{"rollup_dns_domains", "domain"},
    NameColumn{"rollup_day_dns_domains", "domain"},
    NameColumn{"rollup_span_dns_domains", "domain"},
    NameColumn{"rollup_apps", "app"},
    NameColumn{"rollup_day_apps", "app"},
};

// One statement: SQLite reads each column once into one set, however many names there are.
std::string deleteUnreferencedNamesSql() {
  std::vector<std::string> referenced;
  for (const auto& [table, column] : kNameColumns) {
    referenced.push_back(fmt::format("SELECT {1} FROM {0} WHERE {1} IS NOT NULL", table, column));
  }
  return fmt::format("DELETE FROM rollup_names WHERE id NOT IN ({})",
                     fmt::join(referenced, " UNION ALL "));
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
  static const std::string sql = deleteUnreferencedNamesSql();
  return sqlite::execute(session, sql);
}

}  // namespace clubsafe::collector
