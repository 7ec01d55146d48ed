#include "agent/history/history_database.hpp"

#include "agent/history/history_snapshot.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/agent/history/history_files.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace clubsafe::agent::history {
namespace {

namespace fs = std::filesystem;
using platform::Browser;
using testing::HistoryFile;

constexpr std::int64_t kTime = 1'795'561'753'018'523;  // 2026-11-24, microseconds

std::vector<Visit> readAll(const fs::path& original, Browser browser, Cursor cursor = {}) {
  const HistorySnapshot snapshot(original);
  HistoryDatabase database(snapshot.path(), browser, original.string());
  return database.visitsAfter(cursor, 1000);
}

HistoryError::Kind kindOfRead(const fs::path& original, Browser browser) {
  try {
    (void)readAll(original, browser);
  } catch (const HistoryError& error) {
    return error.kind();
  }
  ADD_FAILURE() << original << " was read";
  return HistoryError::Kind::Missing;
}

std::vector<std::string> urlsOf(const std::vector<Visit>& visits) {
  std::vector<std::string> urls;
  for (const auto& visit : visits) urls.push_back(visit.url);
  return urls;
}

TEST(HistoryDatabaseTest, ChromiumVisitsComeWithTitlesTimesSince1970AndTheBrowsersSearchTerms) {
  const clubsafe::testing::TempDir dir;
  HistoryFile file(dir.path() / "History", Browser::Chromium);
  (void)file.add("http://www.example.org/", "Example page", kTime);
  (void)file.add(
      {"https://www.ecosia.org/search?q=rain", "rain - Ecosia", kTime + 5, -1, 0, "rain"});
  const auto visits = readAll(dir.path() / "History", Browser::Chromium);
  ASSERT_EQ(visits.size(), 2U);
  EXPECT_EQ(visits[0].url, "http://www.example.org/");
  EXPECT_EQ(visits[0].title, "Example page");
  EXPECT_EQ(visits[0].micros, kTime);
  EXPECT_EQ(visits[0].searchTerms, "");
  EXPECT_EQ(visits[1].searchTerms, "rain");
  EXPECT_GT(visits[1].id, visits[0].id);
}

TEST(HistoryDatabaseTest, OnlyTheLastStepOfAChromiumRedirectChainIsAVisit) {
  const clubsafe::testing::TempDir dir;
  HistoryFile file(dir.path() / "History", Browser::Chromium);
  const auto first = file.add(
      {"http://www.bing.com/search?q=x", "", kTime, testing::kChromiumRedirectStart, 0, ""});
  (void)file.add({"https://www.bing.com/search?q=x", "x - Search", kTime,
                  testing::kChromiumRedirectEnd, first, ""});
  EXPECT_EQ(urlsOf(readAll(dir.path() / "History", Browser::Chromium)),
            std::vector<std::string>{"https://www.bing.com/search?q=x"});
}

TEST(HistoryDatabaseTest, FirefoxVisitsLeaveOutEmbeddedPagesAndRedirectSources) {
  const clubsafe::testing::TempDir dir;
  HistoryFile file(dir.path() / "places.sqlite", Browser::Firefox);
  (void)file.add("http://www.example.org/", "Example page", kTime);
  (void)file.add({"http://ads.example.net/frame", "", kTime + 1, testing::kFirefoxEmbed, 0, ""});
  const auto source = file.add("http://short.example/abc", "", kTime + 2);
  (void)file.add({"http://www.example.org/long", "Long", kTime + 2,
                  testing::kFirefoxRedirectTemporary, source, ""});
  const auto visits = readAll(dir.path() / "places.sqlite", Browser::Firefox);
  EXPECT_EQ(urlsOf(visits),
            (std::vector<std::string>{"http://www.example.org/", "http://www.example.org/long"}));
  EXPECT_EQ(visits[0].micros, kTime);
  EXPECT_EQ(visits[0].title, "Example page");
}

TEST(HistoryDatabaseTest, ReadsOnFromTheCursorByHigherIdOrLaterTime) {
  const clubsafe::testing::TempDir dir;
  HistoryFile file(dir.path() / "places.sqlite", Browser::Firefox);
  const auto one = file.add("http://one.example/", "", kTime);
  (void)file.add("http://two.example/", "", kTime + 10);
  EXPECT_EQ(urlsOf(readAll(dir.path() / "places.sqlite", Browser::Firefox, {one, kTime})),
            std::vector<std::string>{"http://two.example/"});
  // Firefox reuses ids after history is cleared: a later visit with a lower id is still new.
  EXPECT_EQ(urlsOf(readAll(dir.path() / "places.sqlite", Browser::Firefox, {one + 5, kTime + 5})),
            std::vector<std::string>{"http://two.example/"});
  EXPECT_TRUE(
      readAll(dir.path() / "places.sqlite", Browser::Firefox, {one + 5, kTime + 10}).empty());
}

TEST(HistoryDatabaseTest, TheFirstCursorStartsAfterEveryVisitBeforeTheGivenTime) {
  const clubsafe::testing::TempDir dir;
  HistoryFile file(dir.path() / "History", Browser::Chromium);
  const auto old = file.add("http://old.example/", "", kTime - 100);
  (void)file.add("http://new.example/", "", kTime + 100);
  const HistorySnapshot snapshot(dir.path() / "History");
  HistoryDatabase database(snapshot.path(), Browser::Chromium, "History");
  const auto cursor = database.cursorAt(kTime);
  EXPECT_EQ(cursor, (Cursor{old, kTime}));
  EXPECT_EQ(urlsOf(database.visitsAfter(cursor, 10)),
            std::vector<std::string>{"http://new.example/"});
}

TEST(HistoryDatabaseTest, WhatIsOnlyInTheWalIsRead) {
  const clubsafe::testing::TempDir dir;
  const auto path = dir.path() / "places.sqlite";
  HistoryFile file(path, Browser::Firefox);
  (void)file.add("http://in-the-wal.example/", "", kTime);
  ASSERT_GT(fs::file_size(path.string() + "-wal"), 0U);
  EXPECT_EQ(urlsOf(readAll(path, Browser::Firefox)),
            std::vector<std::string>{"http://in-the-wal.example/"});
}

TEST(HistoryDatabaseTest, AnOpenWriteTransactionIsNeitherWaitedForNorRead) {
  const clubsafe::testing::TempDir dir;
  const auto path = dir.path() / "History";
  HistoryFile file(path, Browser::Chromium);
  (void)file.add("http://committed.example/", "", kTime);
  // A tiny page cache makes SQLite write changed pages into the file before the commit, with
  // the old ones in the journal: the copy must roll them back.
  file.db().execute("PRAGMA cache_size = 1");
  outbox::Transaction writing(file.db());
  for (int i = 0; i < 500; ++i) {
    (void)file.add("http://uncommitted.example/" + std::to_string(i) + std::string(200, 'x'), "",
                   kTime + 1 + i);
  }
  ASSERT_GT(fs::file_size(path.string() + "-journal"), 0U);
  EXPECT_EQ(urlsOf(readAll(path, Browser::Chromium)),
            std::vector<std::string>{"http://committed.example/"});
}

TEST(HistoryDatabaseTest, TruncatedGarbageAndForeignFilesAreRefusedWithTheirReason) {
  const clubsafe::testing::TempDir dir;
  {
    HistoryFile file(dir.path() / "History", Browser::Chromium);
    for (int i = 0; i < 200; ++i) {
      (void)file.add("http://page.example/" + std::to_string(i), std::string(300, 't'), kTime);
    }
  }
  fs::resize_file(dir.path() / "History", fs::file_size(dir.path() / "History") / 3);
  EXPECT_EQ(kindOfRead(dir.path() / "History", Browser::Chromium), HistoryError::Kind::Damaged);

  std::ofstream(dir.file("garbage"), std::ios::binary) << std::string(8192, '\x5a');
  EXPECT_EQ(kindOfRead(dir.path() / "garbage", Browser::Firefox), HistoryError::Kind::Damaged);

  {
    outbox::Database other(dir.file("other.sqlite"), outbox::Database::Mode::ReadWriteCreate);
    other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
    other.execute("INSERT INTO notes (text) VALUES ('hello')");
  }
  EXPECT_EQ(kindOfRead(dir.path() / "other.sqlite", Browser::Chromium),
            HistoryError::Kind::UnfamiliarSchema);
  // A Chromium file read as Firefox's is just as foreign.
  { HistoryFile file(dir.path() / "History2", Browser::Chromium); }
  EXPECT_EQ(kindOfRead(dir.path() / "History2", Browser::Firefox),
            HistoryError::Kind::UnfamiliarSchema);
}

// A young person can write their own places.sqlite: a view over an endless query in place of a
// history table once held the agent's history thread at 100% CPU for good.
TEST(HistoryDatabaseTest, AHistoryTableThatIsAViewIsRefusedAtOnce) {
  const clubsafe::testing::TempDir dir;
  {
    outbox::Database hostile(dir.file("places.sqlite"), outbox::Database::Mode::ReadWriteCreate);
    hostile.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT, title TEXT)");
    hostile.execute(
        "CREATE VIEW moz_historyvisits AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
        "SELECT i + 1 FROM n) SELECT i AS id, 1 AS place_id, i AS visit_date, 1 AS visit_type, "
        "0 AS from_visit FROM n");
  }
  // Without the check this never returns (and ctest's time limit fails it).
  EXPECT_EQ(kindOfRead(dir.path() / "places.sqlite", Browser::Firefox),
            HistoryError::Kind::UnfamiliarSchema);
}

}  // namespace
}  // namespace clubsafe::agent::history
