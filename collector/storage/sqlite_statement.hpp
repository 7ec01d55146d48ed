#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3_stmt;

namespace clubsafe::collector::sqlite {

// One statement prepared once on a session's own SQLite connection and run many times, for the
// few statements that run once per stored event: Poco::Data binds and allocates anew on every
// execution, which cost more than SQLite's own work. Runs inside the caller's transaction.
class PreparedStatement {
 public:
  PreparedStatement(Poco::Data::Session& session, std::string_view sql);
  ~PreparedStatement();
  PreparedStatement(const PreparedStatement&) = delete;
  PreparedStatement& operator=(const PreparedStatement&) = delete;

  // Parameters are numbered from 1; an empty optional binds NULL.
  void bind(int parameter, std::optional<std::int64_t> value);
  void bind(int parameter, std::string_view text);
  void bindNull(int parameter);
  // Runs the statement to its end and returns how many rows it changed.
  std::size_t run();
  // Runs the statement and returns the first column of its first row as a number; none when
  // it gives no row.
  std::optional<std::int64_t> firstInteger();

 private:
  void check(int result, std::string_view what) const;

  Poco::Data::Session& session_;
  sqlite3_stmt* statement_ = nullptr;
};

}  // namespace clubsafe::collector::sqlite
