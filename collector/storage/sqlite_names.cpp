#include "collector/storage/sqlite_names.hpp"

#include "collector/storage/sqlite_statement.hpp"

#include <Poco/Data/SQLite/Utility.h>

#include <stdexcept>

namespace clubsafe::collector {

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

}  // namespace clubsafe::collector
