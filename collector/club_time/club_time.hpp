#pragma once

#include "common/event.hpp"
#include "common/policy.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace date {
class time_zone;
}

namespace clubsafe::collector {

// Whole hours since 1970-01-01T00:00Z: the key of every rollup row. Rollups are kept per UTC
// hour so that a change of the club's time zone, or a clock change, never rewrites them; local
// days and opening hours are worked out when they are read.
using UtcHour = std::int64_t;

[[nodiscard]] UtcHour utcHourOf(common::Timestamp time);
[[nodiscard]] common::Timestamp startOfUtcHour(UtcHour hour);

// How a UTC hour lies against the club's opening hours (local time).
enum class OpeningOverlap : std::uint8_t {
  Open,    // entirely inside opening hours
  Closed,  // entirely outside them
  Partly,  // some of each (an offset of half an hour, or a span starting mid-hour)
};

// The club's local time: its time zone (IANA name, from the tz database in
// /usr/share/zoneinfo through Howard Hinnant's date library) and its opening hours.
class ClubTime {
 public:
  // Throws std::invalid_argument, naming the zone, when the tz database does not know it.
  ClubTime(std::string_view zoneName, std::vector<common::OpeningHours> openingHours);

  [[nodiscard]] const std::string& zoneName() const { return zoneName_; }
  [[nodiscard]] const std::vector<common::OpeningHours>& openingHours() const {
    return openingHours_;
  }
  [[nodiscard]] bool hasOpeningHours() const { return !openingHours_.empty(); }

  // The local day and time of a moment.
  [[nodiscard]] std::chrono::local_seconds toLocal(common::Timestamp time) const;
  // The local day a UTC hour starts in.
  [[nodiscard]] std::chrono::local_days localDayOf(UtcHour hour) const;
  // The first moment of a local day: midnight, or the first moment after it when a clock
  // change skips midnight. A local day lasts 23, 24 or 25 hours.
  [[nodiscard]] common::Timestamp startOfLocalDay(std::chrono::local_days day) const;
  // Closed for every hour when the club has no opening hours set.
  [[nodiscard]] OpeningOverlap overlap(UtcHour hour) const;

 private:
  std::string zoneName_;
  const date::time_zone* zone_;
  std::vector<common::OpeningHours> openingHours_;
};

// Reads the setting club.opening_hours: entries separated by ';', each days then a span, e.g.
// "mon,tue,thu 18:00-21:00; sat 10:00-13:00", with ranges of days like "mon-fri". Days are
// the policy's (mon … sun); a span over midnight is written as two entries. Empty: none.
// Throws std::invalid_argument saying what is wrong.
[[nodiscard]] std::vector<common::OpeningHours> parseOpeningHoursSetting(std::string_view text);

}  // namespace clubsafe::collector
