// The club's local time from the system's tz database: local days of 23 and 25 hours on the
// clock-change Sundays, opening hours in local time across them, another zone, and the
// opening-hours setting.
#include "collector/club_time/club_time.hpp"
#include "common/time.hpp"

#include <gtest/gtest.h>

namespace clubsafe::collector {
namespace {

using namespace std::chrono;

common::Timestamp at(std::string_view text) {
  const auto time = common::parseTimestamp(text);
  if (!time) throw std::invalid_argument("bad test timestamp");
  return *time;
}

local_days day(int y, unsigned m, unsigned d) {
  return local_days(year_month_day(year(y), month(m), std::chrono::day(d)));
}

hours lengthOf(const ClubTime& club, local_days which) {
  return duration_cast<hours>(club.startOfLocalDay(which + days(1)) - club.startOfLocalDay(which));
}

// Tuesdays 18:00 to 21:00 and Sundays 10:00 to 12:00, local time.
std::vector<common::OpeningHours> clubEvenings() {
  return parseOpeningHoursSetting("tue 18:00-21:00; sun 10:00-12:00");
}

TEST(ClubTimeTest, LondonDaysAre23And25HoursLongOnTheClockChangeSundays) {
  const ClubTime london("Europe/London", {});
  EXPECT_EQ(lengthOf(london, day(2026, 3, 28)), hours(24));
  EXPECT_EQ(lengthOf(london, day(2026, 3, 29)), hours(23));   // last Sunday of March
  EXPECT_EQ(lengthOf(london, day(2026, 10, 25)), hours(25));  // last Sunday of October
  EXPECT_EQ(london.startOfLocalDay(day(2026, 7, 1)), at("2026-06-30T23:00:00Z"));
  EXPECT_EQ(london.startOfLocalDay(day(2026, 12, 1)), at("2026-12-01T00:00:00Z"));
}

TEST(ClubTimeTest, EveryHourOfAClockChangeDayBelongsToThatLocalDay) {
  const ClubTime london("Europe/London", {});
  for (const auto which : {day(2026, 3, 29), day(2026, 10, 25)}) {
    const auto first = utcHourOf(london.startOfLocalDay(which));
    const auto end = utcHourOf(london.startOfLocalDay(which + days(1)));
    for (auto hour = first; hour < end; ++hour) EXPECT_EQ(london.localDayOf(hour), which);
    EXPECT_EQ(london.localDayOf(first - 1), which - days(1));
    EXPECT_EQ(london.localDayOf(end), which + days(1));
  }
}

TEST(ClubTimeTest, OpeningHoursAreLocalOnBothSidesOfAClockChange) {
  const ClubTime london("Europe/London", clubEvenings());
  // Winter: 18:00 local is 18:00 UTC. Summer: 18:00 local is 17:00 UTC.
  EXPECT_EQ(london.overlap(utcHourOf(at("2026-03-24T18:00:00Z"))), OpeningOverlap::Open);
  EXPECT_EQ(london.overlap(utcHourOf(at("2026-03-24T17:00:00Z"))), OpeningOverlap::Closed);
  EXPECT_EQ(london.overlap(utcHourOf(at("2026-03-31T17:00:00Z"))), OpeningOverlap::Open);
  EXPECT_EQ(london.overlap(utcHourOf(at("2026-03-31T20:00:00Z"))), OpeningOverlap::Closed);
  // The Sunday morning after the change in October: 10:00 local is 10:00 UTC again.
  EXPECT_EQ(london.overlap(utcHourOf(at("2026-10-25T10:00:00Z"))), OpeningOverlap::Open);
  EXPECT_EQ(london.overlap(utcHourOf(at("2026-10-25T09:00:00Z"))), OpeningOverlap::Closed);
  // The Sunday of the change in March: 10:00 local is 09:00 UTC.
  EXPECT_EQ(london.overlap(utcHourOf(at("2026-03-29T09:00:00Z"))), OpeningOverlap::Open);
  EXPECT_EQ(london.overlap(utcHourOf(at("2026-03-29T11:00:00Z"))), OpeningOverlap::Closed);
}

TEST(ClubTimeTest, AnotherZoneHasItsOwnDaysAndHalfHourOffsets) {
  const ClubTime kolkata("Asia/Kolkata", clubEvenings());  // UTC+05:30, no clock changes
  EXPECT_EQ(kolkata.startOfLocalDay(day(2026, 3, 24)), at("2026-03-23T18:30:00Z"));
  EXPECT_EQ(lengthOf(kolkata, day(2026, 3, 29)), hours(24));
  // 12:30 UTC is 18:00 local: the UTC hour 12:00 is half before opening, 13:00 all inside.
  EXPECT_EQ(kolkata.overlap(utcHourOf(at("2026-03-24T12:00:00Z"))), OpeningOverlap::Partly);
  EXPECT_EQ(kolkata.overlap(utcHourOf(at("2026-03-24T13:00:00Z"))), OpeningOverlap::Open);

  const ClubTime newYork("America/New_York", {});  // changes on the second Sunday of March
  EXPECT_EQ(lengthOf(newYork, day(2026, 3, 8)), hours(23));
  EXPECT_EQ(lengthOf(newYork, day(2026, 3, 29)), hours(24));
}

TEST(ClubTimeTest, NoOpeningHoursMeansEveryHourIsClosed) {
  const ClubTime london("Europe/London", {});
  EXPECT_FALSE(london.hasOpeningHours());
  EXPECT_EQ(london.overlap(utcHourOf(at("2026-03-24T18:00:00Z"))), OpeningOverlap::Closed);
}

TEST(ClubTimeTest, AnUnknownZoneIsRefusedByName) {
  try {
    const ClubTime nowhere("Europe/Atlantis", {});
    FAIL() << "accepted an unknown zone";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("Europe/Atlantis"), std::string::npos);
  }
}

TEST(ClubTimeTest, OpeningHoursSettingReadsDaysRangesAndSpans) {
  const auto schedule = parseOpeningHoursSetting(" mon-wed,fri 18:00-21:30 ;sat 10:00-13:00; ");
  ASSERT_EQ(schedule.size(), 2U);
  EXPECT_EQ(schedule[0].days.to_string(), "0010111");  // bit 0 is Monday
  EXPECT_EQ(schedule[0].fromMinute, 18 * 60);
  EXPECT_EQ(schedule[0].toMinute, 21 * 60 + 30);
  EXPECT_EQ(schedule[1].days.to_string(), "0100000");
  EXPECT_TRUE(parseOpeningHoursSetting("").empty());
}

TEST(ClubTimeTest, OpeningHoursSettingRefusesWhatItCannotRead) {
  for (const auto* bad : {"monday 18:00-21:00", "mon 18:00", "mon 21:00-18:00", "mon 18:00-24:00",
                          "fri-mon 18:00-21:00", "18:00-21:00", "mon 6pm-9pm"}) {
    EXPECT_THROW((void)parseOpeningHoursSetting(bad), std::invalid_argument) << bad;
  }
}

}  // namespace
}  // namespace clubsafe::collector
