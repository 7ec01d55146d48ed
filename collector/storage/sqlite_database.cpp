#include "collector/storage/sqlite_database.hpp"

#include "collector/storage/migrations.hpp"
#include "common/time.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace clubsafe::collector {
namespace {

namespace db = Poco::Data::Keywords;
using Poco::Data::Session;

constexpr int kBusyTimeoutMilliseconds = 5000;

std::string describe(const std::filesystem::path& file, std::string_view action,
                     const Poco::Exception& error) {
  return "The collector database " + file.string() + " could not " + std::string(action) + ": " +
         error.displayText();
}

constexpr int kWriterCacheKibibytes = 64 * 1024;
constexpr int kPageBytes = 2048;
constexpr int kWalCheckpointPages = 8192;

Session connect(const std::filesystem::path& file) {
  Session session(Poco::Data::SQLite::Connector::KEY, file.string());
  session << "PRAGMA foreign_keys = ON", db::now;
  session << "PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMilliseconds), db::now;
  return session;
}

Session openWriter(const std::filesystem::path& file) {
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  Poco::Data::SQLite::Connector::registerConnector();
  auto session = connect(file);
  // Only a new database takes it (an existing one keeps the size it was made with). Most of a
  // batch's index entries land on pages of their own, each written whole to the write-ahead log
  // at commit and to the file at the next checkpoint: 2 KiB pages took the 4-week club's
  // system time from 4.7 s to 1.2-1.6 s (docs/PERFORMANCE.md, "A club's year").
  session << "PRAGMA page_size = " + std::to_string(kPageBytes), db::now;
  std::string journalMode;
  session << "PRAGMA journal_mode = WAL", db::into(journalMode), db::now;
  if (journalMode != "wal") {
    spdlog::warn(
        "The collector database {} cannot use write-ahead logging (its file system "
        "refused it); it works, but readers and the writer will wait for each other.",
        file.string());
  }
  // FULL rather than NORMAL: agents delete events once the collector acknowledges them, so a
  // committed batch must survive a power cut too, not only a crash of the collector.
  session << "PRAGMA synchronous = FULL", db::now;
  // Each stored event updates the events table and up to eight of its indexes, most of them at
  // a laptop's or a member's place in the index rather than at its end: with SQLite's default
  // 2 MiB of cache those pages were read from and written to the file again and again.
  session << "PRAGMA cache_size = -" + std::to_string(kWriterCacheKibibytes), db::now;
  // SQLite copies the write-ahead log into the file once it holds 1,000 pages, only 2 MiB of
  // 2 KiB pages: about one batch of a club's events, so nearly every batch paid for a checkpoint
  // (its writes and two flushes to disk) and a page that the next batches change again was
  // copied each time. With 16 MiB a week of the club stored about 35% more events a second
  // (docs/PERFORMANCE.md, "A club's year"); never checkpointing at all was no faster.
  session << "PRAGMA wal_autocheckpoint = " + std::to_string(kWalCheckpointPages), db::now;
  return session;
}

Session openReader(const std::filesystem::path& file) {
  auto session = connect(file);
  // A store that writes through read() fails at once instead of racing the write connection.
  session << "PRAGMA query_only = ON", db::now;
  return session;
}

Session openOrThrow(const std::filesystem::path& file,
                    Session (*open)(const std::filesystem::path&)) {
  try {
    return open(file);
  } catch (const Poco::Exception& error) {
    throw std::runtime_error(describe(file, "be opened", error));
  }
}

}  // namespace

SqliteDatabase::SqliteDatabase(const std::filesystem::path& file, std::size_t readConnections)
    : file_(file), writer_(openOrThrow(file, openWriter)) {
  try {
    const auto applied = applyMigrations(writer_, sqliteMigrations(), common::nowUtc());
    if (applied > 0) {
      spdlog::info("Brought the collector database {} up to schema version {}.", file_.string(),
                   sqliteMigrations().back().version);
    }
  } catch (const Poco::Exception& error) {
    throw std::runtime_error(describeFailure("update its schema", error));
  }
  // Opened after the migrations, so no reader ever sees an older schema.
  for (std::size_t i = 0; i < std::max<std::size_t>(readConnections, 1); ++i) {
    readers_.push_back(openOrThrow(file_, openReader));
    idleReaders_.push_back(i);
  }
}

std::string SqliteDatabase::describeFailure(std::string_view action,
                                            const Poco::Exception& error) const {
  return describe(file_, action, error);
}

SqliteDatabase::ReadLease::ReadLease(SqliteDatabase& database) : database_(database), index_(0) {
  std::unique_lock lock(database_.readMutex_);
  database_.readerFreed_.wait(lock, [&] { return !database_.idleReaders_.empty(); });
  index_ = database_.idleReaders_.back();
  database_.idleReaders_.pop_back();
}

SqliteDatabase::ReadLease::~ReadLease() {
  {
    std::lock_guard lock(database_.readMutex_);
    database_.idleReaders_.push_back(index_);
  }
  database_.readerFreed_.notify_one();
}

}  // namespace clubsafe::collector
