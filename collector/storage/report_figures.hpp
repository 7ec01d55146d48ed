#pragma once

#include "common/event.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace clubsafe::collector {

using common::Timestamp;

// One laptop's figures for a period, from the read model's hourly rollups.
struct DeviceFigures {
  std::string deviceId;
  std::int64_t hoursReporting = 0;  // UTC hours in which it sent anything
  std::int64_t events = 0;
  std::int64_t selfTestsPassed = 0;
  std::int64_t selfTestsFailed = 0;
};

struct CategoryCount {
  std::string category;  // '' for none
  std::int64_t count = 0;
};

// An app first seen in the period: in no hourly rollup before it (rollups go back
// retention.rollup_days).
struct NewAppFigure {
  std::string app;
  Timestamp firstSeen{};     // the start of the first hour it was in front
  std::int64_t seconds = 0;  // in front during the period
};

struct PeriodFigures {
  std::vector<DeviceFigures> devices;  // only laptops that sent something
  std::vector<CategoryCount> blocked;  // most first
  std::vector<NewAppFigure> newApps;   // first seen first
  std::int64_t alerts = 0;
  std::int64_t tamper = 0;
  std::int64_t overrides = 0;
  std::int64_t reviewRequests = 0;
  std::int64_t noticesAcknowledged = 0;
  std::int64_t noticesNotAcknowledged = 0;
};

// The audit report's figures for a period, read from the read model's hourly rollups
// (sqlite_rollups.hpp) and never from raw events, so a year costs about as much as a month.
// A period is read in whole UTC hours: from the hour `from` falls in to the hour `to` ends in.
class ReportFigures {
 public:
  virtual ~ReportFigures() = default;

  virtual PeriodFigures periodFigures(Timestamp from, Timestamp to) = 0;
};

}  // namespace clubsafe::collector
