// The database handle every store shares: one write transaction at a time, reads on their own
// connections that see the last commit without waiting for a write in progress.
#include "collector/storage/sqlite_database.hpp"

#include "tests/unit/collector/test_storage.hpp"

#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

namespace clubsafe::collector {
namespace {

namespace db = Poco::Data::Keywords;
using namespace std::chrono_literals;
using Poco::Data::Session;

void addUser(Session& session, std::string name) {
  session << "INSERT INTO console_users (username, password_hash) VALUES (?, 'h')", db::use(name),
      db::now;
}

int countUsers(Session& session) {
  int count = 0;
  session << "SELECT COUNT(*) FROM console_users", db::into(count), db::now;
  return count;
}

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  testing::TempDir directory_;
  std::filesystem::path file_ = directory_.path() / "state" / "collector.db";
  SqliteDatabase database_{file_, 2};
};

TEST_F(SqliteDatabaseTest, OpeningCreatesTheDirectoryAndFile) {
  EXPECT_TRUE(std::filesystem::exists(file_));
}

TEST_F(SqliteDatabaseTest, AWriteThatThrowsChangesNothing) {
  EXPECT_THROW(database_.write("add a user",
                               [](Session& session) {
                                 addUser(session, "alice");
                                 throw std::runtime_error("changed my mind");
                               }),
               std::runtime_error);
  EXPECT_EQ(database_.read("count users", countUsers), 0);
  database_.write("add a user", [](Session& session) { addUser(session, "alice"); });
  EXPECT_EQ(database_.read("count users", countUsers), 1);
}

TEST_F(SqliteDatabaseTest, AFailedStatementIsReportedWithTheFileAndAction) {
  try {
    database_.write("add a user twice", [](Session& session) {
      addUser(session, "alice");
      addUser(session, "alice");
    });
    FAIL() << "a duplicate user name was stored";
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(file_.string()), std::string::npos) << message;
    EXPECT_NE(message.find("could not add a user twice"), std::string::npos) << message;
  }
  EXPECT_EQ(database_.read("count users", countUsers), 0);
}

TEST_F(SqliteDatabaseTest, ReadConnectionsRefuseToChangeAnything) {
  EXPECT_THROW(database_.read("add a user", [](Session& session) { addUser(session, "alice"); }),
               std::runtime_error);
  EXPECT_EQ(database_.read("count users", countUsers), 0);
}

// The console's reads must not queue behind a batch being stored.
TEST_F(SqliteDatabaseTest, AReadDoesNotWaitForAWriteInProgressAndSeesTheLastCommit) {
  std::promise<void> inserted;
  std::promise<void> finish;
  std::thread writer([&] {
    database_.write("add a user slowly", [&](Session& session) {
      addUser(session, "alice");
      inserted.set_value();
      finish.get_future().wait();
    });
  });
  inserted.get_future().wait();
  auto read =
      std::async(std::launch::async, [&] { return database_.read("count users", countUsers); });
  const bool answered = read.wait_for(2s) == std::future_status::ready;
  finish.set_value();
  writer.join();
  ASSERT_TRUE(answered) << "the read waited for the writer";
  EXPECT_EQ(read.get(), 0) << "the read saw an uncommitted row";
  EXPECT_EQ(database_.read("count users", countUsers), 1);
}

TEST_F(SqliteDatabaseTest, MoreReadersThanConnectionsTakeTurns) {
  database_.write("add a user", [](Session& session) { addUser(session, "alice"); });
  std::atomic<int> seen = 0;
  std::vector<std::thread> readers;
  for (int i = 0; i < 8; ++i) {
    readers.emplace_back([&] {
      for (int j = 0; j < 20; ++j) seen += database_.read("count users", countUsers);
    });
  }
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(seen, 8 * 20);
}

}  // namespace
}  // namespace clubsafe::collector
