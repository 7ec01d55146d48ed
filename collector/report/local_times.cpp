#include "collector/report/local_times.hpp"

#include <array>
#include <stdexcept>

namespace clubsafe::collector {
namespace {

using namespace std::chrono;

constexpr std::array<const char*, 7> kWeekdays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string twoDigits(long value) {
  return (value < 10 ? "0" : "") + std::to_string(value);
}

}  // namespace

LocalTimes::LocalTimes(const std::string& zone) {
  try {
    clubTime_ = std::make_unique<ClubTime>(zone, std::vector<common::OpeningHours>{});
  } catch (const std::invalid_argument&) {
    clubTime_.reset();
  }
}

std::string LocalTimes::zoneName() const {
  return clubTime_ ? clubTime_->zoneName() : "UTC";
}

std::string LocalTimes::day(Timestamp time) const {
  const auto local = toLocal(time);
  const auto days = floor<std::chrono::days>(local);
  const year_month_day date(days);
  const weekday dayOfWeek(days);
  return std::string(kWeekdays[dayOfWeek.c_encoding()]) + " " +
         std::to_string(static_cast<unsigned>(date.day())) + " " +
         kMonths[static_cast<unsigned>(date.month()) - 1] + " " +
         std::to_string(static_cast<int>(date.year()));
}

std::string LocalTimes::time(Timestamp time) const {
  const auto local = toLocal(time);
  const hh_mm_ss clock(local - floor<days>(local));
  return day(time) + " " + twoDigits(clock.hours().count()) + ":" +
         twoDigits(clock.minutes().count());
}

std::string LocalTimes::time(const std::optional<Timestamp>& time) const {
  return time ? this->time(*time) : "never";
}

local_seconds LocalTimes::toLocal(Timestamp time) const {
  if (clubTime_) return clubTime_->toLocal(time);
  return local_seconds(floor<seconds>(time).time_since_epoch());
}

}  // namespace clubsafe::collector
