#pragma once

#include "collector/storage/sqlite_rollups.hpp"

#include <Poco/Data/Session.h>

#include <cstdint>
#include <map>
#include <string>
#include <tuple>

namespace clubsafe::collector {

// The read model's totals per UTC day (migration 16; docs/ARCHITECTURE.md, "The read model"),
// beside the hourly ones and added up from them, so that the dashboard reads a long period in a
// row a day instead of a row an hour. They are UTC days, not the club's local days, so a change
// of club.timezone leaves them true: a reader takes the whole UTC days of a period from them and
// the hours at its edges, and around a local week's start, from the hourly tables.

// Whole days since 1970-01-01 UTC; day d holds the hours 24d to 24d + 23.
using UtcDay = std::int64_t;
// Sites are also added up per span of 16 UTC days (span s holds the days 16s to 16s + 15): a
// club visits thousands of sites, most of them on many days, and the year's most visited sites
// are read from about 23 rows a site instead of 365.
using UtcSpan = std::int64_t;
inline constexpr UtcDay kDaysPerSpan = 16;

[[nodiscard]] UtcDay utcDayOfHour(std::int64_t hour);
[[nodiscard]] UtcSpan utcSpanOfDay(UtcDay day);
// Which hour of its UTC day an hour is (0 to 23): its bit in the hour masks.
[[nodiscard]] int hourOfDay(std::int64_t hour);

// One batch's hourly totals added up per day, written with one upsert a row inside the caller's
// transaction. Per laptop and day it also keeps two masks of the day's hours: those in which the
// laptop sent anything, and those in which someone used it (app time, a login, a sign-in, a
// search or a visit); they are OR-ed into the stored ones, so hours are never counted twice.
class DayRollup {
 public:
  void addDns(std::int64_t hour, int action, const std::string& category, std::int64_t count);
  void addDomain(std::int64_t hour, int action, std::int64_t domain, const std::string& category,
                 std::int64_t count);
  void addApp(std::int64_t hour, std::int64_t app, std::int64_t seconds);
  void addCount(std::int64_t hour, RollupCount kind, std::int64_t count);
  void write(Poco::Data::Session& session, const std::string& deviceId) const;

 private:
  struct HourMasks {
    std::int64_t reported = 0;
    std::int64_t used = 0;
  };

  void writeDns(Poco::Data::Session& session) const;
  void writeDomains(Poco::Data::Session& session) const;
  void writeAppsAndCounts(Poco::Data::Session& session, const std::string& deviceId) const;
  void writeMasks(Poco::Data::Session& session, const std::string& deviceId) const;

  std::map<std::tuple<UtcDay, int, std::string>, std::int64_t> dns_;
  std::map<std::tuple<UtcDay, int, std::int64_t, std::string>, std::int64_t> domains_;
  std::map<std::tuple<UtcSpan, int, std::int64_t, std::string>, std::int64_t> spanDomains_;
  std::map<std::pair<UtcDay, std::int64_t>, std::int64_t> apps_;
  std::map<std::pair<UtcDay, int>, std::int64_t> counts_;
  std::map<UtcDay, HourMasks> masks_;
};

// Deletes the day rows before `day`; when any went, the spans up to the one `day` falls in go too
// and that one is added up again from the day rows left. Returns how many day rows went.
std::size_t deleteDayRollupsBefore(Poco::Data::Session& session, UtcDay day);

}  // namespace clubsafe::collector
