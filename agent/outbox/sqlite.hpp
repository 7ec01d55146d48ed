#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace clubsafe::agent::outbox {

// A failed SQLite call; code() is SQLite's primary result code, so callers can tell a damaged
// file (SQLITE_CORRUPT, SQLITE_NOTADB) from a permission problem (SQLITE_CANTOPEN,
// SQLITE_READONLY).
class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  [[nodiscard]] int code() const { return code_; }

 private:
  int code_;
};

class Statement;

// One connection, closed when this goes away.
class Database {
 public:
  enum class Mode { ReadWriteCreate, ReadOnly };

  Database(const std::string& path, Mode mode);

  void execute(const std::string& sql);
  [[nodiscard]] Statement prepare(std::string_view sql);
  [[nodiscard]] std::int64_t lastInsertRowId() const;

  [[nodiscard]] sqlite3* handle() const { return handle_.get(); }

  // Throws SqliteError with SQLite's message when `code` is not SQLITE_OK / ROW / DONE.
  void check(int code, std::string_view what) const;

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  std::unique_ptr<sqlite3, Closer> handle_;
};

// A prepared statement, reset after every run so it can be reused.
class Statement {
 public:
  Statement(const Database& db, sqlite3_stmt* statement) : db_(&db), statement_(statement) {}

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view value);

  // Runs the statement, calling onRow for each row, and resets it whatever happens, so a
  // reused statement never holds a read open (which would stop WAL checkpoints).
  template <typename OnRow>
  void forEachRow(OnRow&& onRow) {
    const ResetOnExit reset{*this};
    while (step()) onRow(static_cast<const Statement&>(*this));
  }
  // Runs a statement that returns no rows.
  void run() {
    forEachRow([](const Statement&) {});
  }

  [[nodiscard]] std::int64_t integer(int column) const;
  [[nodiscard]] std::string text(int column) const;
  [[nodiscard]] bool isNull(int column) const;

 private:
  struct ResetOnExit {
    Statement& statement;
    ~ResetOnExit() { statement.reset(); }
  };

  [[nodiscard]] bool step();
  void reset();

  struct Finalizer {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
  };
  const Database* db_;
  std::unique_ptr<sqlite3_stmt, Finalizer> statement_;
};

// BEGIN IMMEDIATE on construction, ROLLBACK on destruction unless commit() ran: a write either
// happens whole or not at all, whatever throws in between.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();

 private:
  Database& db_;
  bool open_ = true;
};

}  // namespace clubsafe::agent::outbox
