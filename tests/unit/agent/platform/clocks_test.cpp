#include "agent/platform/clocks.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace clubsafe::agent::platform {
namespace {

using namespace std::chrono_literals;

TEST(Clocks, TheRealClocksReadTheTimeNowAndMoveTogether) {
  const auto clocks = makeClocks();
  const auto first = clocks->read();
  const auto systemNow = std::chrono::system_clock::now().time_since_epoch();
  EXPECT_LT(std::chrono::abs(first.wall - systemNow), 1s);
  EXPECT_GT(first.sinceBoot, 0ns);
  std::this_thread::sleep_for(200ms);
  const auto second = clocks->read();
  const auto boot = second.sinceBoot - first.sinceBoot;
  EXPECT_GE(boot, 200ms);
  EXPECT_LT(boot, 5s);
  // Nobody sets this machine's clock during the test: the two moved alike.
  EXPECT_LT(std::chrono::abs((second.wall - first.wall) - boot), 50ms);
}

TEST(Clocks, TheBootIdNamesThisBootAndStaysTheSame) {
  const auto id = bootId();
  EXPECT_EQ(id.size(), 36u) << id;  // a UUID
  EXPECT_EQ(bootId(), id);
}

}  // namespace
}  // namespace clubsafe::agent::platform
