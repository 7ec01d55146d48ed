// How long the dashboard takes on a collector database holding a club's year (docs/PERFORMANCE.md,
// "The dashboard"): the read model's dashboard for the last four weeks, the last quarter and
// the whole year before the newest rollup hour, and "in use now", each timed over many rounds.
//
//   dashboard_year DATABASE [--rounds N]
//
// DATABASE is any collector database (a copy: opening it brings its schema up to date), e.g. one
// made by club_year or by the explorer's benchmark, whose events were stored through ingest.
#include "collector/storage/sqlite_query.hpp"
#include "collector/storage/sqlite_stores.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace clubsafe::bench {
namespace {

using namespace collector;
using Clock = std::chrono::steady_clock;

struct Timing {
  double median = 0;
  double p95 = 0;
};

template <typename Work>
Timing time(int rounds, Work work) {
  std::vector<double> milliseconds;
  for (int round = 0; round < rounds; ++round) {
    const auto started = Clock::now();
    work();
    milliseconds.push_back(
        std::chrono::duration<double, std::milli>(Clock::now() - started).count());
  }
  std::sort(milliseconds.begin(), milliseconds.end());
  const auto at = [&](double share) {
    return milliseconds[std::min(
        milliseconds.size() - 1,
        static_cast<std::size_t>(share * static_cast<double>(milliseconds.size())))];
  };
  return {.median = at(0.5), .p95 = at(0.95)};
}

std::int64_t count(SqliteDatabase& database, const std::string& sql) {
  return database.read("count", [&](Poco::Data::Session& session) {
    return sqlite::query<Poco::Int64>(session, sql).at(0);
  });
}

int run(const std::filesystem::path& file, int rounds) {
  if (!std::filesystem::exists(file)) {
    std::cerr << file << " does not exist.\n";
    return 2;
  }
  SqliteStores sqlite(file);
  auto& database = sqlite.database();
  const auto newest = count(database, "SELECT COALESCE(MAX(hour), 0) FROM rollup_counts");
  std::cout << "rollup rows: dns " << count(database, "SELECT COUNT(*) FROM rollup_dns")
            << ", domains " << count(database, "SELECT COUNT(*) FROM rollup_dns_domains")
            << ", apps " << count(database, "SELECT COUNT(*) FROM rollup_apps") << ", counts "
            << count(database, "SELECT COUNT(*) FROM rollup_counts") << "; laptops "
            << count(database, "SELECT COUNT(*) FROM devices") << "\n";
  std::cout << "day rows: dns " << count(database, "SELECT COUNT(*) FROM rollup_day_dns")
            << ", domains " << count(database, "SELECT COUNT(*) FROM rollup_day_dns_domains")
            << " (spans of 16 days "
            << count(database, "SELECT COUNT(*) FROM rollup_span_dns_domains") << "), apps "
            << count(database, "SELECT COUNT(*) FROM rollup_day_apps") << ", counts "
            << count(database, "SELECT COUNT(*) FROM rollup_day_counts") << ", laptop-days "
            << count(database, "SELECT COUNT(*) FROM rollup_day_devices") << "\n";

  const ClubTime london("Europe/London", parseOpeningHoursSetting("mon,tue,thu,fri 17:00-20:00"));
  const auto end = startOfUtcHour(newest + 1);
  auto& readModel = sqlite.stores().readModel;
  std::cout << "| period | median ms | p95 ms |\n|---|---|---|\n";
  for (const auto& [words, days] : {std::pair{"last 4 weeks", 28}, std::pair{"last 13 weeks", 91},
                                    std::pair{"last year", 365}}) {
    const auto from = end - std::chrono::days(days);
    const auto timing = time(rounds, [&] { (void)readModel.dashboard(london, from, end, 10); });
    std::cout << "| dashboard, " << words << " | " << timing.median << " | " << timing.p95
              << " |\n";
  }
  const auto timing =
      time(rounds, [&] { (void)readModel.inUseNow(end, std::chrono::minutes(10)); });
  std::cout << "| in use now | " << timing.median << " | " << timing.p95 << " |\n";
  return 0;
}

}  // namespace
}  // namespace clubsafe::bench

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: dashboard_year DATABASE [--rounds N]\n";
    return 2;
  }
  int rounds = 20;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--rounds") rounds = std::stoi(argv[i + 1]);
  }
  try {
    return clubsafe::bench::run(argv[1], rounds);
  } catch (const std::exception& error) {
    std::cerr << error.what() << "\n";
    return 1;
  }
}
