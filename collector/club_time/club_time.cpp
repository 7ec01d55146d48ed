#include "collector/club_time/club_time.hpp"

#include <date/tz.h>

#include <algorithm>
#include <stdexcept>

namespace clubsafe::collector {
namespace {

using std::chrono::hours;
using std::chrono::local_days;
using std::chrono::local_seconds;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::int64_t kSecondsPerHour = 3600;
constexpr int kMinutesPerDay = 24 * 60;

// date's and std::chrono's local clocks are distinct types with the same meaning.
local_seconds fromDate(date::local_seconds time) {
  return local_seconds(seconds(time.time_since_epoch().count()));
}
date::local_seconds toDate(local_seconds time) {
  return date::local_seconds(date::local_seconds::duration(time.time_since_epoch().count()));
}

// Monday is 0, as in common::OpeningHours::days.
std::size_t mondayIsZero(local_days day) {
  return (std::chrono::weekday(day).c_encoding() + 6) % 7;
}

// Minutes of local span [from, to), which lies within one local day, that the schedule opens.
int openMinutesWithinDay(const std::vector<common::OpeningHours>& schedule, local_days day,
                         int from, int to) {
  const auto weekday = mondayIsZero(day);
  int open = 0;
  for (const auto& entry : schedule) {
    if (!entry.days.test(weekday)) continue;
    open += std::max(0, std::min(to, entry.toMinute) - std::max(from, entry.fromMinute));
  }
  return std::min(open, to - from);
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

[[noreturn]] void refuse(std::string_view entry, const std::string& problem) {
  throw std::invalid_argument("club.opening_hours: \"" + std::string(entry) + "\" " + problem +
                              " (write e.g. \"mon,wed 18:00-21:00; sat 10:00-13:00\")");
}

std::size_t dayIndex(std::string_view name, std::string_view entry) {
  for (std::size_t day = 0; day < common::kDaysPerWeek; ++day) {
    if (common::dayName(day) == name) return day;
  }
  refuse(entry, "has \"" + std::string(name) + "\", which is not one of mon … sun");
}

int clockMinutes(std::string_view clock, std::string_view entry) {
  const auto digit = [&](std::size_t i) {
    if (clock[i] < '0' || clock[i] > '9') refuse(entry, "has a time that is not like 18:30");
    return clock[i] - '0';
  };
  if (clock.size() != 5 || clock[2] != ':') refuse(entry, "has a time that is not like 18:30");
  const int hour = digit(0) * 10 + digit(1);
  const int minute = digit(3) * 10 + digit(4);
  if (hour > 23 || minute > 59) refuse(entry, "has a time that is not a time of day");
  return hour * 60 + minute;
}

std::bitset<common::kDaysPerWeek> parseDays(std::string_view days, std::string_view entry) {
  std::bitset<common::kDaysPerWeek> set;
  while (!days.empty()) {
    const auto comma = days.find(',');
    const auto item = trim(days.substr(0, comma));
    days = comma == std::string_view::npos ? std::string_view() : days.substr(comma + 1);
    const auto dash = item.find('-');
    const auto first = dayIndex(trim(item.substr(0, dash)), entry);
    const auto last =
        dash == std::string_view::npos ? first : dayIndex(trim(item.substr(dash + 1)), entry);
    if (last < first) refuse(entry, "has a range of days that runs backwards");
    for (auto day = first; day <= last; ++day) set.set(day);
  }
  return set;
}

common::OpeningHours parseEntry(std::string_view entry) {
  const auto space = entry.find_last_of(" \t");
  if (space == std::string_view::npos) refuse(entry, "needs days and a span of time");
  const auto span = entry.substr(space + 1);
  const auto dash = span.find('-');
  if (dash == std::string_view::npos) refuse(entry, "needs a span of time like 18:00-21:00");
  common::OpeningHours entryHours;
  entryHours.days = parseDays(trim(entry.substr(0, space)), entry);
  entryHours.fromMinute = clockMinutes(span.substr(0, dash), entry);
  entryHours.toMinute = clockMinutes(span.substr(dash + 1), entry);
  if (entryHours.days.none()) refuse(entry, "names no day");
  if (entryHours.fromMinute >= entryHours.toMinute) {
    refuse(entry, "ends before it starts; a span over midnight is written as two entries");
  }
  return entryHours;
}

}  // namespace

UtcHour utcHourOf(common::Timestamp time) {
  const auto unixSeconds = std::chrono::floor<seconds>(time).time_since_epoch().count();
  return unixSeconds >= 0 ? unixSeconds / kSecondsPerHour
                          : (unixSeconds - kSecondsPerHour + 1) / kSecondsPerHour;
}

common::Timestamp startOfUtcHour(UtcHour hour) {
  return common::Timestamp(hours(hour));
}

ClubTime::ClubTime(std::string_view zoneName, std::vector<common::OpeningHours> openingHours)
    : zoneName_(zoneName), openingHours_(std::move(openingHours)) {
  try {
    zone_ = date::locate_zone(zoneName_);
  } catch (const std::exception&) {
    throw std::invalid_argument("club.timezone: \"" + zoneName_ +
                                "\" is not a time zone this server knows (write e.g. "
                                "Europe/London; the names are those in /usr/share/zoneinfo)");
  }
}

local_seconds ClubTime::toLocal(common::Timestamp time) const {
  return fromDate(zone_->to_local(std::chrono::floor<seconds>(time)));
}

local_days ClubTime::localDayOf(UtcHour hour) const {
  return std::chrono::floor<std::chrono::days>(toLocal(startOfUtcHour(hour)));
}

common::Timestamp ClubTime::startOfLocalDay(local_days day) const {
  // choose::latest: when midnight falls in a gap, the day starts where the gap ends.
  const auto info = zone_->get_info(toDate(day));
  if (info.result == date::local_info::nonexistent) {
    return common::Timestamp(info.second.begin.time_since_epoch());
  }
  const auto utc = zone_->to_sys(toDate(day), date::choose::earliest);
  return common::Timestamp(
      std::chrono::duration_cast<std::chrono::milliseconds>(utc.time_since_epoch()));
}

OpeningOverlap ClubTime::overlap(UtcHour hour) const {
  if (openingHours_.empty()) return OpeningOverlap::Closed;
  // The hour as wall clocks showed it from its start: clock changes happen on a whole UTC hour
  // everywhere the club could be, so the offset of the start holds all hour. The span may still
  // cross local midnight: each piece is checked on its own day.
  auto from = toLocal(startOfUtcHour(hour));
  const auto to = from + hours(1);
  int total = 0;
  int open = 0;
  while (from < to) {
    const auto day = std::chrono::floor<std::chrono::days>(from);
    const auto pieceEnd = std::min(to, local_seconds(day + std::chrono::days(1)));
    const auto first = std::chrono::duration_cast<minutes>(from - day).count();
    const auto last = std::chrono::duration_cast<minutes>(pieceEnd - day).count();
    total += static_cast<int>(last - first);
    open += openMinutesWithinDay(openingHours_, day, static_cast<int>(first),
                                 static_cast<int>(std::min<std::int64_t>(last, kMinutesPerDay)));
    from = pieceEnd;
  }
  if (open == 0) return OpeningOverlap::Closed;
  return open >= total ? OpeningOverlap::Open : OpeningOverlap::Partly;
}

std::vector<common::OpeningHours> parseOpeningHoursSetting(std::string_view text) {
  std::vector<common::OpeningHours> schedule;
  while (!text.empty()) {
    const auto semicolon = text.find(';');
    const auto entry = trim(text.substr(0, semicolon));
    text = semicolon == std::string_view::npos ? std::string_view() : text.substr(semicolon + 1);
    if (!entry.empty()) schedule.push_back(parseEntry(entry));
  }
  return schedule;
}

}  // namespace clubsafe::collector
