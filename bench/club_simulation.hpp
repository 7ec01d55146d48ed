#pragma once

#include "common/batch_codec.hpp"

#include <chrono>
#include <cstdint>
#include <functional>

namespace clubsafe::bench {

// A club's year as its laptops would report it (docs/PERFORMANCE.md, "A club's year"): laptops
// switched on for the club's evenings, several sessions per laptop an evening, members signed
// in, browsing, searching, apps, DNS decisions per minute, blocks, self-tests, and now and then
// an alert, an override, a review request or a tamper event. Deterministic for a seed.
struct ClubShape {
  int laptops = 50;
  int weeks = 52;
  int members = 300;
  std::chrono::sys_days firstDay{};  // a Monday
  // Evenings open, Monday = bit 0: Monday, Tuesday, Thursday, Friday.
  unsigned eveningDays = 0b0011011;
  int opensMinute = 18 * 60;  // local time
  int closesMinute = 21 * 60;
  // Local midnight of a day as UTC: the club's time zone, clock changes included.
  std::function<common::Timestamp(std::chrono::sys_days)> localMidnight;
  std::uint64_t seed = 2026;
  std::size_t batchEvents = 1000;
};

struct SimulationCounts {
  std::uint64_t events = 0;
  std::uint64_t batches = 0;
};

// Calls `deliver` with each batch as a laptop would send it: one laptop's events in order,
// sequence numbers from 1, at most `batchEvents` each.
SimulationCounts simulateClub(const ClubShape& shape,
                              const std::function<void(common::Batch&&)>& deliver);

}  // namespace clubsafe::bench
