// The member register's retention over a real SQLite file: members who have not signed in for
// retention.member_days leave the register (and the policy the laptops get), with an audit row;
// those seen since, however their name was typed on the laptop, stay.
#include "collector/retention/member_retention.hpp"

#include "collector/filtering/default_notice.hpp"
#include "common/time.hpp"
#include "tests/unit/collector/storage/store_test.hpp"

namespace clubsafe::collector {
namespace {

constexpr std::chrono::days kYear{365};
const ChangeAuthor kAlice{"alice", "they joined the club"};

class MemberRetentionTest : public store_test::StoreTest {
 protected:
  void SetUp() override {
    enrol("dev_a");
    filtering_.prepare();
  }

  void signedIn(const std::string& typed, common::Timestamp when) {
    common::Event event;
    event.deviceId = "dev_a";
    event.sequence = ++sequence_;
    event.time = when;
    event.type = common::EventType::MemberSignIn;
    event.member = typed;
    common::Batch batch;
    batch.header.deviceId = "dev_a";
    batch.events.push_back(event);
    (void)stores().events.storeEvents(batch, when);
  }

  std::size_t removeLapsed(common::Timestamp now) {
    return removeLapsedMembers(stores().filtering, stores().readModel, filtering_, kYear, now);
  }

  std::vector<std::string> onTheRegister() {
    std::vector<std::string> names;
    for (const auto& member : stores().filtering.listMembers()) names.push_back(member.name);
    return names;
  }

  FilteringService filtering_{
      stores().filtering, test_.directory.path() / "index",
      defaultNotice("Westgate", {.usageDays = 365, .safeguardingDays = 2190})};
  std::int64_t sequence_ = 0;
};

TEST_F(MemberRetentionTest, MembersNotSeenForTheRetentionLeaveTheRegisterAndThePolicy) {
  for (const auto* name : {"Amira", "Ben", "Zoë"}) (void)filtering_.addMember(name, "8-12", kAlice);
  const auto later = common::nowUtc() + kYear + std::chrono::days(30);
  signedIn("  aMIRA ", later - std::chrono::days(10));    // typed another way on the laptop
  signedIn("Ben", later - kYear - std::chrono::days(5));  // too long ago

  EXPECT_EQ(removeLapsed(later), 2U);
  EXPECT_EQ(onTheRegister(), std::vector<std::string>{"Amira"});
  const auto policy = common::parsePolicy(stores().filtering.currentPolicy().body);
  EXPECT_EQ(policy.members, (std::vector<common::Member>{{"Amira", "8-12"}}));
  const auto audit = stores().audit.listAudit(2);
  ASSERT_EQ(audit.size(), 2U);
  for (const auto& entry : audit) {
    EXPECT_EQ(entry.action, "member.delete");
    EXPECT_EQ(entry.actor, "system");
    EXPECT_NE(entry.reason.find("retention.member_days"), std::string::npos) << entry.reason;
  }
  EXPECT_EQ(removeLapsed(later), 0U) << "nothing more to take off";
}

TEST_F(MemberRetentionTest, ASignInDatedInTheFutureDoesNotKeepAMember) {
  (void)filtering_.addMember("Cal", "13-15", kAlice);
  const auto later = common::nowUtc() + kYear + std::chrono::days(30);
  // A laptop whose clock is years ahead, or a forged batch, would keep the name till then.
  signedIn("Cal", later + 50 * kYear);
  EXPECT_EQ(removeLapsed(later), 1U);
  EXPECT_TRUE(onTheRegister().empty());
}

TEST_F(MemberRetentionTest, AMemberAddedWithinTheRetentionStaysThoughNeverSeen) {
  (void)filtering_.addMember("K7", "13-15", kAlice);
  EXPECT_EQ(removeLapsed(common::nowUtc() + std::chrono::days(300)), 0U);
  EXPECT_EQ(onTheRegister(), std::vector<std::string>{"K7"});
}

}  // namespace
}  // namespace clubsafe::collector
