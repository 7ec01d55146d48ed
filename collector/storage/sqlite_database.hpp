#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Data/Transaction.h>
#include <Poco/Exception.h>

#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace clubsafe::collector {

// The collector's SQLite file in write-ahead-log mode, shared by every store. Everything
// SQLite-specific about the connection (pragmas, the connector, migrations) stays here, so a
// PostgreSQL backend is a sibling of the stores, not a change to them.
//
// One write connection serves every writer in turn, behind a mutex: SQLite lets one writer in
// at a time anyway. Reads use a small pool of their own connections, each used by one thread
// at a time; in WAL mode a reader sees the last committed state and never waits for the
// writer, so the console's pages do not queue behind a batch being stored.
//
// `action` completes "could not …" in the error a failure throws. A store never calls write()
// or read() from inside `work`: the connections are not re-entrant.
class SqliteDatabase {
 public:
  static constexpr std::size_t kDefaultReadConnections = 4;

  // Creates the file and its directory when missing and brings the schema up to date. Throws
  // std::runtime_error naming the file when it cannot.
  explicit SqliteDatabase(const std::filesystem::path& file,
                          std::size_t readConnections = kDefaultReadConnections);

  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  // Runs `work(session)` on the write connection inside one transaction, committed when `work`
  // returns and rolled back when it throws.
  template <typename Work>
  auto write(std::string_view action, Work&& work) {
    std::lock_guard lock(writeMutex_);
    return inTransaction(writer_, action, std::forward<Work>(work));
  }

  // Runs `work(session)` on a read connection inside one transaction, so every statement of
  // `work` sees the same committed state. Waits while every read connection is in use. The
  // read connections refuse to change anything.
  template <typename Work>
  auto read(std::string_view action, Work&& work) {
    ReadLease lease(*this);
    return inTransaction(lease.session(), action, std::forward<Work>(work));
  }

  [[nodiscard]] const std::filesystem::path& file() const { return file_; }

 private:
  // A read connection taken from the pool for the lease's lifetime.
  class ReadLease {
   public:
    explicit ReadLease(SqliteDatabase& database);
    ~ReadLease();
    ReadLease(const ReadLease&) = delete;
    ReadLease& operator=(const ReadLease&) = delete;
    Poco::Data::Session& session() { return database_.readers_[index_]; }

   private:
    SqliteDatabase& database_;
    std::size_t index_;
  };

  template <typename Work>
  auto inTransaction(Poco::Data::Session& session, std::string_view action, Work&& work) {
    try {
      Poco::Data::Transaction transaction(session);
      if constexpr (std::is_void_v<std::invoke_result_t<Work&, Poco::Data::Session&>>) {
        work(session);
        transaction.commit();
      } else {
        auto result = work(session);
        transaction.commit();
        return result;
      }
    } catch (const Poco::Exception& error) {
      throw std::runtime_error(describeFailure(action, error));
    }
  }

  [[nodiscard]] std::string describeFailure(std::string_view action,
                                            const Poco::Exception& error) const;

  std::filesystem::path file_;
  std::mutex writeMutex_;
  Poco::Data::Session writer_;
  std::mutex readMutex_;
  std::condition_variable readerFreed_;
  std::vector<Poco::Data::Session> readers_;
  std::vector<std::size_t> idleReaders_;  // indexes into readers_
};

}  // namespace clubsafe::collector
