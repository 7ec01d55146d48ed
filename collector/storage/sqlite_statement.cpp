#include "collector/storage/sqlite_statement.hpp"

#include <Poco/Data/SQLite/Utility.h>
#include <sqlite3.h>

#include <stdexcept>

namespace clubsafe::collector::sqlite {

PreparedStatement::PreparedStatement(Poco::Data::Session& session, std::string_view sql)
    : session_(session) {
  check(sqlite3_prepare_v3(Poco::Data::SQLite::Utility::dbHandle(session), sql.data(),
                           static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &statement_,
                           nullptr),
        "prepare");
}

PreparedStatement::~PreparedStatement() {
  sqlite3_finalize(statement_);
}

void PreparedStatement::bind(int parameter, std::optional<std::int64_t> value) {
  check(value ? sqlite3_bind_int64(statement_, parameter, *value)
              : sqlite3_bind_null(statement_, parameter),
        "bind");
}

void PreparedStatement::bind(int parameter, std::string_view text) {
  // SQLITE_TRANSIENT: SQLite copies the text, which may change before the statement runs.
  check(sqlite3_bind_text(statement_, parameter, text.data(), static_cast<int>(text.size()),
                          SQLITE_TRANSIENT),
        "bind");
}

void PreparedStatement::bindNull(int parameter) {
  check(sqlite3_bind_null(statement_, parameter), "bind");
}

std::size_t PreparedStatement::run() {
  auto* connection = Poco::Data::SQLite::Utility::dbHandle(session_);
  int result = SQLITE_ROW;
  while (result == SQLITE_ROW) result = sqlite3_step(statement_);
  sqlite3_reset(statement_);
  check(result == SQLITE_DONE ? SQLITE_OK : result, "run");
  return static_cast<std::size_t>(sqlite3_changes(connection));
}

std::optional<std::int64_t> PreparedStatement::firstInteger() {
  std::optional<std::int64_t> value;
  int result = sqlite3_step(statement_);
  if (result == SQLITE_ROW) {
    value = sqlite3_column_int64(statement_, 0);
    while (result == SQLITE_ROW) result = sqlite3_step(statement_);
  }
  sqlite3_reset(statement_);
  check(result == SQLITE_DONE ? SQLITE_OK : result, "run");
  return value;
}

void PreparedStatement::check(int result, std::string_view what) const {
  if (result == SQLITE_OK) return;
  throw std::runtime_error("SQLite could not " + std::string(what) + " a statement: " +
                           sqlite3_errmsg(Poco::Data::SQLite::Utility::dbHandle(session_)));
}

}  // namespace clubsafe::collector::sqlite
