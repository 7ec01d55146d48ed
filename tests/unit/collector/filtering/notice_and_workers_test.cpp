// The monitoring notice and worker PINs the policy carries: real SQLite, real scrypt hashes.
#include "collector/filtering/default_notice.hpp"
#include "collector/filtering/filtering_service.hpp"
#include "common/password_hash.hpp"
#include "tests/unit/collector/test_storage.hpp"

#include <gtest/gtest.h>

namespace clubsafe::collector {
namespace {

const ChangeAuthor kAlice{"alice", "the trustees asked for it"};
const KeptFor kKept{.usageDays = 365, .safeguardingDays = 2190};

class NoticeAndWorkersTest : public ::testing::Test {
 protected:
  void SetUp() override { service_.prepare(); }

  const Stores& stores() { return store_.stores; }
  common::Policy policy() { return common::parsePolicy(stores().filtering.currentPolicy().body); }
  std::int64_t version() { return stores().filtering.currentPolicy().version; }

  // What a refused change says; empty when it was not refused.
  template <typename Change>
  std::string refusal(Change&& change) {
    try {
      change();
    } catch (const FilteringError& error) {
      return error.what();
    }
    return {};
  }

  testing::TestStorage store_;
  std::filesystem::path folder_ = store_.directory.path() / "state" / "index";
  FilteringService service_{stores().filtering, folder_,
                            defaultNotice("Westgate Youth Project", kKept)};
};

TEST(DefaultNotice, IsValidAndSaysHowLongRecordsAreKept) {
  const auto notice = defaultNotice("our youth club", kKept);
  EXPECT_NO_THROW(common::validateNotice(notice));
  EXPECT_EQ(notice.version, common::noticeVersion(notice));
  EXPECT_EQ(notice.clubName, "our youth club");
  EXPECT_TRUE(notice.policyUrl.empty());
  std::string all;
  for (const auto& paragraph : notice.paragraphs) all += paragraph + "\n";
  for (const auto* said : {"up to a year", "up to 6 years", "never takes pictures of your screen",
                           "safeguarding lead", "ask a youth worker"}) {
    EXPECT_NE(all.find(said), std::string::npos) << said << " not in:\n" << all;
  }
  EXPECT_NE(defaultNotice("x", {.usageDays = 90, .safeguardingDays = 365}).version, notice.version);
}

TEST(DefaultNotice, DaysAreSaidAsAChildWould) {
  EXPECT_EQ(daysInWords(1), "1 day");
  EXPECT_EQ(daysInWords(30), "30 days");
  EXPECT_EQ(daysInWords(365), "a year");
  EXPECT_EQ(daysInWords(400), "400 days");
  EXPECT_EQ(daysInWords(2190), "6 years");
}

TEST(WorkerPin, RefusesWhatIsNotSixToTwelveDigitsOrIsEasyToGuess) {
  for (const auto* good : {"480271", "246810", "135792", "123457", "112233", "907126438051"}) {
    EXPECT_FALSE(weakPinProblem(good).has_value()) << good;
  }
  for (const auto* bad : {"", "12345", "1234567890123", "48027a", "480 271", "４８０２７１"}) {
    ASSERT_TRUE(weakPinProblem(bad).has_value()) << bad;
    EXPECT_NE(weakPinProblem(bad)->find("6 to 12 digits"), std::string::npos) << bad;
  }
  for (const auto* bad :
       {"000000", "7777777", "123456", "654321", "890123", "3210987654", "012345678901"}) {
    ASSERT_TRUE(weakPinProblem(bad).has_value()) << bad;
    EXPECT_NE(weakPinProblem(bad)->find("too easy to guess"), std::string::npos) << bad;
  }
}

TEST_F(NoticeAndWorkersTest, TheFirstStartPublishesTheFirstNoticeOnce) {
  const auto published = policy();
  ASSERT_TRUE(published.notice.has_value());
  EXPECT_EQ(*published.notice, defaultNotice("Westgate Youth Project", kKept));
  EXPECT_EQ(stores().filtering.noticeText(), published.notice);
  EXPECT_TRUE(published.workers.empty());
  const auto audit = stores().audit.listAudit(1).at(0);
  EXPECT_EQ(audit.actor, "system");
  EXPECT_NE(audit.reason.find("monitoring notice"), std::string::npos) << audit.reason;

  // Later starts keep the stored notice, whatever the settings now say.
  const auto before = version();
  FilteringService restarted(stores().filtering, folder_, defaultNotice("Another name", kKept));
  restarted.prepare();
  EXPECT_EQ(version(), before);
  EXPECT_EQ(policy().notice->clubName, "Westgate Youth Project");
}

TEST_F(NoticeAndWorkersTest, ADatabaseFromBeforeNoticesGetsOneOnTheNextStart) {
  testing::TestStorage older;
  FilteringService withoutNotice(older.stores.filtering, older.directory.path() / "index");
  withoutNotice.prepare();
  const auto before = older.stores.filtering.currentPolicy();
  EXPECT_FALSE(common::parsePolicy(before.body).notice.has_value());

  FilteringService upgraded(older.stores.filtering, older.directory.path() / "index",
                            defaultNotice("Westgate Youth Project", kKept));
  upgraded.prepare();
  const auto after = common::parsePolicy(older.stores.filtering.currentPolicy().body);
  EXPECT_EQ(after.version, before.version + 1);
  ASSERT_TRUE(after.notice.has_value());
  EXPECT_EQ(after.notice->clubName, "Westgate Youth Project");
}

TEST_F(NoticeAndWorkersTest, ASavedNoticeIsPublishedWithItsVersionAndItsWordsAudited) {
  common::NoticeText notice{.clubName = "Westgate",
                            .paragraphs = {"We keep a record.", "Ask us anything."},
                            .policyUrl = "https://westgate.example/policy",
                            .version = "whatever the caller says"};
  service_.saveNotice(notice, kAlice);
  const auto published = policy().notice;
  ASSERT_TRUE(published.has_value());
  EXPECT_EQ(published->paragraphs, notice.paragraphs);
  EXPECT_EQ(published->policyUrl, notice.policyUrl);
  EXPECT_EQ(published->version, common::noticeVersion(notice));
  const auto audit = stores().audit.listAudit(1).at(0);
  EXPECT_EQ(audit.action, "notice.update");
  EXPECT_EQ(audit.actor, "alice");
  EXPECT_EQ(audit.reason, kAlice.reason);
  EXPECT_EQ(audit.target, published->version);
  EXPECT_NE(audit.detail.find("Ask us anything."), std::string::npos) << audit.detail;
}

TEST_F(NoticeAndWorkersTest, ARefusedNoticeNamesTheFieldAndChangesNothing) {
  const auto before = stores().filtering.currentPolicy();
  common::NoticeText notice{.clubName = "Westgate",
                            .paragraphs = {"Fine.", std::string(601, 'a')},
                            .policyUrl = {},
                            .version = {}};
  EXPECT_EQ(refusal([&] { service_.saveNotice(notice, kAlice); }).rfind("notice.paragraphs[1]:", 0),
            0u);
  notice.paragraphs = {"Fine."};
  notice.policyUrl = "javascript:alert(1)";
  EXPECT_EQ(refusal([&] { service_.saveNotice(notice, kAlice); }).rfind("notice.policy_url:", 0),
            0u);
  notice.policyUrl.clear();
  notice.clubName.clear();
  EXPECT_EQ(refusal([&] { service_.saveNotice(notice, kAlice); }).rfind("notice.club_name:", 0),
            0u);
  notice.clubName = "Westgate";
  EXPECT_NE(refusal([&] {
              service_.saveNotice(notice, {"alice", " "});
            }).find("Say why"),
            std::string::npos);
  EXPECT_EQ(stores().filtering.currentPolicy().body, before.body);
}

TEST_F(NoticeAndWorkersTest, AWorkerIsPublishedWithAHashOfThePinAndRemoved) {
  const auto id = service_.addWorker("  Sam  ", "480271", kAlice);
  const auto published = policy();
  ASSERT_EQ(published.workers.size(), 1u);
  EXPECT_EQ(published.workers[0].name, "Sam");
  EXPECT_TRUE(common::verifyPassword("480271", published.workers[0].pinHash));
  EXPECT_FALSE(common::verifyPassword("480272", published.workers[0].pinHash));
  EXPECT_EQ(stores().filtering.currentPolicy().body.find("480271"), std::string::npos);
  const auto added = stores().audit.listAudit(1).at(0);
  EXPECT_EQ(added.action, "worker.add");
  EXPECT_EQ(added.target, "Sam");
  EXPECT_EQ((added.detail + added.reason).find("480271"), std::string::npos);
  ASSERT_EQ(stores().filtering.listWorkers().size(), 1u);
  EXPECT_EQ(stores().filtering.listWorkers()[0].createdBy, "alice");

  // A filtering change keeps the notice and the workers in the policy it publishes.
  service_.setDefaultProfile("seniors", kAlice);
  EXPECT_EQ(policy().workers, published.workers);
  EXPECT_EQ(policy().notice, published.notice);

  service_.deleteWorker(id, kAlice);
  EXPECT_TRUE(policy().workers.empty());
  EXPECT_TRUE(stores().filtering.listWorkers().empty());
  EXPECT_EQ(stores().audit.listAudit(1).at(0).action, "worker.delete");
  try {
    service_.deleteWorker(id, kAlice);
    ADD_FAILURE() << "a removed worker was removed again";
  } catch (const FilteringError& error) {
    EXPECT_EQ(error.kind(), FilteringError::Kind::NotFound);
  }
}

TEST_F(NoticeAndWorkersTest, ARefusedWorkerNamesTheFieldAndChangesNothing) {
  (void)service_.addWorker("Sam", "480271", kAlice);
  const auto before = stores().filtering.currentPolicy();
  EXPECT_EQ(
      refusal([&] { (void)service_.addWorker("Alex", "123456", kAlice); }).rfind("worker.pin:", 0),
      0u);
  EXPECT_EQ(
      refusal([&] { (void)service_.addWorker("Alex", "4802", kAlice); }).rfind("worker.pin:", 0),
      0u);
  EXPECT_EQ(
      refusal([&] { (void)service_.addWorker("sAM", "246810", kAlice); }).rfind("worker.name:", 0),
      0u);
  EXPECT_EQ(refusal([&] {
              (void)service_.addWorker(std::string(41, 'a'), "246810", kAlice);
            }).rfind("worker.name:", 0),
            0u);
  EXPECT_EQ(
      refusal([&] { (void)service_.addWorker("   ", "246810", kAlice); }).rfind("worker.name:", 0),
      0u);
  EXPECT_NE(refusal([&] {
              (void)service_.addWorker("Alex", "246810", {"alice", ""});
            }).find("Say why"),
            std::string::npos);
  EXPECT_EQ(stores().filtering.currentPolicy().body, before.body);
  EXPECT_EQ(stores().filtering.listWorkers().size(), 1u);
}

TEST_F(NoticeAndWorkersTest, AMemberIsPublishedWithTheirBandAndRemoved) {
  const auto id = service_.addMember("  Amira ", "13-15", kAlice);
  EXPECT_EQ(policy().members, (std::vector<common::Member>{{"Amira", "13-15"}}));
  const auto added = stores().audit.listAudit(1).at(0);
  EXPECT_EQ(added.action, "member.add");
  EXPECT_EQ(added.target, "Amira");
  ASSERT_EQ(stores().filtering.listMembers().size(), 1u);
  EXPECT_EQ(stores().filtering.listMembers()[0].createdBy, "alice");
  // A filtering change keeps the register in the policy it publishes.
  service_.setDefaultProfile("seniors", kAlice);
  EXPECT_EQ(policy().members.size(), 1u);

  service_.deleteMember(id, kAlice);
  EXPECT_TRUE(policy().members.empty());
  EXPECT_EQ(stores().audit.listAudit(1).at(0).action, "member.delete");
  EXPECT_EQ(refusal([&] { service_.deleteMember(id, kAlice); }), "There is no such member.");
}

TEST_F(NoticeAndWorkersTest, ARefusedMemberNamesTheFieldAndChangesNothing) {
  (void)service_.addMember("Amira", "13-15", kAlice);
  const auto before = stores().filtering.currentPolicy();
  EXPECT_EQ(
      refusal([&] { (void)service_.addMember(" aMIRA", "8-12", kAlice); }).rfind("member.name:", 0),
      0u);
  EXPECT_EQ(
      refusal([&] { (void)service_.addMember("   ", "8-12", kAlice); }).rfind("member.name:", 0),
      0u);
  EXPECT_EQ(refusal([&] {
              (void)service_.addMember("K7", "staff", kAlice);
            }).rfind("member.age_band:", 0),
            0u);
  EXPECT_EQ(refusal([&] {
              (void)service_.addMember("K7", "99-100", kAlice);
            }).rfind("member.age_band:", 0),
            0u);
  EXPECT_EQ(stores().filtering.currentPolicy().body, before.body);
  EXPECT_EQ(stores().filtering.listMembers().size(), 1u);
}

}  // namespace
}  // namespace clubsafe::collector
