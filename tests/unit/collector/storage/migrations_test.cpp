#include "collector/storage/migrations.hpp"

#include "collector/storage/sqlite_stores.hpp"
#include "common/time.hpp"
#include "tests/support/temp_dir.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include <stdexcept>

namespace clubsafe::collector {
namespace {

namespace db = Poco::Data::Keywords;

Poco::Data::Session openSession(const std::filesystem::path& file) {
  Poco::Data::SQLite::Connector::registerConnector();
  return Poco::Data::Session(Poco::Data::SQLite::Connector::KEY, file.string());
}

std::vector<int> recordedVersions(Poco::Data::Session& session) {
  std::vector<int> versions;
  session << "SELECT version FROM schema_migrations ORDER BY version", db::into(versions), db::now;
  return versions;
}

std::vector<int> allVersions() {
  std::vector<int> versions;
  for (const auto& migration : sqliteMigrations()) versions.push_back(migration.version);
  return versions;
}

bool tableExists(Poco::Data::Session& session, const std::string& name) {
  int count = 0;
  session << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", db::bind(name),
      db::into(count), db::now;
  return count == 1;
}

// Versions are a set, so features built at once may each take a number in advance: gaps are
// allowed, but the list goes upwards from 1 with each version once.
TEST(Migrations, VersionsGoUpwardsFromOne) {
  int previous = 0;
  for (const auto& migration : sqliteMigrations()) {
    EXPECT_GT(migration.version, previous);
    previous = migration.version;
    EXPECT_FALSE(migration.description.empty());
    EXPECT_FALSE(migration.statements.empty());
  }
  EXPECT_EQ(sqliteMigrations().front().version, 1);
}

TEST(Migrations, NewFileGetsEveryMigrationOnceAndReapplyingDoesNothing) {
  testing::TempDir directory;
  auto session = openSession(directory.path() / "fresh.db");

  EXPECT_EQ(applyMigrations(session, sqliteMigrations(), common::nowUtc()),
            sqliteMigrations().size());
  EXPECT_EQ(applyMigrations(session, sqliteMigrations(), common::nowUtc()), 0U);
  EXPECT_EQ(recordedVersions(session), allVersions());
  for (const auto* table : {"devices", "enrolment_tokens", "events", "console_users",
                            "console_sessions", "policy_documents", "audit_log", "filter_lists",
                            "filter_profiles", "filter_settings", "event_types"}) {
    EXPECT_TRUE(tableExists(session, table)) << table;
  }
}

TEST(Migrations, FailingMigrationLeavesNoTraceAndEarlierOnesStay) {
  testing::TempDir directory;
  auto session = openSession(directory.path() / "broken.db");
  const std::vector<Migration> migrations = {
      {1, "first", {"CREATE TABLE first (id INTEGER PRIMARY KEY)"}},
      {2, "second", {"CREATE TABLE second (id INTEGER PRIMARY KEY)", "THIS IS NOT SQL"}},
  };

  EXPECT_ANY_THROW((void)applyMigrations(session, migrations, common::nowUtc()));
  EXPECT_EQ(recordedVersions(session), std::vector<int>{1});
  EXPECT_TRUE(tableExists(session, "first"));
  EXPECT_FALSE(tableExists(session, "second"));
}

TEST(Migrations, StorageReopenKeepsDataAndAppliesNothingTwice) {
  testing::TempDir directory;
  const auto file = directory.path() / "collector.db";
  {
    SqliteStores stores(file);
    stores.stores().accounts.createUser(
        {.username = "alice", .roles = {"manager"}, .passwordHash = "hash"}, {});
  }
  {
    SqliteStores reopened(file);
    ASSERT_TRUE(reopened.stores().accounts.findUserByName("alice").has_value());
    EXPECT_EQ(reopened.stores().accounts.countUsers(), 1U);
  }
  auto session = openSession(file);
  EXPECT_EQ(recordedVersions(session), allVersions());
  std::string journalMode;
  session << "PRAGMA journal_mode", db::into(journalMode), db::now;
  EXPECT_EQ(journalMode, "wal");
}

TEST(Migrations, DatabaseFromNewerCollectorIsRefused) {
  testing::TempDir directory;
  const auto file = directory.path() / "collector.db";
  { const SqliteDatabase database(file); }
  {
    auto session = openSession(file);
    session << "INSERT INTO schema_migrations (version, applied_at) "
               "VALUES (999, '2030-01-01T00:00:00.000Z')",
        db::now;
  }
  try {
    const SqliteDatabase database(file);
    FAIL() << "a database with an unknown schema version was opened";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("newer"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace clubsafe::collector
