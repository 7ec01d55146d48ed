#include "collector/storage/sqlite_day_rollups.hpp"

#include "collector/storage/sqlite_query.hpp"

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
  Int64 day = 0, action = 0, count = 0;
  std::string category;
  Poco::Data::Statement upsert(session);
  upsert << "INSERT INTO rollup_day_dns (day, action, category, count) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (day, action, category) DO UPDATE SET count = count + excluded.count",
      db::use(day), db::use(action), db::use(category), db::use(count);
  for (const auto& [key, amount] : dns_) {
    std::tie(day, action, category) = key;
    count = amount;
    upsert.execute();
  }
}

void DayRollup::writeDomains(Poco::Data::Session& session) const {
  if (domains_.empty()) return;
  Int64 unit = 0, action = 0, domain = 0, count = 0;
  std::string category;
  for (const auto& [table, unitColumn, rows] :
       {std::tuple{"rollup_day_dns_domains", "day", &domains_},
        std::tuple{"rollup_span_dns_domains", "span", &spanDomains_}}) {
    Poco::Data::Statement upsert(session);
    upsert << std::string("INSERT INTO ") + table + " (" + unitColumn +
                  ", action, domain, category, count) VALUES (?, ?, ?, ?, ?) ON CONFLICT (" +
                  unitColumn +
                  ", action, domain, category) DO UPDATE SET count = count + "
                  "excluded.count",
        db::use(unit), db::use(action), db::use(domain), db::use(category), db::use(count);
    for (const auto& [key, amount] : *rows) {
      std::tie(unit, action, domain, category) = key;
      count = amount;
      upsert.execute();
    }
  }
}

void DayRollup::writeAppsAndCounts(Poco::Data::Session& session,
                                   const std::string& deviceId) const {
  Int64 day = 0, app = 0, kind = 0, amount = 0;
  std::string device = deviceId;
  if (!apps_.empty()) {
    Poco::Data::Statement upsert(session);
    upsert << "INSERT INTO rollup_day_apps (day, app, seconds) VALUES (?, ?, ?) "
              "ON CONFLICT (day, app) DO UPDATE SET seconds = seconds + excluded.seconds",
        db::use(day), db::use(app), db::use(amount);
    for (const auto& [key, seconds] : apps_) {
      std::tie(day, app) = key;
      amount = seconds;
      upsert.execute();
    }
  }
  Poco::Data::Statement upsert(session);
  upsert << "INSERT INTO rollup_day_counts (day, device_id, kind, count) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (day, device_id, kind) DO UPDATE SET count = count + excluded.count",
      db::use(day), db::use(device), db::use(kind), db::use(amount);
  for (const auto& [key, count] : counts_) {
    std::tie(day, kind) = key;
    amount = count;
    upsert.execute();
  }
}

void DayRollup::writeMasks(Poco::Data::Session& session, const std::string& deviceId) const {
  Int64 day = 0, reported = 0, used = 0;
  std::string device = deviceId;
  Poco::Data::Statement upsert(session);
  upsert << "INSERT INTO rollup_day_devices (day, device_id, reported_hours, used_hours) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (day, device_id) DO UPDATE SET "
            "reported_hours = reported_hours | excluded.reported_hours, "
            "used_hours = used_hours | excluded.used_hours",
      db::use(day), db::use(device), db::use(reported), db::use(used);
  for (const auto& [key, masks] : masks_) {
    day = key;
    reported = masks.reported;
    used = masks.used;
    upsert.execute();
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
