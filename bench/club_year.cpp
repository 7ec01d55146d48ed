// A year of a 50-laptop club in the collector's database, and how fast the console reads it
// (docs/PERFORMANCE.md, "A club's year").
//
//   club_year generate DATABASE [--laptops N] [--weeks N] [--seed N]
//
// `generate` enrols the laptops and stores the simulated events through the collector's own
// EventStore, in batches as the laptops send them, so every rollup is built as at ingest. It then
// stores the same events again in DATABASE.without-rollups with the rollups left out, and times
// only the stores, so that the two rates show what the rollups cost.
#include "bench/club_simulation.hpp"
#include "collector/club_time/club_time.hpp"
#include "collector/storage/sqlite_event_store.hpp"
#include "collector/storage/sqlite_stores.hpp"
#include "common/crypto.hpp"

#include <Poco/Data/Session.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::bench {
namespace {

using Clock = std::chrono::steady_clock;
using common::Timestamp;

struct Options {
  std::filesystem::path database;
  ClubShape shape;
};

int numberAfter(std::vector<std::string_view>& args, std::size_t& i) {
  if (i + 1 >= args.size()) throw std::invalid_argument(std::string(args[i]) + " needs a number");
  return std::stoi(std::string(args[++i]));
}

Options parse(std::vector<std::string_view> args) {
  if (args.size() < 2 || args[0] != "generate") {
    throw std::invalid_argument(
        "usage: club_year generate DATABASE [--laptops N] [--weeks N] [--seed N]");
  }
  Options options;
  options.database = std::string(args[1]);
  // The first Monday of 2026: the year spans both of the UK's clock changes.
  options.shape.firstDay = std::chrono::sys_days(std::chrono::year(2026) / 1 / 5);
  for (std::size_t i = 2; i < args.size(); ++i) {
    if (args[i] == "--laptops")
      options.shape.laptops = numberAfter(args, i);
    else if (args[i] == "--weeks")
      options.shape.weeks = numberAfter(args, i);
    else if (args[i] == "--seed")
      options.shape.seed = static_cast<std::uint64_t>(numberAfter(args, i));
    else
      throw std::invalid_argument("unknown option " + std::string(args[i]));
  }
  return options;
}

void enrolLaptops(collector::DeviceStore& devices, int laptops) {
  const Timestamp now = std::chrono::time_point_cast<std::chrono::milliseconds>(
      std::chrono::sys_days(std::chrono::year(2026) / 1 / 1));
  for (int i = 1; i <= laptops; ++i) {
    const std::string tokenHash = common::sha256Hex("token-" + std::to_string(i));
    devices.createEnrolmentToken(
        tokenHash, "bench", "bench", now, now + std::chrono::hours(1),
        {.time = now, .actor = "bench", .action = "enrolment.create", .target = "", .detail = ""});
    devices.enrolDevice(tokenHash,
                        {.id = "laptop-" + std::to_string(i),
                         .secretHash = common::sha256Hex("secret"),
                         .name = "Laptop " + std::to_string(i),
                         .hostname = "club-laptop-" + std::to_string(i),
                         .os = "Debian GNU/Linux 12",
                         .agentVersion = "0.9.0"},
                        now);
  }
}

std::map<std::string, std::int64_t> tableRows(Poco::Data::Session& session) {
  std::vector<std::string> tables;
  session << "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
      Poco::Data::Keywords::into(tables), Poco::Data::Keywords::now;
  std::map<std::string, std::int64_t> rows;
  for (const auto& table : tables) {
    Poco::Int64 count = 0;
    session << "SELECT COUNT(*) FROM \"" + table + "\"", Poco::Data::Keywords::into(count),
        Poco::Data::Keywords::now;
    if (count > 0) rows[table] = count;
  }
  return rows;
}

struct Ingest {
  SimulationCounts counts;
  double seconds = 0;     // in storeEvents alone
  double cpuSeconds = 0;  // the process's CPU time in storeEvents: on a shared machine, where
                          // other work stretches the wall time, the figure that compares
};

double processCpuSeconds() {
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

Ingest ingest(const Options& options, collector::SqliteStores& stores,
              collector::SqliteEventStore::Rollups rollups) {
  const collector::ClubTime london("Europe/London", {});
  ClubShape shape = options.shape;
  shape.localMidnight = [&](std::chrono::sys_days day) {
    return london.startOfLocalDay(std::chrono::local_days(day.time_since_epoch()));
  };
  enrolLaptops(stores.stores().devices, options.shape.laptops);
  collector::SqliteEventStore events(stores.database(), rollups);
  Ingest result;
  result.counts = simulateClub(shape, [&](common::Batch&& batch) {
    const auto started = Clock::now();
    const auto cpuStarted = processCpuSeconds();
    events.storeEvents(batch, batch.events.back().time + std::chrono::minutes(1));
    result.seconds += std::chrono::duration<double>(Clock::now() - started).count();
    result.cpuSeconds += processCpuSeconds() - cpuStarted;
  });
  return result;
}

int generate(const Options& options) {
  auto without = options.database;
  without += ".without-rollups";
  std::filesystem::remove(without);
  const auto bare = [&] {
    collector::SqliteStores stores(without);
    return ingest(options, stores, collector::SqliteEventStore::Rollups::Skipped);
  }();
  std::filesystem::remove(without);
  std::filesystem::remove(options.database);
  collector::SqliteStores stores(options.database);
  const auto [counts, seconds, cpuSeconds] =
      ingest(options, stores, collector::SqliteEventStore::Rollups::Built);

  auto rows = stores.database().write(
      "count the rows", [](Poco::Data::Session& session) { return tableRows(session); });
  stores.database().write("checkpoint", [](Poco::Data::Session& session) {
    session << "PRAGMA wal_checkpoint(TRUNCATE)", Poco::Data::Keywords::now;
  });
  const auto bytes = std::filesystem::file_size(options.database);

  std::cout << "| figure | value |\n|---|---|\n"
            << "| laptops, weeks | " << options.shape.laptops << ", " << options.shape.weeks
            << " |\n"
            << "| events stored | " << counts.events << " in " << counts.batches << " batches |\n"
            << "| ingest with rollups, one client | " << static_cast<long>(counts.events / seconds)
            << " events/s (" << seconds << " s; CPU " << cpuSeconds << " s, "
            << static_cast<long>(counts.events / cpuSeconds) << " events a CPU second) |\n"
            << "| the same without rollups | "
            << static_cast<long>(bare.counts.events / bare.seconds) << " events/s (" << bare.seconds
            << " s; CPU " << bare.cpuSeconds << " s, "
            << static_cast<long>(bare.counts.events / bare.cpuSeconds)
            << " events a CPU second) |\n"
            << "| database file | " << bytes / (1024 * 1024) << " MiB |\n"
            << "| bytes per event | " << bytes / std::max<std::uint64_t>(1, counts.events)
            << " |\n";
  for (const auto& [table, count] : rows)
    std::cout << "| rows in " << table << " | " << count << " |\n";
  return 0;
}

}  // namespace
}  // namespace clubsafe::bench

int main(int argc, char** argv) {
  try {
    const auto options = clubsafe::bench::parse({argv + 1, argv + argc});
    return clubsafe::bench::generate(options);
  } catch (const std::exception& error) {
    std::cerr << "club_year: " << error.what() << '\n';
    return 2;
  }
}
