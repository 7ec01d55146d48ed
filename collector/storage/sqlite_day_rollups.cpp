#include "collector/storage/sqlite_day_rollups.hpp"

#include "collector/storage/sqlite_query.hpp"
#include "collector/storage/sqlite_statement.hpp"

#include <Poco/Data/Statement.h>

namespace clubsafe::collector {
namespace {

namespace db = Poco::Data::Keywords;
using Poco::Int64;

constexpr Int64 kHoursPerDay = 24;

bool isUse(RollupCount kind) {
  return kind == RollupCount::Logins || kind == RollupCount::SignIns ||
         kind == RollupCount::Searches || kind == RollupCount::Visits;
}

}  // namespace

UtcDay utcDayOfHour(std::int64_t hour) {
  return hour >= 0 ? hour / kHoursPerDay : (hour - kHoursPerDay + 1) / kHoursPerDay;
}

UtcSpan utcSpanOfDay(UtcDay day) {
  return day >= 0 ? day / kDaysPerSpan : (day - kDaysPerSpan + 1) / kDaysPerSpan;
}

int hourOfDay(std::int64_t hour) {
  return static_cast<int>(hour - utcDayOfHour(hour) * kHoursPerDay);
}

void DayRollup::addDns(std::int64_t hour, int action, const std::string& category,
                       std::int64_t count) {
  dns_[{utcDayOfHour(hour), action, category}] += count;
}

void DayRollup::addDomain(std::int64_t hour, int action, std::int64_t domain,
                          const std::string& category, std::int64_t count) {
  domains_[{utcDayOfHour(hour), action, domain, category}] += count;
  spanDomains_[{utcSpanOfDay(utcDayOfHour(hour)), action, domain, category}] += count;
}

void DayRollup::addApp(std::int64_t hour, std::int64_t app, std::int64_t seconds) {
  apps_[{utcDayOfHour(hour), app}] += seconds;
  masks_[utcDayOfHour(hour)].used |= Int64{1} << hourOfDay(hour);
}

void DayRollup::addCount(std::int64_t hour, RollupCount kind, std::int64_t count) {
  const auto day = utcDayOfHour(hour);
  counts_[{day, static_cast<int>(kind)}] += count;
  if (kind == RollupCount::Events) masks_[day].reported |= Int64{1} << hourOfDay(hour);
  if (isUse(kind)) masks_[day].used |= Int64{1} << hourOfDay(hour);
}

void DayRollup::write(Poco::Data::Session& session, const std::string& deviceId) const {
  writeDns(session);
  writeDomains(session);
  writeAppsAndCounts(session, deviceId);
  writeMasks(session, deviceId);
}

void DayRollup::writeDns(Poco::Data::Session& session) const {
  sqlite::PreparedStatement upsert(
      session,
      "INSERT INTO rollup_day_dns (day, action, category, count) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (day, action, category) DO UPDATE SET count = count + excluded.count");
  for (const auto& [key, amount] : dns_) {
    const auto& [day, action, category] = key;
    upsert.bind(1, day);
    upsert.bind(2, action);
    upsert.bind(3, category);
    upsert.bind(4, amount);
    upsert.run();
  }
}

void DayRollup::writeDomains(Poco::Data::Session& session) const {
  if (domains_.empty()) return;
  for (const auto& [table, unitColumn, rows] :
       {std::tuple{"rollup_day_dns_domains", "day", &domains_},
        std::tuple{"rollup_span_dns_domains", "span", &spanDomains_}}) {
    sqlite::PreparedStatement upsert(
        session, std::string("INSERT INTO ") + table + " (" + unitColumn +
                     ", action, domain, category, count) VALUES (?, ?, ?, ?, ?) ON CONFLICT (" +
                     unitColumn +
                     ", action, domain, category) DO UPDATE SET count = count + excluded.count");
    for (const auto& [key, amount] : *rows) {
      const auto& [unit, action, domain, category] = key;
      upsert.bind(1, unit);
      upsert.bind(2, action);
      upsert.bind(3, domain);
      upsert.bind(4, category);
      upsert.bind(5, amount);
      upsert.run();
    }
  }
}

void DayRollup::writeAppsAndCounts(Poco::Data::Session& session,
                                   const std::string& deviceId) const {
  if (!apps_.empty()) {
    sqlite::PreparedStatement upsert(
        session,
        "INSERT INTO rollup_day_apps (day, app, seconds) VALUES (?, ?, ?) "
        "ON CONFLICT (day, app) DO UPDATE SET seconds = seconds + excluded.seconds");
    for (const auto& [key, seconds] : apps_) {
      upsert.bind(1, key.first);
      upsert.bind(2, key.second);
      upsert.bind(3, seconds);
      upsert.run();
    }
  }
  sqlite::PreparedStatement upsert(
      session,
      "INSERT INTO rollup_day_counts (day, device_id, kind, count) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (day, device_id, kind) DO UPDATE SET count = count + excluded.count");
  upsert.bind(2, deviceId);
  for (const auto& [key, count] : counts_) {
    upsert.bind(1, key.first);
    upsert.bind(3, key.second);
    upsert.bind(4, count);
    upsert.run();
  }
}

void DayRollup::writeMasks(Poco::Data::Session& session, const std::string& deviceId) const {
  sqlite::PreparedStatement upsert(
      session,
      "INSERT INTO rollup_day_devices (day, device_id, reported_hours, used_hours) "
      "VALUES (?, ?, ?, ?) ON CONFLICT (day, device_id) DO UPDATE SET "
      "reported_hours = reported_hours | excluded.reported_hours, "
      "used_hours = used_hours | excluded.used_hours");
  upsert.bind(2, deviceId);
  for (const auto& [day, masks] : masks_) {
    upsert.bind(1, day);
    upsert.bind(3, masks.reported);
    upsert.bind(4, masks.used);
    upsert.run();
  }
}

std::size_t deleteDayRollupsBefore(Poco::Data::Session& session, UtcDay day) {
  std::size_t deleted = 0;
  for (const std::string table : {"rollup_day_dns", "rollup_day_dns_domains", "rollup_day_apps",
                                  "rollup_day_counts", "rollup_day_devices"}) {
    Poco::Data::Statement statement(session);
    statement << "DELETE FROM " + table + " WHERE day < ?", db::bind(day);
    deleted += statement.execute();
  }
  if (deleted == 0) return 0;  // the spans still add up their days
  // The span the cut falls in held days that are gone: what is left of it is added up again.
  const auto span = utcSpanOfDay(day);
  (void)sqlite::execute(session, "DELETE FROM rollup_span_dns_domains WHERE span <= ?", span);
  (void)sqlite::execute(
      session,
      "INSERT INTO rollup_span_dns_domains (span, action, domain, category, count) "
      "SELECT ?, action, domain, category, SUM(count) FROM rollup_day_dns_domains "
      "WHERE day >= ? AND day < ? GROUP BY action, domain, category",
      span, day, (span + 1) * kDaysPerSpan);
  return deleted;
}

}  // namespace clubsafe::collector
