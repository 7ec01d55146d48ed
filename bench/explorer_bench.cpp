// The usage explorer's reads on a collector database (docs/PERFORMANCE.md, "Usage explorer"):
// the first and next page of each filter, a CSV of 10,000 rows, and a CSV of every event with
// the resident memory before and after.
//
//   explorer_bench <collector.db> [events]
//
// A database that does not exist is filled first with `events` (default 1,000,000) made-up
// events of 50 laptops over a year, in batches of 1,000 through the event store (rollups
// included): 60% DNS decisions (1 in 20 blocked, in five categories), 15% app use, 10% visits,
// 5% searches, 10% heartbeats. An existing one (e.g. a club's year from club_year) is only read.
#include "collector/http/console/event_csv.hpp"
#include "collector/storage/sqlite_stores.hpp"
#include "common/crypto.hpp"
#include "common/time.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

namespace {

using namespace clubsafe;
using namespace clubsafe::collector;
using Clock = std::chrono::steady_clock;
using std::chrono::days;
using std::chrono::hours;

double millisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

common::Event madeUpEvent(std::mt19937_64& random, Timestamp time) {
  static const char* const kCategories[] = {"gambling", "adult", "agressif", "chat", "vpn"};
  common::Event e;
  e.time = time;
  e.osUser = "club";
  e.member = "M-" + std::to_string(random() % 500);
  e.profile = random() % 4 ? "juniors" : "seniors";
  const auto site = "site" + std::to_string(random() % 2000) + ".test";
  const auto kind = random() % 100;
  if (kind < 60) {
    const bool blocked = random() % 20 == 0;
    e.type = common::EventType::DnsDecision;
    e.payload->set("domain", site);
    e.payload->set("action", blocked ? "blocked" : "allowed");
    if (blocked) e.payload->set("category", kCategories[random() % 5]);
    e.payload->set("minute",
                   common::formatTimestamp(std::chrono::floor<std::chrono::minutes>(time)));
    e.payload->set("count", static_cast<int>(1 + random() % 5));
  } else if (kind < 75) {
    e.type = common::EventType::AppUsage;
    e.payload->set("application", "app" + std::to_string(random() % 60));
    e.payload->set("seconds", 60);
    e.payload->set("started", common::formatTimestamp(time));
    e.payload->set("title", "A window title of some length");
  } else if (kind < 85) {
    e.type = common::EventType::BrowserVisit;
    e.payload->set("browser", "firefox");
    e.payload->set("url", "https://" + site + "/page/" + std::to_string(random() % 100));
    e.payload->set("title", "A page title");
    e.payload->set("visited", common::formatTimestamp(time));
  } else if (kind < 90) {
    e.type = common::EventType::SearchTerm;
    e.payload->set("engine", "ddg");
    e.payload->set("terms", "search words " + std::to_string(random() % 10000));
    e.payload->set("searched", common::formatTimestamp(time));
  } else {
    e.type = common::EventType::Heartbeat;
    e.payload->set("uptime_seconds", 5);
    e.payload->set("queue_depth", 0);
    e.payload->set("agent_version", "bench");
    e.member.clear();
    e.osUser.clear();
  }
  return e;
}

void fill(const Stores& stores, long total, Timestamp now) {
  constexpr int kLaptops = 50;
  for (int d = 0; d < kLaptops; ++d) {
    const auto id = "dev_" + std::to_string(d);
    const auto token = common::sha256Hex(id);
    (void)stores.devices.createEnrolmentToken(token, "", "bench", now - hours(1), now + hours(1),
                                              {});
    (void)stores.devices.enrolDevice(token,
                                     {.id = id,
                                      .secretHash = "x",
                                      .name = "Laptop " + std::to_string(d),
                                      .hostname = "",
                                      .os = "",
                                      .agentVersion = ""},
                                     now);
  }
  std::mt19937_64 random(42);
  std::vector<std::int64_t> sequences(kLaptops, 0);
  const auto start = Clock::now();
  for (long done = 0; done < total; done += 1000) {
    const auto d = static_cast<std::size_t>(random() % kLaptops);
    common::Batch batch;
    batch.header = {
        .version = common::kBatchVersion, .deviceId = "dev_" + std::to_string(d), .backlog = 0};
    auto time = now - days(365) + std::chrono::milliseconds(random() % (365LL * 86'400'000));
    for (int i = 0; i < 1000; ++i) {
      time += std::chrono::seconds(random() % 20);
      batch.events.push_back(madeUpEvent(random, time));
      batch.events.back().deviceId = batch.header.deviceId;
      batch.events.back().sequence = ++sequences[d];
    }
    (void)stores.events.storeEvents(batch, now);
  }
  std::printf("stored %ld events in %.1f s\n", total, millisecondsSince(start) / 1000);
}

// Median and 95th percentile of 21 first pages, and one next page from the first's cursor.
void timePages(EventQuery& query, const char* name, const EventFilter& filter) {
  std::vector<double> ms;
  std::size_t rows = 0;
  double next = 0;
  for (int i = 0; i < 21; ++i) {
    const auto start = Clock::now();
    const auto page = query.listEvents(filter, {}, 100);
    ms.push_back(millisecondsSince(start));
    rows = page.events.size();
    if (i == 0 && page.next) {
      const auto again = Clock::now();
      (void)query.listEvents(filter, page.next, 100);
      next = millisecondsSince(again);
    }
  }
  std::sort(ms.begin(), ms.end());
  std::printf("| %s | %zu | %.1f | %.1f | %.1f |\n", name, rows, ms[10], ms[19], next);
}

void timeCsv(EventQuery& query, const char* name, const EventFilter& filter, std::size_t mostRows) {
  std::vector<double> ms;
  std::size_t lines = 0;
  for (int i = 0; i < 5; ++i) {
    const auto start = Clock::now();
    EventCsvStream stream(query, filter, [](const CsvExportOutcome&) {});
    std::string chunk(64 * 1024, '\0');
    lines = 0;
    while (lines <= mostRows &&
           (stream.read(chunk.data(), static_cast<std::streamsize>(chunk.size())),
            stream.gcount() > 0)) {
      lines += static_cast<std::size_t>(
          std::count(chunk.begin(), chunk.begin() + stream.gcount(), '\n'));
    }
    ms.push_back(millisecondsSince(start));
  }
  std::sort(ms.begin(), ms.end());
  std::printf("%s: %zu lines, median %.1f ms, slowest %.1f ms\n", name, lines, ms[2], ms[4]);
}

long peakResidentKilobytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: explorer_bench <collector.db> [events]\n");
    return 2;
  }
  const std::filesystem::path file = argv[1];
  const bool fresh = !std::filesystem::exists(file);
  SqliteStores sqlite(file);
  const auto& stores = sqlite.stores();
  if (fresh) fill(stores, argc > 2 ? std::atol(argv[2]) : 1'000'000, common::nowUtc());

  // The values the filters use: those of the newest events that carry them.
  auto& query = stores.eventQuery;
  EventFilter sample;
  for (const auto& event : query.listEvents({}, {}, EventQuery::kMostPerPage).events) {
    if (sample.member.empty()) sample.member = event.member;
    if (sample.site.empty()) sample.site = event.site;
    if (sample.app.empty()) sample.app = event.app;
    if (sample.category.empty()) sample.category = event.category;
    if (sample.deviceId.empty()) sample.deviceId = event.deviceId;
  }
  const auto newest = query.listEvents({}, {}, 1).events.at(0).time;

  std::printf("| filter | rows | median ms | p95 ms | next page ms |\n|---|---|---|---|---|\n");
  timePages(query, "none", {});
  timePages(query, "member", {.member = sample.member});
  timePages(query, "member, last 30 days", {.from = newest - days(30), .member = sample.member});
  timePages(query, "laptop", {.deviceId = sample.deviceId});
  timePages(
      query, "laptop, one evening a month ago",
      {.from = newest - days(30), .to = newest - days(30) + hours(4), .deviceId = sample.deviceId});
  timePages(query, "site", {.site = sample.site});
  timePages(query, "app", {.app = sample.app});
  timePages(
      query, "category, blocked DNS decisions",
      {.category = sample.category, .action = "blocked", .type = common::EventType::DnsDecision});
  timePages(query, "action blocked (no index)", {.action = "blocked"});
  timePages(query, "profile (no index)", {.profile = "seniors"});
  timePages(query, "type search_term", {.type = common::EventType::SearchTerm});
  timePages(query, "member and site", {.member = sample.member, .site = sample.site});

  timeCsv(query, "CSV, first 10,000 rows of every event", {}, 10'000);
  timeCsv(query, "CSV, one category", {.category = sample.category}, 10'000);

  const auto before = peakResidentKilobytes();
  const auto start = Clock::now();
  CsvExportOutcome outcome;
  std::size_t bytes = 0;
  {
    EventCsvStream stream(query, {}, [&](const CsvExportOutcome& done) { outcome = done; });
    std::string chunk(64 * 1024, '\0');
    while ((stream.read(chunk.data(), static_cast<std::streamsize>(chunk.size())),
            stream.gcount() > 0)) {
      bytes += static_cast<std::size_t>(stream.gcount());
    }
  }
  std::printf(
      "CSV of every event: %lld rows, %zu bytes in %.1f s; peak resident %ld KB before, %ld KB "
      "after\n",
      static_cast<long long>(outcome.rows), bytes, millisecondsSince(start) / 1000, before,
      peakResidentKilobytes());
}
