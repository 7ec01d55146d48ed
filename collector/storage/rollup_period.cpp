#include "collector/storage/rollup_period.hpp"

namespace clubsafe::collector {
namespace {

constexpr UtcHour kHoursPerDay = 24;

void append(std::string& json, std::int64_t value) {
  json += json.size() > 1 ? "," : "";
  json += std::to_string(value);
}

void appendHours(std::string& json, UtcHour from, UtcHour to) {
  for (auto hour = from; hour < to; ++hour) append(json, hour);
}

bool isWholeSpan(UtcDay day, UtcDay endDay, const std::function<bool(UtcDay)>& wholeDay) {
  if (day != utcSpanOfDay(day) * kDaysPerSpan || day + kDaysPerSpan > endDay) return false;
  for (auto each = day; each < day + kDaysPerSpan; ++each) {
    if (!wholeDay(each)) return false;
  }
  return true;
}

}  // namespace

RollupPeriod splitPeriod(UtcHour first, UtcHour end, const std::function<bool(UtcDay)>& wholeDay,
                         bool withSpans) {
  RollupPeriod period{.hours = "[", .days = "[", .spans = "["};
  // The whole days: from the first day starting at or after `first` to the last ending by `end`.
  const auto firstDay = utcDayOfHour(first + kHoursPerDay - 1);
  const auto endDay = utcDayOfHour(end);
  if (firstDay >= endDay) {
    appendHours(period.hours, first, end);
  } else {
    appendHours(period.hours, first, firstDay * kHoursPerDay);
    for (auto day = firstDay; day < endDay;) {
      if (withSpans && isWholeSpan(day, endDay, wholeDay)) {
        append(period.spans, utcSpanOfDay(day));
        day += kDaysPerSpan;
        continue;
      }
      if (wholeDay(day)) {
        append(period.days, day);
      } else {
        appendHours(period.hours, day * kHoursPerDay, (day + 1) * kHoursPerDay);
      }
      ++day;
    }
    appendHours(period.hours, endDay * kHoursPerDay, end);
  }
  for (auto* list : {&period.hours, &period.days, &period.spans}) *list += "]";
  return period;
}

}  // namespace clubsafe::collector
