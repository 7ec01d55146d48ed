// The review queue from a period's requests, blocked sites and past decisions.
#include "collector/review/review_queue.hpp"

#include "tests/unit/collector/test_storage.hpp"

#include <gtest/gtest.h>

namespace clubsafe::collector::review {
namespace {

using testing::at;

ReviewRequestRecord request(std::string_view time, std::string domain, std::string laptop,
                            std::string message = {}) {
  return {.time = at(time),
          .deviceId = "id-" + laptop,
          .laptop = laptop,
          .osUser = "club",
          .member = "",
          .profile = "juniors",
          .domain = std::move(domain),
          .category = "gambling",
          .message = std::move(message)};
}

BlockedSiteRecord blocked(std::string domain, std::int64_t attempts,
                          std::vector<std::string> laptops) {
  return {.domain = std::move(domain),
          .categories = {"games"},
          .attempts = attempts,
          .laptops = std::move(laptops),
          .profiles = {"seniors"}};
}

TEST(ReviewQueueTest, AskedSitesComeFirstWithTheirWordsThenTheMostBlocked) {
  const std::vector<ReviewRequestRecord> requests{
      request("2026-12-05T19:00:00Z", "homework.test", "Laptop 2", "for my history homework"),
      request("2026-12-05T18:00:00Z", "casino.test", "Laptop 1"),
      request("2026-12-05T17:00:00Z", "homework.test", "Laptop 1", "please")};
  const std::vector<BlockedSiteRecord> sites{blocked("games.test", 40, {"Laptop 3"}),
                                             blocked("homework.test", 12, {"Laptop 4"}),
                                             blocked("chat.test", 90, {"Laptop 1"})};
  const auto queue = buildQueue(requests, sites, {});
  ASSERT_EQ(queue.size(), 4U);
  EXPECT_EQ(queue[0].domain, "homework.test");
  EXPECT_EQ(queue[0].attempts, 12);
  ASSERT_EQ(queue[0].requests.size(), 2U);
  EXPECT_EQ(queue[0].requests[0].message, "for my history homework");
  EXPECT_EQ(queue[0].requests[1].message, "please");
  EXPECT_EQ(queue[0].laptops, (std::vector<std::string>{"Laptop 2", "Laptop 1", "Laptop 4"}));
  EXPECT_EQ(queue[0].categories, (std::vector<std::string>{"gambling", "games"}));
  EXPECT_EQ(queue[0].profiles, (std::vector<std::string>{"juniors", "seniors"}));
  EXPECT_EQ(queue[1].domain, "casino.test");
  EXPECT_EQ(queue[1].attempts, 0);
  EXPECT_EQ(queue[2].domain, "chat.test");
  EXPECT_EQ(queue[2].attempts, 90);
  EXPECT_TRUE(queue[2].requests.empty());
  EXPECT_EQ(queue[3].domain, "games.test");
}

TEST(ReviewQueueTest, ADecidedSiteLeavesUntilSomeoneAsksAgain) {
  const std::vector<ReviewRequestRecord> requests{
      request("2026-12-05T19:00:00Z", "asked-again.test", "Laptop 1", "after"),
      request("2026-12-05T17:00:00Z", "asked-again.test", "Laptop 1", "before"),
      request("2026-12-05T17:00:00Z", "decided.test", "Laptop 1")};
  const std::vector<BlockedSiteRecord> sites{blocked("decided.test", 50, {"Laptop 1"}),
                                             blocked("decided-blocked.test", 30, {"Laptop 2"})};
  const std::map<std::string, Timestamp> decisions{
      {"asked-again.test", at("2026-12-05T18:00:00Z")},
      {"decided.test", at("2026-12-05T17:00:00Z")},
      {"decided-blocked.test", at("2026-01-01T00:00:00Z")}};
  const auto queue = buildQueue(requests, sites, decisions);
  ASSERT_EQ(queue.size(), 1U);
  EXPECT_EQ(queue[0].domain, "asked-again.test");
  ASSERT_EQ(queue[0].requests.size(), 1U);
  EXPECT_EQ(queue[0].requests[0].message, "after");
  ASSERT_TRUE(queue[0].decidedAt.has_value());
  EXPECT_EQ(*queue[0].decidedAt, at("2026-12-05T18:00:00Z"));
}

TEST(ReviewQueueTest, NothingToReviewIsAnEmptyQueue) {
  EXPECT_TRUE(buildQueue({}, {}, {}).empty());
}

}  // namespace
}  // namespace clubsafe::collector::review
