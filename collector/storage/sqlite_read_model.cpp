#include "collector/storage/sqlite_read_model.hpp"

#include "collector/storage/sqlite_query.hpp"
#include "collector/storage/sqlite_rollups.hpp"
#include "common/time.hpp"

#include <Poco/Tuple.h>

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

Timestamp fromMilliseconds(Int64 milliseconds) {
  return Timestamp(std::chrono::milliseconds(milliseconds));
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

// (device, hour) pairs from a query returning (hour, device_id): DISTINCT over the keys' first two
// columns, which SQLite reads in key order without sorting.
template <typename... Params>
void addDeviceHours(std::set<DeviceHour>& hours, Session& session, const std::string& sql,
                    const Params&... params) {
  for (const auto& row : query<Tuple<Int64, std::string>>(session, sql, params...)) {
    hours.emplace(row.template get<1>(), row.template get<0>());
  }
}

// Per laptop and kind, the period's total and the hours it was counted in. Grouping first by
// (hour, device, kind), the key's order, adds the members up without a sort; only the much
// smaller result is sorted. The dashboard's totals are summed from it too: one pass in all.
using KindTotals = std::map<std::pair<std::string, int>, std::pair<Int64, Int64>>;

KindTotals readKindTotals(Session& session, UtcHour first, UtcHour end) {
  KindTotals totals;
  for (const auto& row : query<Tuple<std::string, int, Int64, Int64>>(
           session,
           "SELECT device_id, kind, SUM(total), COUNT(*) FROM ("
           "  SELECT hour, device_id, kind, SUM(count) AS total FROM rollup_counts"
           "  WHERE hour >= ? AND hour < ? GROUP BY hour, device_id, kind) "
           "GROUP BY device_id, kind",
           first, end)) {
    totals[{row.get<0>(), row.get<1>()}] = {row.get<2>(), row.get<3>()};
  }
  return totals;
}

// The open hours that have passed, as a JSON array for json_each: the laptops' reports are
// looked up for those hours only.
std::string pastHoursJson(const std::vector<UtcHour>& hours, UtcHour before) {
  std::string json = "[";
  for (const auto hour : hours) {
    if (hour >= before) break;
    if (json.size() > 1) json += ',';
    json += std::to_string(hour);
  }
  return json + "]";
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
    laptop.latestSelfTest = SelfTestResult{.at = fromMilliseconds(row.get<8>().value()),
                                           .passed = row.get<9>().value(0) != 0,
                                           .failures = row.get<10>().value("[]")};
  }
  return laptop;
}

void readLaptops(Session& session, const ClubTime& clubTime, UtcHour first, UtcHour end,
                 const KindTotals& totals, DashboardFigures& figures) {
  const auto rows = query<DeviceRow>(
      session,
      "SELECT d.id, d.name, d.revoked_at IS NOT NULL, d.last_seen, d.agent_version, d.backlog, "
      "d.enrolled_at, r.agent_version, r.selftest_at, r.selftest_passed, r.selftest_failures "
      "FROM devices d LEFT JOIN rollup_devices r ON r.device_id = d.id ORDER BY d.name, d.id");
  const auto hours = classify(clubTime, first, end);
  const auto thisHour = utcHourOf(common::nowUtc());
  figures.openHours = static_cast<std::int64_t>(hours.open.size());
  std::set<DeviceHour> reporting, used;
  if (clubTime.hasOpeningHours()) {
    addDeviceHours(reporting, session,
                   "SELECT DISTINCT hour, device_id FROM rollup_counts "
                   "WHERE hour IN (SELECT value FROM json_each(?)) AND kind = 1",
                   pastHoursJson(hours.open, thisHour));
    addDeviceHours(used, session,
                   "SELECT DISTINCT hour, device_id FROM rollup_apps WHERE hour >= ? AND hour < ?",
                   first, end);
    addDeviceHours(used, session,
                   "SELECT DISTINCT hour, device_id FROM rollup_counts WHERE hour >= ? AND "
                   "hour < ? AND kind IN (2, 3, 4, 5)",
                   first, end);
  }
  for (const auto& row : rows) {
    auto laptop = coverageOf(row);
    const auto count = [&](RollupCount kind) {
      const auto found = totals.find({laptop.deviceId, kindOf(kind)});
      return found == totals.end() ? std::pair<Int64, Int64>(0, 0) : found->second;
    };
    laptop.hoursReporting = count(RollupCount::Events).second;
    laptop.eventsDropped = count(RollupCount::EventsDropped).first;
    laptop.eventsRejected = count(RollupCount::EventsRejected).first;
    // Hours before the laptop was enrolled say nothing about it, nor do hours to come.
    const auto enrolled = utcHourOf(sqlite::readTime(row.get<6>()));
    for (const auto hour : hours.open) {
      if (hour > enrolled && hour < thisHour && !reporting.contains({laptop.deviceId, hour})) {
        ++laptop.silentOpenHours;
      }
    }
    for (auto found = used.lower_bound({laptop.deviceId, first});
         found != used.end() && found->first == laptop.deviceId; ++found) {
      if (hours.closed.contains(found->second)) ++laptop.hoursUsedWhileClosed;
    }
    figures.laptops.push_back(std::move(laptop));
  }
}

void addTotals(const KindTotals& totals, DashboardFigures& figures) {
  for (const auto& [key, total] : totals) {
    const auto amount = total.first;
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

std::vector<NamedCount> topSites(Session& session, UtcHour first, UtcHour end, RollupAction action,
                                 std::size_t top) {
  return sqlite::convertAll(
      query<Tuple<std::string, std::string, Int64>>(
          session,
          "SELECT n.name, t.category, t.total FROM ("
          "  SELECT domain, category, SUM(count) AS total FROM rollup_dns_domains"
          "  WHERE hour >= ? AND hour < ? AND action = ? GROUP BY domain, category"
          "  ORDER BY total DESC LIMIT ?) t "
          "JOIN rollup_names n ON n.id = t.domain ORDER BY t.total DESC, n.name",
          first, end, static_cast<int>(action), static_cast<Int64>(top)),
      [](const auto& row) {
        return NamedCount{.name = row.template get<0>(),
                          .category = row.template get<1>(),
                          .count = row.template get<2>()};
      });
}

void readLists(Session& session, UtcHour first, UtcHour end, std::size_t top,
               DashboardFigures& figures) {
  figures.blockedByCategory = sqlite::convertAll(
      query<Tuple<std::string, Int64>>(
          session,
          "SELECT category, SUM(count) FROM rollup_dns WHERE hour >= ? AND hour < ? "
          "AND action = ? GROUP BY category ORDER BY 2 DESC, 1",
          first, end, static_cast<int>(RollupAction::Blocked)),
      [](const auto& row) {
        return NamedCount{.name = row.template get<0>(),
                          .category = row.template get<0>(),
                          .count = row.template get<1>()};
      });
  figures.topBlockedSites = topSites(session, first, end, RollupAction::Blocked, top);
  figures.topAllowedSites = topSites(session, first, end, RollupAction::Allowed, top);
  figures.topApps = sqlite::convertAll(
      query<Tuple<std::string, Int64>>(
          session,
          "SELECT n.name, t.total FROM ("
          "  SELECT app, SUM(seconds) AS total FROM rollup_apps"
          "  WHERE hour >= ? AND hour < ? GROUP BY app ORDER BY total DESC LIMIT ?) t "
          "JOIN rollup_names n ON n.id = t.app ORDER BY t.total DESC, n.name",
          first, end, static_cast<Int64>(top)),
      [](const auto& row) {
        return NamedCount{.name = row.template get<0>(), .count = row.template get<1>()};
      });
}

std::chrono::local_days mondayOf(std::chrono::local_days day) {
  const auto sinceMonday = (std::chrono::weekday(day).c_encoding() + 6) % 7;
  return day - std::chrono::days(sinceMonday);
}

// Per hour first (at most 24 × 7 rows a week), then into the club's local weeks here.
void readWeeks(Session& session, const ClubTime& clubTime, UtcHour first, UtcHour end,
               DashboardFigures& figures) {
  std::map<std::chrono::local_days, WeekFigures> weeks;
  for (auto monday = mondayOf(clubTime.localDayOf(first));
       monday <= mondayOf(clubTime.localDayOf(end - 1)); monday += std::chrono::days(7)) {
    weeks[monday].monday = monday;
  }
  const auto week = [&](Int64 hour) -> WeekFigures& {
    return weeks[mondayOf(clubTime.localDayOf(hour))];
  };
  // Grouped by the hour alone, the key's first column, so no sort is needed.
  for (const auto& row : query<Tuple<Int64, Int64, Int64>>(
           session,
           "SELECT hour, COALESCE(SUM(count) FILTER (WHERE action = ?), 0), "
           "COALESCE(SUM(count) FILTER (WHERE action = ?), 0) FROM rollup_dns "
           "WHERE hour >= ? AND hour < ? GROUP BY hour",
           static_cast<int>(RollupAction::Blocked), static_cast<int>(RollupAction::Allowed), first,
           end)) {
    auto& target = week(row.get<0>());
    target.blocked += row.get<1>();
    target.allowed += row.get<2>();
  }
  for (const auto& row : query<Tuple<Int64, Int64>>(
           session,
           "SELECT hour, SUM(seconds) FROM rollup_apps WHERE hour >= ? AND hour < ? GROUP BY hour",
           first, end)) {
    week(row.get<0>()).appSeconds += row.get<1>();
  }
  for (const auto& row : query<Tuple<Int64, int, Int64>>(
           session,
           "SELECT hour, kind, SUM(count) FROM rollup_counts WHERE hour >= ? AND hour < ? "
           "AND kind IN (2, 3) GROUP BY hour, kind",
           first, end)) {
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
  return database_.read("read the dashboard's figures", [&](Session& session) {
    DashboardFigures figures{.from = from, .to = to};
    const auto totals = readKindTotals(session, first, end);
    readLaptops(session, clubTime, first, end, totals, figures);
    addTotals(totals, figures);
    readLists(session, first, end, top, figures);
    readWeeks(session, clubTime, first, end, figures);
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
                    since.time_since_epoch().count())) {
      LaptopNow laptop{.deviceId = row.get<0>(),
                       .name = row.get<1>(),
                       .lastEventAt = fromMilliseconds(row.get<2>()),
                       .member = row.get<3>().value(""),
                       .osUser = row.get<4>().value(""),
                       .app = row.get<5>().value("")};
      if (!row.get<6>().isNull()) laptop.appAt = fromMilliseconds(row.get<6>().value());
      // dns_minutes is the per-minute rollup of the DNS decisions (migration 7).
      laptop.recentBlocks = sqlite::convertAll(
          query<Tuple<std::string, std::string, std::string, Int64>>(
              session,
              "SELECT minute, domain, category, SUM(count) FROM dns_minutes "
              "WHERE device_id = ? AND minute >= ? AND action = 'blocked' "
              "GROUP BY minute, domain, category ORDER BY minute DESC, domain LIMIT 20",
              laptop.deviceId, sqlite::text(since)),
          [](const auto& block) {
            return RecentBlock{.minute = sqlite::readTime(block.template get<0>()),
                               .domain = block.template get<1>(),
                               .category = block.template get<2>(),
                               .count = block.template get<3>()};
          });
      laptops.push_back(std::move(laptop));
    }
    return laptops;
  });
}

std::size_t SqliteReadModel::deleteRollupsBefore(Timestamp cutoff) {
  return database_.write("delete rollups past their retention", [&](Session& session) {
    return collector::deleteRollupsBefore(session, cutoff);
  });
}

}  // namespace clubsafe::collector
