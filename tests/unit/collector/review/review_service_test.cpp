// The filtering review on a real SQLite file with real lists compiled into real index files:
// decisions with their policy versions and audit rows, the end of timed allows, refusals that
// change nothing, and the queue read from stored events.
#include "collector/review/review_service.hpp"

#include "tests/unit/collector/test_storage.hpp"

#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace clubsafe::collector {
namespace {

using namespace std::chrono_literals;
using testing::at;

const ChangeAuthor kManager{"manager", "Homework on probability"};

bool allows(const common::Profile& profile, const std::string& site) {
  return std::find(profile.allow.begin(), profile.allow.end(), site) != profile.allow.end();
}

class ReviewServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    filtering_.prepare();
    (void)filtering_.importLists(
        {{"gambling", "club", "plain", "casino.test\n"}, {"iwf", "iwf", "plain", "bad.test\n"}},
        {"manager", "The club's lists"});
  }

  const Stores& stores() { return storage_.stores; }
  std::int64_t policyVersion() { return stores().filtering.currentPolicy().version; }
  common::Profile profile(const std::string& id) {
    for (auto& found : stores().filtering.listFilterProfiles()) {
      if (found.id == id) return found;
    }
    throw std::runtime_error("no profile " + id);
  }
  std::vector<AuditEntry> audit(const std::string& action) {
    auto entries = stores().audit.listAudit(100);
    std::erase_if(entries, [&](const AuditEntry& entry) { return entry.action != action; });
    return entries;
  }

  static DecisionInput allow(std::string site, std::string scope,
                             std::optional<std::chrono::minutes> duration) {
    return {.site = std::move(site),
            .category = "gambling",
            .verdict = ReviewVerdict::Allow,
            .scope = std::move(scope),
            .duration = duration};
  }

  static DecisionInput keepBlocked(std::string site) {
    DecisionInput input;
    input.site = std::move(site);
    input.category = "gambling";
    return input;
  }

  testing::TestStorage storage_;
  FilteringService filtering_{storage_.stores.filtering, storage_.directory.path() / "index"};
  ReviewService review_{storage_.stores.review, filtering_};
};

TEST_F(ReviewServiceTest, AnAllowPublishesAVersionWithItsDecisionAndAuditRow) {
  const auto before = policyVersion();
  const auto decided = review_.decide(allow("Casino.test", std::string(kAllProfiles), std::nullopt),
                                      kManager, at("2026-12-05T18:00:00Z"));
  EXPECT_EQ(policyVersion(), before + 1);
  ASSERT_TRUE(decided.policyVersion.has_value());
  EXPECT_EQ(*decided.policyVersion, before + 1);
  const auto policy = common::parsePolicy(stores().filtering.currentPolicy().body);
  for (const auto& profile : policy.profiles)
    EXPECT_TRUE(allows(profile, "casino.test")) << profile.id;
  EXPECT_EQ(decided.holds.size(), policy.profiles.size());

  const auto stored = stores().review.listDecisions(10);
  ASSERT_EQ(stored.size(), 1U);
  EXPECT_EQ(stored[0].id, decided.id);
  EXPECT_EQ(stored[0].domain, "casino.test");
  EXPECT_EQ(stored[0].scope, std::string(kAllProfiles));
  EXPECT_FALSE(stored[0].until.has_value());
  EXPECT_EQ(stored[0].reason, kManager.reason);
  EXPECT_EQ(stored[0].policyVersion, decided.policyVersion);
  const auto rows = audit("review.allow");
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].actor, "manager");
  EXPECT_EQ(rows[0].target, "casino.test");
  EXPECT_EQ(rows[0].reason, kManager.reason);
}

TEST_F(ReviewServiceTest, KeepingASiteBlockedIsRecordedWithoutANewVersion) {
  const auto before = policyVersion();
  const auto decided =
      review_.decide(keepBlocked("casino.test"), kManager, at("2026-12-05T18:00:00Z"));
  EXPECT_EQ(policyVersion(), before);
  EXPECT_FALSE(decided.policyVersion.has_value());
  EXPECT_EQ(stores().review.listDecisions(10).at(0).verdict, ReviewVerdict::KeepBlocked);
  EXPECT_EQ(audit("review.keep_blocked").size(), 1U);
}

TEST_F(ReviewServiceTest, IllegalContentAnUnknownProfileAndNoReasonChangeNothing) {
  const auto before = policyVersion();
  auto illegal = allow("bad.test", std::string(kAllProfiles), 60min);
  illegal.category = "";
  EXPECT_THROW((void)review_.decide(illegal, kManager, at("2026-12-05T18:00:00Z")), FilteringError);
  auto named = allow("casino.test", std::string(kAllProfiles), 60min);
  named.category = "terrorism";
  EXPECT_THROW((void)review_.decide(named, kManager, at("2026-12-05T18:00:00Z")), FilteringError);
  EXPECT_THROW((void)review_.decide(allow("casino.test", "nobody", 60min), kManager,
                                    at("2026-12-05T18:00:00Z")),
               FilteringError);
  EXPECT_THROW((void)review_.decide(allow("casino.test", std::string(kAllProfiles), 60min),
                                    {"manager", "  "}, at("2026-12-05T18:00:00Z")),
               FilteringError);
  EXPECT_EQ(policyVersion(), before);
  EXPECT_TRUE(stores().review.listDecisions(10).empty());
  EXPECT_TRUE(audit("review.allow").empty());
}

TEST_F(ReviewServiceTest, ATimedAllowEndsAtItsTimeKeepingEntriesOthersHold) {
  // The manager's own entry for seniors, a timed allow for juniors and seniors, and an allow for
  // good for juniors that starts while the timed one is in force.
  auto seniors = profile("seniors");
  seniors.allow.push_back("casino.test");
  filtering_.updateProfile(seniors, {"manager", "Seniors may bet on sums"});
  const auto timed = review_.decide(allow("casino.test", std::string(kAllProfiles), 60min),
                                    kManager, at("2026-12-05T18:00:00Z"));
  EXPECT_FALSE(std::count(timed.holds.begin(), timed.holds.end(), "seniors"));
  (void)review_.decide(allow("casino.test", "juniors", std::nullopt), kManager,
                       at("2026-12-05T18:10:00Z"));

  EXPECT_EQ(review_.endDueAllows(at("2026-12-05T18:59:59Z")), 0U);
  const auto before = policyVersion();
  EXPECT_EQ(review_.endDueAllows(at("2026-12-05T19:00:00Z")), 1U);
  EXPECT_EQ(policyVersion(), before + 1);
  EXPECT_TRUE(allows(profile("juniors"), "casino.test"));  // held for good
  EXPECT_TRUE(allows(profile("seniors"), "casino.test"));  // the manager's
  EXPECT_FALSE(allows(profile("staff"), "casino.test"));   // the timed allow's alone
  const auto ended = audit("review.allow_end");
  ASSERT_EQ(ended.size(), 1U);
  EXPECT_EQ(ended[0].actor, "system");
  const auto decisions = stores().review.listDecisions(10);
  ASSERT_EQ(decisions.size(), 2U);
  EXPECT_EQ(decisions[1].endedAt, at("2026-12-05T19:00:00Z"));
  EXPECT_FALSE(decisions[0].endedAt.has_value());
  EXPECT_EQ(review_.endDueAllows(at("2026-12-06T19:00:00Z")), 0U);
}

TEST_F(ReviewServiceTest, TheQueueReadsRequestsAndBlocksAndForgetsDecidedSites) {
  Poco::Data::Session session("SQLite", storage_.file.string());
  session
      << "INSERT INTO devices (id, secret_hash, name, hostname, os, agent_version, enrolled_at) "
         "VALUES ('d1', 'x', 'Laptop 1', 'l1', 'linux', '1', '2026-12-01T00:00:00.000Z')",
      Poco::Data::Keywords::now;
  const auto event = [](std::int64_t sequence, common::EventType type, const std::string& member,
                        Poco::JSON::Object::Ptr payload) {
    return common::Event{.deviceId = "d1",
                         .sequence = sequence,
                         .time = at("2026-12-05T18:01:30Z"),
                         .osUser = "club",
                         .member = member,
                         .profile = "juniors",
                         .type = type,
                         .payload = std::move(payload)};
  };
  const auto blocked = [&](std::int64_t sequence, const std::string& minute,
                           const std::string& domain, const std::string& category,
                           std::int64_t count, const std::string& member) {
    Poco::JSON::Object::Ptr payload = new Poco::JSON::Object;
    payload->set("minute", minute);
    payload->set("domain", domain);
    payload->set("action", "blocked");
    payload->set("category", category);
    payload->set("count", count);
    return event(sequence, common::EventType::DnsDecision, member, payload);
  };
  Poco::JSON::Object::Ptr request = new Poco::JSON::Object;
  request->set("domain", "casino.test");
  request->set("category", "gambling");
  request->set("message", "homework");
  auto requested = event(1, common::EventType::ReviewRequest, "Sam", request);
  requested.time = at("2026-12-05T18:00:00Z");
  // Twelve more from one account close together, folded by the laptop into the last of them.
  Poco::JSON::Object::Ptr flood = new Poco::JSON::Object(*request);
  flood->set("message", "please");
  flood->set("count", 12);
  auto folded = event(5, common::EventType::ReviewRequest, "Sam", flood);
  folded.time = at("2026-12-05T18:00:30Z");
  (void)stores().events.storeEvents(
      {.header = {.version = common::kBatchVersion, .deviceId = "d1"},
       .events = {requested, folded,
                  blocked(2, "2026-12-05T18:00:00Z", "casino.test", "gambling", 7, "Sam"),
                  blocked(3, "2026-12-05T18:01:00Z", "chat.test", "chat", 3, ""),
                  blocked(4, "2026-12-05T18:01:00Z", "late.test", "closed", 30, "")}},
      at("2026-12-05T18:02:00Z"));

  auto queue = review_.queue(at("2026-12-05T00:00:00Z"), at("2026-12-06T00:00:00Z"));
  ASSERT_EQ(queue.size(), 2U);
  EXPECT_EQ(queue[0].domain, "casino.test");
  EXPECT_EQ(queue[0].attempts, 7);
  EXPECT_EQ(queue[0].laptops, std::vector<std::string>{"Laptop 1"});
  ASSERT_EQ(queue[0].requests.size(), 2U);
  EXPECT_EQ(queue[0].requests[0].message, "please");
  EXPECT_EQ(queue[0].requests[0].count, 12);
  EXPECT_EQ(queue[0].requests[1].message, "homework");
  EXPECT_EQ(queue[0].requests[1].member, "Sam");
  EXPECT_EQ(queue[0].requests[1].count, 1);
  EXPECT_EQ(queue[1].domain, "chat.test");
  EXPECT_TRUE(review_.queue(at("2026-12-06T00:00:00Z"), at("2026-12-07T00:00:00Z")).empty());

  (void)review_.decide(keepBlocked("casino.test"), kManager, at("2026-12-05T19:00:00Z"));
  queue = review_.queue(at("2026-12-05T00:00:00Z"), at("2026-12-06T00:00:00Z"));
  ASSERT_EQ(queue.size(), 1U);
  EXPECT_EQ(queue[0].domain, "chat.test");
}

}  // namespace
}  // namespace clubsafe::collector
