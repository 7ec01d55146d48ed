#include "agent/history/history_database.hpp"

#include "agent/history/history_snapshot.hpp"

#include <string_view>

namespace clubsafe::agent::history {
namespace {

using platform::Browser;

// New visits are looked up through the id and the time index separately: with nothing new, no
// row is read. Chromium: only the last visit of a redirect chain (transition qualifier CHAIN_END,
// 0x20000000) is the page that was shown; the search terms are the browser's own record.
constexpr std::string_view kChromiumVisits =
    "SELECT v.id, v.visit_time - ?4, u.url, u.title, "
    "(SELECT k.term FROM keyword_search_terms k WHERE k.url_id = u.id LIMIT 1) "
    "FROM visits v JOIN urls u ON u.id = v.url "
    "WHERE v.id IN (SELECT id FROM visits WHERE id > ?1 "
    "               UNION ALL SELECT id FROM visits WHERE visit_time > ?2 + ?4) "
    "AND (v.transition & 536870912) != 0 "
    "ORDER BY v.id LIMIT ?3";
constexpr std::string_view kChromiumCursor =
    "SELECT coalesce(max(id), 0) FROM visits WHERE visit_time <= ?1 + ?2";

// Firefox: visit_type 4 is an embedded page; a visit another visit was redirected from
// (types 5 and 6) is a first step of a redirect chain.
constexpr std::string_view kFirefoxVisits =
    "SELECT v.id, v.visit_date, p.url, p.title, '' "
    "FROM moz_historyvisits v JOIN moz_places p ON p.id = v.place_id "
    "WHERE v.id IN (SELECT id FROM moz_historyvisits WHERE id > ?1 "
    "               UNION ALL SELECT id FROM moz_historyvisits WHERE visit_date > ?2) "
    "AND v.visit_type != 4 "
    "AND NOT EXISTS (SELECT 1 FROM moz_historyvisits r "
    "                WHERE r.from_visit = v.id AND r.visit_type IN (5, 6)) "
    "ORDER BY v.id LIMIT ?3";
constexpr std::string_view kFirefoxCursor =
    "SELECT coalesce(max(id), 0) FROM moz_historyvisits WHERE visit_date <= ?1";

// The tables the queries above read; each must be a table of its own.
constexpr std::string_view kFirefoxTables =
    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
    "AND name IN ('moz_historyvisits', 'moz_places')";
constexpr std::int64_t kFirefoxTableCount = 2;
constexpr std::string_view kChromiumTables =
    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
    "AND name IN ('visits', 'urls', 'keyword_search_terms')";
constexpr std::int64_t kChromiumTableCount = 3;

// How many SQLite virtual machine steps run between looks at the clock.
constexpr int kStepsBetweenChecks = 10'000;

std::int64_t epochOffset(Browser browser) {
  return browser == Browser::Firefox ? 0 : kChromiumEpochOffsetMicros;
}

int pastDeadline(void* deadline) {
  return std::chrono::steady_clock::now() >
                 *static_cast<const std::chrono::steady_clock::time_point*>(deadline)
             ? 1
             : 0;
}

}  // namespace

template <typename Action>
auto HistoryDatabase::guarded(Action&& action) {
  deadline_ = std::chrono::steady_clock::now() + kLongestRead;
  try {
    return action();
  } catch (const outbox::SqliteError& error) {
    if (error.code() == SQLITE_INTERRUPT) {
      throw HistoryError(HistoryError::Kind::Damaged,
                         original_ + " took longer than " + std::to_string(kLongestRead.count()) +
                             " s to read, so it was left alone; it may be built to stall the "
                             "agent");
    }
    if (error.code() == SQLITE_ERROR) {
      throw HistoryError(HistoryError::Kind::UnfamiliarSchema,
                         original_ + " is not laid out as " +
                             std::string(platform::browserName(browser_)) + " keeps its history (" +
                             error.what() + ")");
    }
    throw HistoryError(HistoryError::Kind::Damaged,
                       original_ + " is damaged or not a history database (" + error.what() + ")");
  }
}

HistoryDatabase::HistoryDatabase(const std::filesystem::path& copy, Browser browser,
                                 std::string original)
    : browser_(browser), original_(std::move(original)), db_([&] {
        try {
          // Read-write on the private copy only, so SQLite can roll back a journal the browser
          // left mid-write; query_only makes sure nothing else is ever written.
          return outbox::Database(copy.string(), outbox::Database::Mode::ReadWriteCreate);
        } catch (const outbox::SqliteError& error) {
          throw HistoryError(HistoryError::Kind::Damaged,
                             original_ + " cannot be opened as a database (" + error.what() + ")");
        }
      }()) {
  sqlite3_progress_handler(db_.handle(), kStepsBetweenChecks, pastDeadline, &deadline_);
  const bool firefox = browser_ == Browser::Firefox;
  const auto tables = guarded([&] {
    db_.execute("PRAGMA query_only = 1");
    // Reading the schema finds garbage and truncated headers before any query does.
    std::int64_t found = 0;
    db_.prepare(firefox ? kFirefoxTables : kChromiumTables)
        .forEachRow([&](const outbox::Statement& row) { found = row.integer(0); });
    return found;
  });
  if (tables != (firefox ? kFirefoxTableCount : kChromiumTableCount)) {
    throw HistoryError(HistoryError::Kind::UnfamiliarSchema,
                       original_ + " is not laid out as " +
                           std::string(platform::browserName(browser_)) +
                           " keeps its history (its history tables are missing or are not plain "
                           "tables)");
  }
}

std::vector<Visit> HistoryDatabase::visitsAfter(const Cursor& cursor, std::size_t limit) {
  return guarded([&] {
    const bool firefox = browser_ == Browser::Firefox;
    auto statement = db_.prepare(firefox ? kFirefoxVisits : kChromiumVisits);
    statement.bind(1, cursor.lastVisitId)
        .bind(2, cursor.lastVisitMicros)
        .bind(3, static_cast<std::int64_t>(limit));
    if (!firefox) statement.bind(4, epochOffset(browser_));
    std::vector<Visit> visits;
    statement.forEachRow([&](const outbox::Statement& row) {
      visits.push_back({row.integer(0), row.integer(1), row.text(2), row.text(3), row.text(4)});
    });
    return visits;
  });
}

Cursor HistoryDatabase::cursorAt(std::int64_t micros) {
  return guarded([&] {
    const bool firefox = browser_ == Browser::Firefox;
    auto statement = db_.prepare(firefox ? kFirefoxCursor : kChromiumCursor);
    statement.bind(1, micros);
    if (!firefox) statement.bind(2, epochOffset(browser_));
    Cursor cursor{0, micros};
    statement.forEachRow(
        [&](const outbox::Statement& row) { cursor.lastVisitId = row.integer(0); });
    return cursor;
  });
}

}  // namespace clubsafe::agent::history
