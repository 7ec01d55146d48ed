#include "collector/report/report_period.hpp"

#include <charconv>
#include <stdexcept>
#include <string>

namespace clubsafe::collector {
namespace {

using namespace std::chrono;

int number(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return -1;
  return value;
}

local_days localDay(std::string_view text, const char* which) {
  const std::string problem =
      std::string("The ") + which + " day of the report must be a date like 2026-10-31.";
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') throw std::invalid_argument(problem);
  const year_month_day date{year(number(text.substr(0, 4))),
                            month(static_cast<unsigned>(number(text.substr(5, 2)))),
                            day(static_cast<unsigned>(number(text.substr(8, 2))))};
  if (!date.ok() || date.year() < year(2000) || date.year() > year(2999)) {
    throw std::invalid_argument(problem);
  }
  return local_days(date);
}

}  // namespace

ReportPeriod parseReportPeriod(std::string_view firstDay, std::string_view lastDay,
                               const ClubTime& clubTime) {
  const auto first = localDay(firstDay, "first");
  const auto last = localDay(lastDay, "last");
  if (last < first) {
    throw std::invalid_argument("The last day of the report comes before its first day.");
  }
  if (last - first >= days(kMaxReportDays)) {
    throw std::invalid_argument("A report covers at most " + std::to_string(kMaxReportDays) +
                                " days; choose a shorter period.");
  }
  return {.from = clubTime.startOfLocalDay(first), .to = clubTime.startOfLocalDay(last + days(1))};
}

}  // namespace clubsafe::collector
