#pragma once

#include "collector/club_time/club_time.hpp"
#include "common/event.hpp"

#include <string_view>

namespace clubsafe::collector {

// A report's period as the manager chooses it: whole local days of the club, first and last
// included, as the UTC times from (inclusive) and to (exclusive).
struct ReportPeriod {
  common::Timestamp from{};
  common::Timestamp to{};
};

// The longest period a report covers: a year and a little, so "1 Sep to 31 Aug" and leap
// years fit.
inline constexpr int kMaxReportDays = 400;

// Reads "2026-10-01" and "2026-10-31" as the club's local days. Throws std::invalid_argument,
// saying what is wrong, for a date that is not one, a last day before the first, or a period
// longer than kMaxReportDays.
[[nodiscard]] ReportPeriod parseReportPeriod(std::string_view firstDay, std::string_view lastDay,
                                             const ClubTime& clubTime);

}  // namespace clubsafe::collector
