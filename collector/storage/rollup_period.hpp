#pragma once

#include "collector/club_time/club_time.hpp"
#include "collector/storage/sqlite_day_rollups.hpp"

#include <functional>
#include <string>

namespace clubsafe::collector {

// A period of UTC hours [first, end) as the read model reads it: the whole UTC days inside it
// that `wholeDay` accepts from the day tables (sqlite_day_rollups.hpp), one row a day, and every
// other hour (the period's edges, and the days `wholeDay` refuses) from the hourly tables; with
// `withSpans`, whole spans of 16 days whose days it all accepts from the span tables. Together
// the lists hold the period's hours exactly once, so the figures are the same however it is read.
struct RollupPeriod {
  std::string hours;  // JSON arrays of UTC hours, days and spans, for json_each
  std::string days;
  std::string spans;
};

[[nodiscard]] RollupPeriod splitPeriod(UtcHour first, UtcHour end,
                                       const std::function<bool(UtcDay)>& wholeDay,
                                       bool withSpans = false);

}  // namespace clubsafe::collector
