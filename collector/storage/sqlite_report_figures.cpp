#include "collector/storage/sqlite_report_figures.hpp"

#include "collector/storage/sqlite_query.hpp"
#include "collector/storage/sqlite_rollups.hpp"

#include <Poco/Tuple.h>

#include <map>

namespace clubsafe::collector {
namespace {

using namespace sqlite;
using Poco::Int64;
using Poco::Tuple;
using Poco::Data::Session;

Int64 hourOf(std::chrono::sys_time<std::chrono::hours> hour) {
  return hour.time_since_epoch().count();
}

Timestamp startOf(Int64 hour) {
  return Timestamp(std::chrono::hours(hour));
}

// Every count of the period in one pass over rollup_counts: per laptop and kind, how many
// hours had any and how many there were.
void readCounts(Session& session, Int64 first, Int64 end, PeriodFigures& figures) {
  using Row = Tuple<std::string, int, Int64, Int64>;
  std::map<std::string, DeviceFigures> devices;
  for (const auto& row : query<Row>(session,
                                    "SELECT device_id, kind, COUNT(DISTINCT hour), SUM(count) "
                                    "FROM rollup_counts WHERE hour >= ? AND hour < ? "
                                    "GROUP BY device_id, kind",
                                    first, end)) {
    const auto total = row.get<3>();
    auto& device = devices[row.get<0>()];
    switch (static_cast<RollupCount>(row.get<1>())) {
      case RollupCount::Events:
        device.hoursReporting = row.get<2>();
        device.events = total;
        break;
      case RollupCount::SelfTestsPassed:
        device.selfTestsPassed = total;
        break;
      case RollupCount::SelfTestsFailed:
        device.selfTestsFailed = total;
        break;
      case RollupCount::Alerts:
        figures.alerts += total;
        break;
      case RollupCount::Tamper:
        figures.tamper += total;
        break;
      case RollupCount::Overrides:
        figures.overrides += total;
        break;
      case RollupCount::ReviewRequests:
        figures.reviewRequests += total;
        break;
      case RollupCount::NoticesAcknowledged:
        figures.noticesAcknowledged += total;
        break;
      case RollupCount::NoticesNotAcknowledged:
        figures.noticesNotAcknowledged += total;
        break;
      default:
        break;
    }
  }
  for (auto& [id, device] : devices) {
    device.deviceId = id;
    figures.devices.push_back(std::move(device));
  }
}

}  // namespace

PeriodFigures SqliteReportFigures::periodFigures(Timestamp from, Timestamp to) {
  const Int64 first = hourOf(std::chrono::floor<std::chrono::hours>(from));
  const Int64 end = hourOf(std::chrono::ceil<std::chrono::hours>(to));
  return database_.read("read the audit report's figures", [&](Session& session) {
    PeriodFigures figures;
    readCounts(session, first, end, figures);
    figures.blocked = convertAll(
        query<Tuple<std::string, Int64>>(
            session,
            "SELECT category, SUM(count) FROM rollup_dns WHERE hour >= ? AND hour < ? "
            "AND action = ? GROUP BY category ORDER BY 2 DESC, 1",
            first, end, static_cast<int>(RollupAction::Blocked)),
        [](const auto& row) {
          return CategoryCount{.category = row.template get<0>(), .count = row.template get<1>()};
        });
    // An app is new when its first hour in the rollups falls in the period.
    figures.newApps = convertAll(
        query<Tuple<std::string, Int64, Int64>>(
            session,
            "SELECT n.name, a.first, a.seconds FROM ("
            "  SELECT app, MIN(hour) AS first,"
            "         SUM(CASE WHEN hour >= ? THEN seconds ELSE 0 END) AS seconds"
            "  FROM rollup_apps WHERE hour < ? GROUP BY app) a "
            "JOIN rollup_names n ON n.id = a.app WHERE a.first >= ? ORDER BY a.first, n.name",
            first, end, first),
        [](const auto& row) {
          return NewAppFigure{.app = row.template get<0>(),
                              .firstSeen = startOf(row.template get<1>()),
                              .seconds = row.template get<2>()};
        });
    return figures;
  });
}

}  // namespace clubsafe::collector
