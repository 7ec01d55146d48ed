#pragma once

#include "common/policy.hpp"

#include <cstdint>
#include <string>

namespace clubsafe::collector {

// How long the collector keeps records, in days (its retention.* settings).
struct KeptFor {
  std::int64_t usageDays = 0;
  std::int64_t safeguardingDays = 0;
};

// The monitoring notice a club starts with (SPEC N1), written for a 10-year-old: what this
// laptop records and what it never does, why, for how long, who can see it, and that they can
// ask. Every sentence is true of clubsafe; the manager rewrites it in the console.
[[nodiscard]] common::NoticeText defaultNotice(const std::string& clubName, const KeptFor& keptFor);

// "a year", "6 years", "30 days": a number of days as a child would say it.
[[nodiscard]] std::string daysInWords(std::int64_t days);

}  // namespace clubsafe::collector
