#pragma once

#include "collector/club_time/club_time.hpp"
#include "common/event.hpp"

#include <memory>
#include <optional>
#include <string>

namespace clubsafe::collector {

using common::Timestamp;

// Times as the club reads them on paper: its own zone, day and month in words, a 24-hour
// clock. Shared by the printed audit report and incident summary.
class LocalTimes {
 public:
  // A zone this system does not know gives UTC, and zoneName() says so.
  explicit LocalTimes(const std::string& zone);

  [[nodiscard]] std::string zoneName() const;
  // "Tue 3 Nov 2026"
  [[nodiscard]] std::string day(Timestamp time) const;
  // "Tue 3 Nov 2026 19:05"
  [[nodiscard]] std::string time(Timestamp time) const;
  // As above, or "never".
  [[nodiscard]] std::string time(const std::optional<Timestamp>& time) const;

 private:
  [[nodiscard]] std::chrono::local_seconds toLocal(Timestamp time) const;

  std::unique_ptr<ClubTime> clubTime_;
};

}  // namespace clubsafe::collector
