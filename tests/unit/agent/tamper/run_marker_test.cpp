#include "agent/tamper/run_marker.hpp"

#include "agent/platform/clocks.hpp"
#include "common/time.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace clubsafe::agent::tamper {
namespace {

// A marker as a run that was killed leaves it, last touched at 2026-11-18T11:06:40Z.
void leaveMarker(const std::string& stateDir, const std::string& bootId) {
  const auto path = runMarkerPath(stateDir);
  std::ofstream(path) << bootId;
  const timespec times[2] = {{1'795'000'000, 0}, {1'795'000'000, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
}

std::string detailOf(const std::optional<common::Event>& event) {
  EXPECT_TRUE(event.has_value());
  if (!event) return {};
  EXPECT_EQ(event->payload->getValue<std::string>("kind"), "unclean_stop");
  return event->payload->getValue<std::string>("detail");
}

class RunMarkerTest : public ::testing::Test {
 protected:
  clubsafe::testing::TempDir dir_;
  std::string stateDir_ = dir_.path().string();
};

TEST_F(RunMarkerTest, ACleanRunLeavesNoMarkerAndTheNextStartReportsNothing) {
  {
    RunMarker marker(stateDir_);
    EXPECT_TRUE(std::filesystem::exists(runMarkerPath(stateDir_)));
    EXPECT_FALSE(marker.takeUncleanStop());
  }
  EXPECT_FALSE(std::filesystem::exists(runMarkerPath(stateDir_)));
  RunMarker next(stateDir_);
  EXPECT_FALSE(next.takeUncleanStop());
}

TEST_F(RunMarkerTest, AMarkerLeftInThisBootIsAKillReportedOnceWithTheTimeLastSeen) {
  leaveMarker(stateDir_, platform::bootId());
  RunMarker marker(stateDir_);
  const auto detail = detailOf(marker.takeUncleanStop());
  EXPECT_NE(detail.find("killed or it crashed"), std::string::npos) << detail;
  EXPECT_NE(detail.find("last seen running at 2026-11-18T11:06:40.000Z"), std::string::npos)
      << detail;
  EXPECT_FALSE(marker.takeUncleanStop());
}

TEST_F(RunMarkerTest, AMarkerFromAnotherBootIsALaptopSwitchedOffWithoutShuttingDown) {
  leaveMarker(stateDir_, "00000000-0000-0000-0000-000000000000");
  RunMarker marker(stateDir_);
  const auto detail = detailOf(marker.takeUncleanStop());
  EXPECT_NE(detail.find("switched off or reset"), std::string::npos) << detail;
}

TEST_F(RunMarkerTest, TouchMovesTheLastSeenTimeAndPutsBackARemovedMarker) {
  RunMarker marker(stateDir_);
  const auto path = runMarkerPath(stateDir_);
  leaveMarker(stateDir_, platform::bootId());
  marker.touch();
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_GT(info.st_mtim.tv_sec, 1'795'000'000);
  std::filesystem::remove(path);
  marker.touch();
  EXPECT_TRUE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace clubsafe::agent::tamper
