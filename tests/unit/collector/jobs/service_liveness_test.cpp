// The watchdog's rule: fed only when every check passed. systemd itself is the OS seam here
// (without NOTIFY_SOCKET sd_notify does nothing); tests/system/ runs it under real systemd.
#include "collector/jobs/service_liveness.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace clubsafe::collector {
namespace {

TEST(ServiceLivenessTest, AliveOnlyWhenEveryCheckPasses) {
  bool databaseWorks = true;
  int serverChecks = 0;
  ServiceLiveness liveness({{"the HTTPS server answers", [&] { ++serverChecks; }},
                            {"the database takes writes", [&] {
                               if (!databaseWorks) throw std::runtime_error("disk I/O error");
                             }}});
  EXPECT_TRUE(liveness.feedIfAlive());
  databaseWorks = false;
  EXPECT_FALSE(liveness.feedIfAlive());
  EXPECT_FALSE(liveness.feedIfAlive());
  EXPECT_EQ(serverChecks, 3) << "every check runs each time, so each failure is logged";
  databaseWorks = true;
  EXPECT_TRUE(liveness.feedIfAlive());
}

}  // namespace
}  // namespace clubsafe::collector
