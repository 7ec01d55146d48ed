// How long the audit report for a year of a 50-laptop club takes (docs/PERFORMANCE.md, "The
// audit report"): the read model's hourly rollups filled at a club's density, then the report
// built, drawn as a PDF and written as JSON, each timed.
//
//   report_year DATABASE [--laptops N] [--weeks N]
//
// DATABASE must not exist yet. The rollups are written directly, at the shape ingest gives
// them (four evenings a week, three hours each, three members per laptop an hour); the few
// rows a report lists by name (unlocks, changes, checks) go through the stores.
#include "collector/report/report_builder.hpp"
#include "collector/report/report_json.hpp"
#include "collector/report/report_pdf.hpp"
#include "collector/storage/sqlite_query.hpp"
#include "collector/storage/sqlite_stores.hpp"
#include "common/crypto.hpp"
#include "common/time.hpp"

#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>

namespace clubsafe::bench {
namespace {

using namespace collector;
using Clock = std::chrono::steady_clock;
using common::Timestamp;

// The first Monday of 2026, 00:00 UTC.
const Timestamp kFirstDay = Timestamp(std::chrono::sys_days(std::chrono::year(2026) / 1 / 5));

double millisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void enrol(const Stores& stores, int laptops) {
  for (int i = 0; i < laptops; ++i) {
    const auto token = "token " + std::to_string(i);
    stores.devices.createEnrolmentToken(common::sha256Hex(token), "bench", "bench", kFirstDay,
                                        kFirstDay + std::chrono::hours(1),
                                        {kFirstDay, "bench", "enrolment_token.create", "", ""});
    stores.devices.enrolDevice(common::sha256Hex(token),
                               {.id = "dev_" + std::to_string(i),
                                .secretHash = common::sha256Hex("secret"),
                                .name = "Laptop " + std::to_string(i + 1),
                                .hostname = "club-" + std::to_string(i),
                                .os = "Debian GNU/Linux 12",
                                .agentVersion = "0.1.0"},
                               kFirstDay);
  }
}

// Every (hour, laptop, member) the club is open and in use, as a CTE other statements join.
const std::string kUse = R"sql(
WITH RECURSIVE week(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM week WHERE n + 1 < ?),
evening(n) AS (VALUES (0), (1), (3), (4)),
clock(n) AS (VALUES (17), (18), (19)),
laptop(id, n) AS (SELECT id, rowid FROM devices),
person(k) AS (VALUES (0), (1), (2)),
use(hour, week, device_id, laptop, member, k) AS (
  SELECT ? + (week.n * 7 + evening.n) * 24 + clock.n, week.n, laptop.id, laptop.n,
         'M-' || laptop.n || '-' || person.k, person.k
  FROM week, evening, clock, laptop, person))sql";

void fillRollups(SqliteDatabase& database, int weeks) {
  const Poco::Int64 firstHour =
      std::chrono::floor<std::chrono::hours>(kFirstDay).time_since_epoch().count();
  database.write("fill the rollups", [&](Poco::Data::Session& session) {
    sqlite::execute(session,
                    "INSERT INTO rollup_names (name) VALUES ('Firefox'), ('Chromium'), "
                    "('LibreOffice Writer'), ('Minecraft'), ('Scratch'), ('Files'), "
                    "('Terminal'), ('GIMP'), ('Kdenlive'), ('Roblox Player')");
    sqlite::execute(session, kUse + R"sql(
INSERT INTO rollup_counts (hour, device_id, kind, member, count)
SELECT hour, device_id, kind, member, amount FROM use, (
  SELECT 1 AS kind, 45 AS amount UNION ALL SELECT 2, 1 UNION ALL SELECT 3, 1
  UNION ALL SELECT 4, 3 UNION ALL SELECT 5, 14 UNION ALL SELECT 6, 1 UNION ALL SELECT 8, 1)
UNION ALL SELECT hour, device_id, 9, member, 1 FROM use WHERE (week + laptop) % 9 = 0 AND k = 0
UNION ALL SELECT hour, device_id, 10, member, 1 FROM use WHERE (hour + laptop) % 97 = 0
UNION ALL SELECT hour, device_id, 13, member, 1 FROM use WHERE (hour + laptop) % 211 = 0)sql",
                    weeks, firstHour);
    sqlite::execute(session, kUse + R"sql(
INSERT INTO rollup_dns (hour, device_id, member, profile, category, action, count)
SELECT hour, device_id, member, 'juniors', category, action, amount FROM use, (
  SELECT '' AS category, 1 AS action, 220 AS amount UNION ALL SELECT 'publicite', 2, 12
  UNION ALL SELECT 'agressif', 2, 2 UNION ALL SELECT 'drogue', 2, 1 UNION ALL SELECT 'adult', 2, 3
  UNION ALL SELECT 'social_networks', 2, 4))sql",
                    weeks, firstHour);
    // Four apps per person an hour; Roblox Player first appears in week 30.
    sqlite::execute(session, kUse + R"sql(
INSERT INTO rollup_apps (hour, device_id, member, app, seconds)
SELECT hour, device_id, member, 1 + (laptop + k + j) % 9, 900 FROM use, (
  SELECT 0 AS j UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3)
UNION ALL SELECT hour, device_id, member, 10, 600 FROM use WHERE week >= 30 AND k = 1)sql",
                    weeks, firstHour);
  });
}

std::int64_t rows(SqliteDatabase& database, const std::string& table) {
  return database.read("count", [&](Poco::Data::Session& session) {
    return sqlite::query<Poco::Int64>(session, "SELECT COUNT(*) FROM " + table).at(0);
  });
}

int run(const std::filesystem::path& file, int laptops, int weeks) {
  if (std::filesystem::exists(file)) {
    std::cerr << file << " exists; give a new file.\n";
    return 2;
  }
  SqliteStores sqlite(file);
  const auto& stores = sqlite.stores();
  auto started = Clock::now();
  enrol(stores, laptops);
  fillRollups(sqlite.database(), weeks);
  for (int week = 0; week < weeks; ++week) {
    stores.reports.recordCheck({.id = 0,
                                .checkedAt = kFirstDay + std::chrono::days(7 * week + 1),
                                .checkedBy = "Siân Evans",
                                .what = "Weekly check of the dashboard and self-tests",
                                .actions = "",
                                .recordedBy = "manager",
                                .recordedAt = kFirstDay + std::chrono::days(7 * week + 1)},
                               {kFirstDay, "manager", "report.check", "", ""});
  }
  std::cout << "filled in " << millisecondsSince(started) << " ms: rollup_counts "
            << rows(sqlite.database(), "rollup_counts") << ", rollup_dns "
            << rows(sqlite.database(), "rollup_dns") << ", rollup_apps "
            << rows(sqlite.database(), "rollup_apps") << " rows; database "
            << std::filesystem::file_size(file) / (1024 * 1024) << " MiB\n";

  ReportBuilder builder(stores.devices, stores.filtering, stores.reportFigures,
                        stores.reportRecords, "Europe/London");
  const auto from = kFirstDay;
  const auto to = kFirstDay + std::chrono::days(7 * weeks);
  for (int round = 1; round <= 5; ++round) {
    started = Clock::now();
    const auto report = builder.build(from, to, common::nowUtc());
    const auto built = millisecondsSince(started);
    started = Clock::now();
    const auto pdf = renderReportPdf(report);
    const auto drawn = millisecondsSince(started);
    started = Clock::now();
    const auto json = reportJsonText(report);
    const auto written = millisecondsSince(started);
    std::cout << "round " << round << ": build " << built << " ms, PDF " << drawn << " ms ("
              << pdf.size() / 1024 << " KiB), JSON " << written << " ms (" << json.size() / 1024
              << " KiB); total " << built + drawn + written << " ms\n";
  }
  return 0;
}

}  // namespace
}  // namespace clubsafe::bench

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: report_year DATABASE [--laptops N] [--weeks N]\n";
    return 2;
  }
  int laptops = 50;
  int weeks = 52;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string option = argv[i];
    if (option == "--laptops") laptops = std::stoi(argv[i + 1]);
    if (option == "--weeks") weeks = std::stoi(argv[i + 1]);
  }
  try {
    return clubsafe::bench::run(argv[1], laptops, weeks);
  } catch (const std::exception& error) {
    std::cerr << error.what() << "\n";
    return 1;
  }
}
