// The dashboard against the real collector: events sent through the real device API (a week
// late, as from a laptop that was offline) show in the period's figures in the club's local
// time, with silent opening hours and use while closed; the laptop in use now shows who and
// what; review requests no decision has answered are listed for managers, not for trustees; a
// bad period and a signed-out caller are refused.
#include "common/time.hpp"
#include "tests/integration/harness.hpp"

#include <Poco/JSON/Array.h>

#include <gtest/gtest.h>

namespace clubsafe::testing {
namespace {

using common::EventType;
using namespace std::chrono_literals;

common::Timestamp at(std::string_view text) {
  return *common::parseTimestamp(text);
}

class Dashboard : public ::testing::Test {
 protected:
  void SetUp() override {
    collector_.start();
    ASSERT_EQ(agent_.enrol(collector_).status, 0);
    deviceId_ = agent_.deviceId();
    console_ = std::make_unique<ConsoleClient>(collector_);
  }

  common::Event event(EventType type, common::Timestamp time, const std::string& member = "sam") {
    common::Event made;
    made.deviceId = deviceId_;
    made.sequence = ++sequence_;
    made.time = time;
    made.type = type;
    made.osUser = "club";
    made.member = member;
    made.profile = "juniors";
    if (type == EventType::MemberSignIn) {
      made.payload->set("age_band", "8-12");
      made.payload->set("method", "first_name");
    } else if (type == EventType::Session) {
      made.payload->set("action", "login");
      made.payload->set("session_id", "3");
    } else if (type == EventType::Heartbeat) {
      made.payload->set("uptime_seconds", 60);
      made.payload->set("queue_depth", 0);
      made.payload->set("agent_version", "9.9.9");
    }
    return made;
  }

  common::Event blocked(common::Timestamp minute, const std::string& domain, std::int64_t count) {
    auto made = event(EventType::DnsDecision, minute + 70s);
    made.payload->set("domain", domain);
    made.payload->set("action", "blocked");
    made.payload->set("category", "gambling");
    made.payload->set("minute", common::formatTimestamp(minute));
    made.payload->set("count", count);
    return made;
  }

  common::Event app(common::Timestamp started, std::int64_t seconds, const std::string& name) {
    auto made = event(EventType::AppUsage, started + std::chrono::seconds(seconds));
    made.payload->set("application", name);
    made.payload->set("seconds", seconds);
    made.payload->set("started", common::formatTimestamp(started));
    return made;
  }

  void send(const std::vector<common::Event>& events) {
    const auto answer = agent_.sendEvents(collector_, events);
    ASSERT_EQ(answer.status, 200) << answer.body;
  }

  TempDir dir_;
  // Tuesdays 18:00 to 21:00, London time.
  Collector collector_{dir_, {"club.timezone=Europe/London", "club.opening_hours=tue 18:00-21:00"}};
  Agent agent_{dir_};
  std::unique_ptr<ConsoleClient> console_;
  std::string deviceId_;
  std::int64_t sequence_ = 0;
};

TEST_F(Dashboard, LateEventsShowInTheirLocalDayWithOpeningHours) {
  // Tuesday 3 November 2026 (GMT): reporting at 18:00, used at 22:00 when the club was closed.
  const std::vector<common::Event> evening{
      event(EventType::Heartbeat, at("2026-11-03T18:10:00Z"), ""),
      event(EventType::Session, at("2026-11-03T18:00:00Z")),
      event(EventType::MemberSignIn, at("2026-11-03T18:01:00Z")),
      blocked(at("2026-11-03T18:05:00Z"), "casino.test", 3),
      app(at("2026-11-03T22:00:00Z"), 300, "firefox")};
  send(evening);
  send(evening);  // sent again: counts once

  const auto answer = console_->get("/api/console/dashboard?from=2026-11-03&to=2026-11-03");
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto data = parseObject(answer.body);
  EXPECT_EQ(data->getValue<std::string>("from"), "2026-11-03T00:00:00.000Z");
  EXPECT_EQ(data->getValue<std::int64_t>("open_hours"), 3);
  const auto laptop = data->getArray("laptops")->getObject(0);
  EXPECT_EQ(laptop->getValue<std::string>("device_id"), deviceId_);
  // Enrolled today: the opening hours before it are nobody's silence (the unit tests count them).
  EXPECT_EQ(laptop->getValue<std::int64_t>("silent_open_hours"), 0);
  EXPECT_EQ(laptop->getValue<std::int64_t>("hours_used_while_closed"), 1);
  EXPECT_EQ(laptop->getValue<std::string>("agent_version"), "9.9.9");
  const auto category = data->getArray("blocked_by_category")->getObject(0);
  EXPECT_EQ(category->getValue<std::string>("category"), "gambling");
  EXPECT_EQ(category->getValue<std::int64_t>("count"), 3);
  const auto site = data->getArray("top_blocked_sites")->getObject(0);
  EXPECT_EQ(site->getValue<std::string>("site"), "casino.test");
  const auto topApp = data->getArray("top_apps")->getObject(0);
  EXPECT_EQ(topApp->getValue<std::string>("app"), "firefox");
  EXPECT_EQ(topApp->getValue<std::int64_t>("seconds"), 300);
  const auto totals = data->getObject("totals");
  EXPECT_EQ(totals->getValue<std::int64_t>("logins"), 1);
  EXPECT_EQ(totals->getValue<std::int64_t>("sign_ins"), 1);
  EXPECT_EQ(data->getArray("weeks")->size(), 1U);

  // The day before holds nothing.
  const auto before =
      parseObject(console_->get("/api/console/dashboard?from=2026-11-02&to=2026-11-02").body);
  EXPECT_EQ(before->getArray("blocked_by_category")->size(), 0U);
}

TEST_F(Dashboard, ReviewRequestsWaitingAreListedForManagersOnly) {
  const auto now = common::nowUtc();
  const auto request = [&](common::Timestamp time, const std::string& domain,
                           const std::string& member) {
    auto made = event(EventType::ReviewRequest, time, member);
    made.payload->set("domain", domain);
    made.payload->set("category", "chat");
    return made;
  };
  send({request(now - 20min, "answered.test", "alex"), request(now - 10min, "homework.test", "sam"),
        request(now - 5min, "games.test", "kim")});
  Poco::JSON::Object decision;
  decision.set("domain", "answered.test");
  decision.set("decision", "keep_blocked");
  decision.set("reason", "a chat site for adults");
  const auto decided = console_->post("/api/console/review/decisions", toJson(decision));
  ASSERT_EQ(decided.status, 201) << decided.body;
  // Asked again after the decision: waiting again.
  send({request(common::nowUtc() + 1s, "answered.test", "jo")});

  // The days around today, whatever London's offset.
  const auto path =
      "/api/console/dashboard?from=" + common::formatTimestamp(now - 24h).substr(0, 10) +
      "&to=" + common::formatTimestamp(now + 24h).substr(0, 10);
  const auto answer = console_->get(path);
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto waiting = parseObject(answer.body)->getArray("review_requests_waiting");
  ASSERT_EQ(waiting->size(), 3U) << answer.body;
  EXPECT_EQ(waiting->getObject(0)->getValue<std::string>("site"), "answered.test");
  EXPECT_EQ(waiting->getObject(0)->getValue<std::string>("member"), "jo");
  EXPECT_EQ(waiting->getObject(1)->getValue<std::string>("site"), "games.test");
  EXPECT_EQ(waiting->getObject(2)->getValue<std::string>("member"), "sam");
  EXPECT_FALSE(waiting->getObject(2)->getValue<std::string>("laptop").empty());

  // A trustee sees the count, never who asked.
  Poco::JSON::Object trustee;
  trustee.set("username", "tess");
  Poco::JSON::Array roles;
  roles.add("trustee");
  trustee.set("roles", roles);
  const auto added = console_->post("/api/console/users", toJson(trustee));
  ASSERT_EQ(added.status, 201) << added.body;
  const ConsoleClient tess(collector_, "tess",
                           parseObject(added.body)->getValue<std::string>("one_time_password"));
  const auto summary = parseObject(tess.get(path).body);
  EXPECT_EQ(summary->getObject("totals")->getValue<std::int64_t>("review_requests"), 4);
  EXPECT_FALSE(summary->has("review_requests_waiting"));
}

TEST_F(Dashboard, InUseNowShowsWhoAndWhatOnALaptopHeardFromJustNow) {
  const auto now = common::nowUtc();
  const auto minute = std::chrono::floor<std::chrono::minutes>(now) - 1min;
  send({event(EventType::MemberSignIn, now - 2min, "alex"), app(now - 2min, 60, "gimp"),
        blocked(minute, "casino.test", 2)});

  const auto answer = console_->get("/api/console/in-use-now");
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto laptops = parseObject(answer.body)->getArray("laptops");
  ASSERT_EQ(laptops->size(), 1U);
  const auto laptop = laptops->getObject(0);
  EXPECT_EQ(laptop->getValue<std::string>("member"), "alex");
  EXPECT_EQ(laptop->getValue<std::string>("app"), "gimp");
  const auto blocks = laptop->getArray("recent_blocks");
  ASSERT_EQ(blocks->size(), 1U);
  EXPECT_EQ(blocks->getObject(0)->getValue<std::string>("site"), "casino.test");
}

TEST_F(Dashboard, ABadPeriodOrNoSessionIsRefused) {
  EXPECT_EQ(console_->get("/api/console/dashboard?from=2026-11-03").status, 400);
  EXPECT_EQ(console_->get("/api/console/dashboard?from=2026-11-05&to=2026-11-03").status, 400);
  EXPECT_EQ(console_->get("/api/console/dashboard?from=yesterday&to=today").status, 400);
  EXPECT_EQ(
      httpsRequest(collector_.port(), "GET", "/api/console/dashboard?from=2026-11-03&to=2026-11-03")
          .status,
      401);
  EXPECT_EQ(httpsRequest(collector_.port(), "GET", "/api/console/in-use-now").status, 401);
}

}  // namespace
}  // namespace clubsafe::testing
