#include "collector/storage/sqlite_read_model.hpp"

#include "collector/storage/rollup_period.hpp"
#include "collector/storage/sqlite_names.hpp"
#include "collector/storage/sqlite_query.hpp"
#include "collector/storage/sqlite_rollups.hpp"
#include "collector/storage/stored_event.hpp"
#include "common/time.hpp"

#include <Poco/Tuple.h>

#include <limits>
#include <map>
#include <set>

namespace clubsafe::collector {
namespace {

using Poco::Int64;
using Poco::Tuple;
using Poco::Data::Session;
using sqlite::query;

using DeviceHour = std::pair<std::string, Int64>;

int kindOf(RollupCount kind) {
  return static_cast<int>(kind);
}

// The hours of the period that lie wholly inside, and wholly outside, opening hours.
struct HoursOfPeriod {
  std::vector<UtcHour> open;
  std::set<UtcHour> closed;
};

HoursOfPeriod classify(const ClubTime& clubTime, UtcHour first, UtcHour end) {
  HoursOfPeriod hours;
  if (!clubTime.hasOpeningHours()) return hours;
  for (auto hour = first; hour < end; ++hour) {
    switch (clubTime.overlap(hour)) {
      case OpeningOverlap::Open:
        hours.open.push_back(hour);
        break;
      case OpeningOverlap::Closed:
        hours.closed.insert(hour);
        break;
      case OpeningOverlap::Partly:
        break;
    }
  }
  return hours;
}

constexpr const char* kInHours = "hour IN (SELECT value FROM json_each(?))";
constexpr const char* kInDays = "day IN (SELECT value FROM json_each(?))";
constexpr const char* kInSpans = "span IN (SELECT value FROM json_each(?))";

// Per laptop and kind, the period's total: the hourly rows of the period's edges with the day
// rows of its middle. The dashboard's totals are summed from it too: one pass in all.
using KindTotals = std::map<std::pair<std::string, int>, Int64>;

KindTotals readKindTotals(Session& session, const RollupPeriod& period) {
  KindTotals totals;
  for (const auto& row : query<Tuple<std::string, int, Int64>>(
           session,
           std::string("SELECT device_id, kind, SUM(count) FROM ("
                       "  SELECT device_id, kind, count FROM rollup_counts WHERE ") +
               kInHours + " UNION ALL SELECT device_id, kind, count FROM rollup_day_counts WHERE " +
               kInDays + ") GROUP BY device_id, kind",
           period.hours, period.days)) {
    totals[{row.get<0>(), row.get<1>()}] = row.get<2>();
  }
  return totals;
}

// The (laptop, hour) pairs of the period in which a laptop sent anything, and in which someone
// used it: from the hourly rows of the edges and the hour masks of the whole days.
struct DeviceHours {
  std::set<DeviceHour> reporting;
  std::set<DeviceHour> used;
};

DeviceHours readDeviceHours(Session& session, const RollupPeriod& period) {
  DeviceHours hours;
  for (const auto& row : query<Tuple<Int64, std::string, int, int>>(
           session,
           std::string("SELECT hour, device_id, MAX(kind = 1), MAX(kind BETWEEN 2 AND 5) "
                       "FROM rollup_counts WHERE ") +
               kInHours + " GROUP BY hour, device_id",
           period.hours)) {
    if (row.get<2>() != 0) hours.reporting.emplace(row.get<1>(), row.get<0>());
    if (row.get<3>() != 0) hours.used.emplace(row.get<1>(), row.get<0>());
  }
  for (const auto& row : query<Tuple<Int64, std::string>>(
           session,
           std::string("SELECT DISTINCT hour, device_id FROM rollup_apps WHERE ") + kInHours,
           period.hours)) {
    hours.used.emplace(row.get<1>(), row.get<0>());
  }
  for (const auto& row : query<Tuple<Int64, std::string, Int64, Int64>>(
           session,
           std::string("SELECT day, device_id, reported_hours, used_hours "
                       "FROM rollup_day_devices WHERE ") +
               kInDays,
           period.days)) {
    for (int bit = 0; bit < 24; ++bit) {
      const DeviceHour hour{row.get<1>(), row.get<0>() * 24 + bit};
      if ((row.get<2>() >> bit) & 1) hours.reporting.insert(hour);
      if ((row.get<3>() >> bit) & 1) hours.used.insert(hour);
    }
  }
  return hours;
}

std::int64_t hoursOf(const std::set<DeviceHour>& hours, const std::string& deviceId) {
  std::int64_t count = 0;
  for (auto found = hours.lower_bound({deviceId, std::numeric_limits<Int64>::min()});
       found != hours.end() && found->first == deviceId; ++found) {
    ++count;
  }
  return count;
}

using DeviceRow =
    Tuple<std::string, std::string, int, sqlite::NullableText, std::string, Int64, std::string,
          sqlite::NullableText, Poco::Nullable<Int64>, Poco::Nullable<int>, sqlite::NullableText>;

DashboardLaptop coverageOf(const DeviceRow& row) {
  DashboardLaptop laptop{.deviceId = row.get<0>(),
                         .name = row.get<1>(),
                         .revoked = row.get<2>() != 0,
                         .lastContact = sqlite::readOptionalTime(row.get<3>()),
                         .agentVersion = row.get<7>().value(row.get<4>()),
                         .backlog = row.get<5>()};
  if (!row.get<8>().isNull()) {
    laptop.latestSelfTest = SelfTestResult{.at = sqlite::timeFromMilliseconds(row.get<8>().value()),
                                           .passed = row.get<9>().value(0) != 0,
                                           .failures = row.get<10>().value("[]")};
  }
  return laptop;
}

void readLaptops(Session& session, const ClubTime& clubTime, UtcHour first, UtcHour end,
                 const RollupPeriod& period, const KindTotals& totals, DashboardFigures& figures) {
  const auto rows = query<DeviceRow>(
      session,
      "SELECT d.id, d.name, d.revoked_at IS NOT NULL, d.last_seen, d.agent_version, d.backlog, "
      "d.enrolled_at, r.agent_version, r.selftest_at, r.selftest_passed, r.selftest_failures "
      "FROM devices d LEFT JOIN rollup_devices r ON r.device_id = d.id ORDER BY d.name, d.id");
  const auto hours = classify(clubTime, first, end);
  const auto thisHour = utcHourOf(common::nowUtc());
  figures.openHours = static_cast<std::int64_t>(hours.open.size());
  const auto deviceHours = readDeviceHours(session, period);
  for (const auto& row : rows) {
    auto laptop = coverageOf(row);
    const auto total = [&](RollupCount kind) {
      const auto found = totals.find({laptop.deviceId, kindOf(kind)});
      return found == totals.end() ? Int64{0} : found->second;
    };
    laptop.hoursReporting = hoursOf(deviceHours.reporting, laptop.deviceId);
    laptop.eventsDropped = total(RollupCount::EventsDropped);
    laptop.eventsRejected = total(RollupCount::EventsRejected);
    // Hours before the laptop was enrolled say nothing about it, nor do hours to come.
    const auto enrolled = utcHourOf(sqlite::readTime(row.get<6>()));
    for (const auto hour : hours.open) {
      if (hour > enrolled && hour < thisHour &&
          !deviceHours.reporting.contains({laptop.deviceId, hour})) {
        ++laptop.silentOpenHours;
      }
    }
    for (auto found = deviceHours.used.lower_bound({laptop.deviceId, first});
         found != deviceHours.used.end() && found->first == laptop.deviceId; ++found) {
      if (hours.closed.contains(found->second)) ++laptop.hoursUsedWhileClosed;
    }
    figures.laptops.push_back(std::move(laptop));
  }
}

void addTotals(const KindTotals& totals, DashboardFigures& figures) {
  for (const auto& [key, amount] : totals) {
    switch (static_cast<RollupCount>(key.second)) {
      case RollupCount::Logins:
        figures.logins += amount;
        break;
      case RollupCount::SignIns:
        figures.signIns += amount;
        break;
      case RollupCount::NoticesAcknowledged:
        figures.noticesAcknowledged += amount;
        break;
      case RollupCount::NoticesNotAcknowledged:
        figures.noticesNotAcknowledged += amount;
        break;
      case RollupCount::Searches:
        figures.searches += amount;
        break;
      case RollupCount::Visits:
        figures.visits += amount;
        break;
      case RollupCount::Overrides:
        figures.overrides += amount;
        break;
      case RollupCount::ReviewRequests:
        figures.reviewRequests += amount;
        break;
      case RollupCount::Tamper:
        figures.tamper += amount;
        break;
      case RollupCount::Alerts:
        figures.alerts += amount;
        break;
      default:
        break;
    }
  }
}

// Read with spans of 16 days in the middle. Ties at the cut are broken by the name's id, so the
// list never depends on how the period was read.
std::vector<NamedCount> topSites(Session& session, const RollupPeriod& period, RollupAction action,
                                 std::size_t top) {
  const auto code = static_cast<int>(action);
  return sqlite::convertAll(
      query<Tuple<std::string, std::string, Int64>>(
          session,
          std::string("SELECT n.name, t.category, t.total FROM ("
                      "  SELECT domain, category, SUM(count) AS total FROM ("
                      "    SELECT domain, category, count FROM rollup_dns_domains WHERE ") +
              kInHours +
              " AND action = ? UNION ALL SELECT domain, category, count "
              "FROM rollup_day_dns_domains WHERE " +
              kInDays +
              " AND action = ? UNION ALL SELECT domain, category, count "
              "FROM rollup_span_dns_domains WHERE " +
              kInSpans +
              " AND action = ?) GROUP BY domain, category ORDER BY total DESC, domain, category "
              "LIMIT ?) t JOIN rollup_names n ON n.id = t.domain ORDER BY t.total DESC, n.name",
          period.hours, code, period.days, code, period.spans, code, static_cast<Int64>(top)),
      [](const auto& row) {
        return NamedCount{.name = row.template get<0>(),
                          .category = row.template get<1>(),
                          .count = row.template get<2>()};
      });
}

void readLists(Session& session, const RollupPeriod& period, const RollupPeriod& sitePeriod,
               std::size_t top, DashboardFigures& figures) {
  const auto blocked = static_cast<int>(RollupAction::Blocked);
  figures.blockedByCategory = sqlite::convertAll(
      query<Tuple<std::string, Int64>>(
          session,
          std::string("SELECT category, SUM(count) FROM ("
                      "  SELECT category, count FROM rollup_dns WHERE ") +
              kInHours +
              " AND action = ? UNION ALL SELECT category, count FROM rollup_day_dns "
              "WHERE " +
              kInDays + " AND action = ?) GROUP BY category ORDER BY 2 DESC, 1",
          period.hours, blocked, period.days, blocked),
      [](const auto& row) {
        return NamedCount{.name = row.template get<0>(),
                          .category = row.template get<0>(),
                          .count = row.template get<1>()};
      });
  figures.topBlockedSites = topSites(session, sitePeriod, RollupAction::Blocked, top);
  figures.topAllowedSites = topSites(session, sitePeriod, RollupAction::Allowed, top);
  figures.topApps = sqlite::convertAll(
      query<Tuple<std::string, Int64>>(
          session,
          std::string("SELECT n.name, t.total FROM ("
                      "  SELECT app, SUM(seconds) AS total FROM ("
                      "    SELECT app, seconds FROM rollup_apps WHERE ") +
              kInHours + " UNION ALL SELECT app, seconds FROM rollup_day_apps WHERE " + kInDays +
              ") GROUP BY app ORDER BY total DESC, app LIMIT ?) t "
              "JOIN rollup_names n ON n.id = t.app ORDER BY t.total DESC, n.name",
          period.hours, period.days, static_cast<Int64>(top)),
      [](const auto& row) {
        return NamedCount{.name = row.template get<0>(), .count = row.template get<1>()};
      });
}

std::chrono::local_days mondayOf(std::chrono::local_days day) {
  const auto sinceMonday = (std::chrono::weekday(day).c_encoding() + 6) % 7;
  return day - std::chrono::days(sinceMonday);
}

// Per hour or day first (a row an hour at the edges), then into the club's local weeks here:
// `period` reads a UTC day whole only when it lies in one local week.
void readWeeks(Session& session, const ClubTime& clubTime, UtcHour first, UtcHour end,
               const RollupPeriod& period, DashboardFigures& figures) {
  std::map<std::chrono::local_days, WeekFigures> weeks;
  for (auto monday = mondayOf(clubTime.localDayOf(first));
       monday <= mondayOf(clubTime.localDayOf(end - 1)); monday += std::chrono::days(7)) {
    weeks[monday].monday = monday;
  }
  const auto week = [&](Int64 hour) -> WeekFigures& {
    return weeks[mondayOf(clubTime.localDayOf(hour))];
  };
  const auto blocked = static_cast<int>(RollupAction::Blocked);
  const auto allowed = static_cast<int>(RollupAction::Allowed);
  const std::string byAction =
      "COALESCE(SUM(count) FILTER (WHERE action = ?), 0), "
      "COALESCE(SUM(count) FILTER (WHERE action = ?), 0)";
  for (const auto& row : query<Tuple<Int64, Int64, Int64>>(
           session,
           "SELECT hour, " + byAction + " FROM rollup_dns WHERE " + kInHours +
               " GROUP BY hour UNION ALL SELECT day * 24, " + byAction +
               " FROM rollup_day_dns WHERE " + kInDays + " GROUP BY day",
           blocked, allowed, period.hours, blocked, allowed, period.days)) {
    auto& target = week(row.get<0>());
    target.blocked += row.get<1>();
    target.allowed += row.get<2>();
  }
  for (const auto& row : query<Tuple<Int64, Int64>>(
           session,
           std::string("SELECT hour, SUM(seconds) FROM rollup_apps WHERE ") + kInHours +
               " GROUP BY hour UNION ALL SELECT day * 24, SUM(seconds) FROM rollup_day_apps "
               "WHERE " +
               kInDays + " GROUP BY day",
           period.hours, period.days)) {
    week(row.get<0>()).appSeconds += row.get<1>();
  }
  for (const auto& row : query<Tuple<Int64, int, Int64>>(
           session,
           std::string("SELECT hour, kind, SUM(count) FROM rollup_counts WHERE ") + kInHours +
               " AND kind IN (2, 3) GROUP BY hour, kind UNION ALL SELECT day * 24, kind, "
               "SUM(count) FROM rollup_day_counts WHERE " +
               kInDays + " AND kind IN (2, 3) GROUP BY day, kind",
           period.hours, period.days)) {
    auto& target = week(row.get<0>());
    (row.get<1>() == kindOf(RollupCount::Logins) ? target.logins : target.signIns) += row.get<2>();
  }
  for (auto& [monday, figuresOfWeek] : weeks) figures.weeks.push_back(figuresOfWeek);
}

}  // namespace

DashboardFigures SqliteReadModel::dashboard(const ClubTime& clubTime, Timestamp from, Timestamp to,
                                            std::size_t top) {
  const auto first = utcHourOf(from);
  const auto end = std::max(first, utcHourOf(to - std::chrono::milliseconds(1)) + 1);
  const bool readDays = dayRollups_ == DayRollups::Read;
  const auto period = splitPeriod(first, end, [&](UtcDay) { return readDays; });
  const auto sitePeriod = splitPeriod(
      first, end, [&](UtcDay) { return readDays; }, true);
  const auto weekly = splitPeriod(first, end, [&](UtcDay day) {
    return readDays &&
           mondayOf(clubTime.localDayOf(day * 24)) == mondayOf(clubTime.localDayOf(day * 24 + 23));
  });
  return database_.read("read the dashboard's figures", [&](Session& session) {
    DashboardFigures figures{.from = from, .to = to};
    const auto totals = readKindTotals(session, period);
    readLaptops(session, clubTime, first, end, period, totals, figures);
    addTotals(totals, figures);
    readLists(session, period, sitePeriod, top, figures);
    readWeeks(session, clubTime, first, end, weekly, figures);
    return figures;
  });
}

std::vector<LaptopNow> SqliteReadModel::inUseNow(Timestamp now, std::chrono::minutes window) {
  const auto since = now - window;
  return database_.read("read the laptops in use now", [&](Session& session) {
    using Row = Tuple<std::string, std::string, Int64, sqlite::NullableText, sqlite::NullableText,
                      sqlite::NullableText, Poco::Nullable<Int64>>;
    std::vector<LaptopNow> laptops;
    for (const auto& row :
         query<Row>(session,
                    "SELECT d.id, d.name, r.last_event_at, r.member, r.os_user, r.app, r.app_at "
                    "FROM rollup_devices r JOIN devices d ON d.id = r.device_id "
                    "WHERE r.last_event_at >= ? AND d.revoked_at IS NULL "
                    "ORDER BY r.last_event_at DESC, d.name",
                    sqlite::storedMilliseconds(since))) {
      LaptopNow laptop{.deviceId = row.get<0>(),
                       .name = row.get<1>(),
                       .lastEventAt = sqlite::timeFromMilliseconds(row.get<2>()),
                       .member = row.get<3>().value(""),
                       .osUser = row.get<4>().value(""),
                       .app = row.get<5>().value("")};
      if (!row.get<6>().isNull()) laptop.appAt = sqlite::timeFromMilliseconds(row.get<6>().value());
      laptop.recentBlocks = sqlite::convertAll(
          query<Tuple<Int64, std::string, std::string, Int64>>(
              session,
              // A decision is written after its minute starts, so its time bounds the range.
              "SELECT e.moment, " + nameOf("e.site") + ", " + nameOf("e.category") +
                  ", SUM(e.amount) FROM events e "
                  "WHERE e.device = " +
                  std::string(kIdOfName) +
                  " AND e.time >= ?2 AND e.moment >= ?2 AND e.type = ?3 AND " +
                  withAlias(kExplorerIndexesTerm, "e") +
                  " "
                  "AND e.action = (SELECT id FROM rollup_names WHERE name = 'blocked') "
                  "GROUP BY e.moment, e.site, e.category ORDER BY 1 DESC, 2 LIMIT 20",
              laptop.deviceId, sqlite::storedMilliseconds(since),
              storedTypeCode(common::EventType::DnsDecision)),
          [](const auto& block) {
            return RecentBlock{.minute = sqlite::timeFromMilliseconds(block.template get<0>()),
                               .domain = block.template get<1>(),
                               .category = block.template get<2>(),
                               .count = block.template get<3>()};
          });
      laptops.push_back(std::move(laptop));
    }
    return laptops;
  });
}

std::vector<std::string> SqliteReadModel::membersSignedInBetween(Timestamp since, Timestamp now) {
  return database_.read("read who signed in", [&](Session& session) {
    return query<std::string>(session,
                              "SELECT DISTINCT member FROM rollup_counts WHERE hour >= ? AND "
                              "hour <= ? AND kind = ? AND member != ''",
                              Int64{utcHourOf(since)}, Int64{utcHourOf(now)},
                              static_cast<int>(RollupCount::SignIns));
  });
}

std::size_t SqliteReadModel::deleteRollupsBefore(Timestamp cutoff) {
  return database_.write("delete rollups past their retention", [&](Session& session) {
    return collector::deleteRollupsBefore(session, cutoff);
  });
}

}  // namespace clubsafe::collector
