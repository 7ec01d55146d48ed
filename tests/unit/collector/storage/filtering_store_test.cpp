// Filter lists, profiles and policy versions in a real SQLite file.
#include "collector/storage/sqlite_stores.hpp"

#include "common/crypto.hpp"
#include "tests/unit/collector/test_storage.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace clubsafe::collector {
namespace {

using testing::at;

const Timestamp kNow = at("2026-11-24T20:00:00.000Z");

class FilteringStoreTest : public ::testing::Test {
 protected:
  const Stores& stores() { return store_.stores; }

  // A change that stores policy version `version` (its body only needs to differ).
  PolicyChange change(std::int64_t version, const std::string& action) {
    const auto body = R"({"policy_version":)" + std::to_string(version) + "}";
    return {.document = {.version = version,
                         .body = body,
                         .etag = {},
                         .indexSha256 = std::string(64, 'a'),
                         .indexBytes = 1234},
            .audit = {.time = kNow,
                      .actor = "alice",
                      .action = action,
                      .target = "t",
                      .detail = "d",
                      .reason = "because the trustees asked"}};
  }

  std::int64_t nextVersion() { return stores().filtering.currentPolicy().version + 1; }

  static FilterListRecord record(const std::string& category, const std::string& source) {
    return {.id = 0,
            .category = category,
            .source = source,
            .format = "plain",
            .sha256 = std::string(64, 'b'),
            .bytes = 0,
            .lines = 3,
            .names = 2,
            .ignored = 0,
            .unsupported = 0,
            .bad = {{"IP address, not a domain name", 1}},
            .importedBy = "alice",
            .importedAt = kNow};
  }

  testing::TestStorage store_;
};

TEST_F(FilteringStoreTest, FirstPolicyIsVersionOneWithAStrongEtagThatLasts) {
  const auto policy = stores().filtering.currentPolicy();
  EXPECT_EQ(policy.version, 1);
  EXPECT_EQ(policy.body, R"({"policy_version":1})");
  EXPECT_EQ(policy.etag, '"' + common::sha256Hex(policy.body) + '"');

  const auto again = stores().filtering.currentPolicy();
  EXPECT_EQ(again.version, 1);
  EXPECT_EQ(again.etag, policy.etag);
  SqliteStores reopened(store_.file);
  EXPECT_EQ(reopened.stores().filtering.currentPolicy().etag, policy.etag);
}

TEST_F(FilteringStoreTest, AFreshDatabaseHasProfilesByAgeBandAndJuniorsAsDefault) {
  const auto profiles = stores().filtering.listFilterProfiles();
  std::vector<std::string> ids;
  for (const auto& profile : profiles) ids.push_back(profile.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"juniors", "seniors", "young_adults", "staff"}));
  EXPECT_EQ(stores().filtering.defaultFilterProfile(), "juniors");

  const auto& juniors = profiles[0];
  EXPECT_EQ(juniors.ageBands, std::vector<std::string>{"8-12"});
  EXPECT_EQ(juniors.safeSearch, common::SafeSearchLevel::Strict);
  EXPECT_EQ(profiles[1].safeSearch, common::SafeSearchLevel::Strict);
  EXPECT_EQ(profiles[3].safeSearch, common::SafeSearchLevel::Off);
  EXPECT_EQ(profiles[2].ageBands, (std::vector<std::string>{"16-17", "18-25"}));
  for (const auto* category :
       {"adult", "gambling", "agressif", "drogue", "vpn", "doh", "phishing"}) {
    EXPECT_NE(
        std::find(juniors.blockedCategories.begin(), juniors.blockedCategories.end(), category),
        juniors.blockedCategories.end())
        << category;
  }
  // The seeds pass the rules every agent applies.
  const common::Policy policy{.version = 1,
                              .index = std::nullopt,
                              .defaultProfile = "juniors",
                              .profiles = profiles,
                              .notice = std::nullopt,
                              .workers = {},
                              .members = {}};
  EXPECT_NO_THROW(common::validatePolicy(policy));
}

TEST_F(FilteringStoreTest, ListTextComesBackExactlyAndAnImportWritesPolicyAndAuditWithIt) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "site" + std::to_string(i) + ".example\n";
  text += std::string("\0binary\xff", 8);
  const auto version = nextVersion();
  const auto ids = stores().filtering.importFilterLists(
      {{record("gambling", "ut1/gambling"), text}}, change(version, "filter_list.import"));
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(stores().filtering.filterListText(ids[0]), text);

  const auto lists = stores().filtering.listFilterLists();
  ASSERT_EQ(lists.size(), 1u);
  EXPECT_EQ(lists[0].category, "gambling");
  EXPECT_EQ(lists[0].source, "ut1/gambling");
  EXPECT_EQ(lists[0].bytes, static_cast<std::int64_t>(text.size()));
  EXPECT_EQ(lists[0].bad.at("IP address, not a domain name"), 1);
  EXPECT_EQ(lists[0].importedAt, kNow);

  const auto policy = stores().filtering.currentPolicy();
  EXPECT_EQ(policy.version, version);
  EXPECT_EQ(policy.indexSha256, std::string(64, 'a'));
  EXPECT_EQ(policy.indexBytes, 1234);
  EXPECT_EQ(policy.etag, '"' + common::sha256Hex(policy.body) + '"');
  const auto audit = stores().audit.listAudit(1);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "filter_list.import");
  EXPECT_EQ(audit[0].actor, "alice");
  EXPECT_EQ(audit[0].reason, "because the trustees asked");
}

TEST_F(FilteringStoreTest, ImportingTheSameSourceAgainReplacesIt) {
  stores().filtering.importFilterLists({{record("gambling", "club"), "a.example\n"}},
                                       change(nextVersion(), "filter_list.import"));
  const auto ids = stores().filtering.importFilterLists(
      {{record("gambling", "club"), "b.example\n"}}, change(nextVersion(), "filter_list.import"));
  const auto lists = stores().filtering.listFilterLists();
  ASSERT_EQ(lists.size(), 1u);
  EXPECT_EQ(stores().filtering.filterListText(ids[0]), "b.example\n");
}

TEST_F(FilteringStoreTest, AChangeWithAStaleVersionChangesNothing) {
  const auto before = stores().filtering.currentPolicy();
  EXPECT_THROW(stores().filtering.importFilterLists({{record("gambling", "club"), "a.example\n"}},
                                                    change(before.version, "filter_list.import")),
               std::runtime_error);
  EXPECT_TRUE(stores().filtering.listFilterLists().empty());
  EXPECT_TRUE(stores().audit.listAudit(10).empty());
  EXPECT_EQ(stores().filtering.currentPolicy().body, before.body);
}

TEST_F(FilteringStoreTest, ProfilesAreSavedReplacedAndDeleted) {
  auto profiles = stores().filtering.listFilterProfiles();
  auto club = profiles[0];
  club.id = "evening";
  club.name = "Evening club";
  club.ageBands = {"evening"};
  club.allow = {"bbc.co.uk"};
  club.block = {"example.org"};
  club.schedule = {{.days = 0b11111, .fromMinute = 16 * 60, .toMinute = 21 * 60}};
  stores().filtering.saveFilterProfile(club, change(nextVersion(), "profile.create"));
  EXPECT_EQ(stores().filtering.listFilterProfiles().back(), club);

  club.name = "Evening club (renamed)";
  club.safeSearch = common::SafeSearchLevel::Moderate;
  stores().filtering.saveFilterProfile(club, change(nextVersion(), "profile.update"));
  profiles = stores().filtering.listFilterProfiles();
  EXPECT_EQ(profiles.size(), 5u);
  EXPECT_EQ(profiles.back(), club);

  EXPECT_TRUE(
      stores().filtering.deleteFilterProfile("evening", change(nextVersion(), "profile.delete")));
  EXPECT_FALSE(
      stores().filtering.deleteFilterProfile("evening", change(nextVersion(), "profile.delete")));
  EXPECT_EQ(stores().filtering.listFilterProfiles().size(), 4u);
}

TEST_F(FilteringStoreTest, TheDatabaseRefusesToDeleteTheDefaultProfile) {
  const auto version = stores().filtering.currentPolicy().version;
  EXPECT_THROW(
      stores().filtering.deleteFilterProfile("juniors", change(version + 1, "profile.delete")),
      std::runtime_error);
  EXPECT_EQ(stores().filtering.listFilterProfiles().size(), 4u);
  EXPECT_EQ(stores().filtering.currentPolicy().version, version);

  stores().filtering.setDefaultFilterProfile("staff",
                                             change(version + 1, "policy.default_profile"));
  EXPECT_EQ(stores().filtering.defaultFilterProfile(), "staff");
  EXPECT_TRUE(
      stores().filtering.deleteFilterProfile("juniors", change(version + 2, "profile.delete")));
}

TEST_F(FilteringStoreTest, TheNoticeIsNoneUntilSavedThenReplacedWhole) {
  EXPECT_FALSE(stores().filtering.noticeText().has_value());
  common::NoticeText notice{.clubName = "Westgate \"Youth\" Project",
                            .paragraphs = {"First, with “quotes”.", "Second."},
                            .policyUrl = "https://westgate.example/policy",
                            .version = "ignored: computed"};
  stores().filtering.saveNoticeText(notice, change(nextVersion(), "notice.update"));
  auto stored = stores().filtering.noticeText();
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->clubName, notice.clubName);
  EXPECT_EQ(stored->paragraphs, notice.paragraphs);
  EXPECT_EQ(stored->policyUrl, notice.policyUrl);
  EXPECT_EQ(stored->version, common::noticeVersion(notice));
  EXPECT_EQ(stores().audit.listAudit(1).at(0).action, "notice.update");

  notice.paragraphs = {"Only one now."};
  notice.policyUrl.clear();
  stores().filtering.saveNoticeText(notice, change(nextVersion(), "notice.update"));
  stored = stores().filtering.noticeText();
  EXPECT_EQ(stored->paragraphs, notice.paragraphs);
  EXPECT_EQ(stored->policyUrl, "");

  const auto before = stores().filtering.currentPolicy();
  notice.clubName = "Stale";
  EXPECT_THROW(stores().filtering.saveNoticeText(notice, change(before.version, "notice.update")),
               std::runtime_error);
  EXPECT_NE(stores().filtering.noticeText()->clubName, "Stale");
  EXPECT_EQ(stores().filtering.currentPolicy().version, before.version);
}

TEST_F(FilteringStoreTest, WorkersAreAddedInOrderWithNamesUniqueWhateverTheirCase) {
  EXPECT_TRUE(stores().filtering.listWorkers().empty());
  const WorkerRecord sam{.id = 0,
                         .name = "Sam",
                         .pinHash = "scrypt$hash-of-sam",
                         .createdAt = kNow,
                         .createdBy = "alice"};
  const auto samId = stores().filtering.addWorker(sam, change(nextVersion(), "worker.add"));
  auto alex = sam;
  alex.name = "Alex";
  const auto alexId = stores().filtering.addWorker(alex, change(nextVersion(), "worker.add"));
  auto workers = stores().filtering.listWorkers();
  ASSERT_EQ(workers.size(), 2u);
  EXPECT_EQ(workers[0].id, samId);
  EXPECT_EQ(workers[0].name, "Sam");
  EXPECT_EQ(workers[0].pinHash, "scrypt$hash-of-sam");
  EXPECT_EQ(workers[0].createdAt, kNow);
  EXPECT_EQ(workers[0].createdBy, "alice");
  EXPECT_EQ(workers[1].id, alexId);

  const auto version = stores().filtering.currentPolicy().version;
  auto again = sam;
  again.name = "SAM";
  EXPECT_THROW((void)stores().filtering.addWorker(again, change(version + 1, "worker.add")),
               std::runtime_error);
  EXPECT_EQ(stores().filtering.listWorkers().size(), 2u);
  EXPECT_EQ(stores().filtering.currentPolicy().version, version)
      << "the refused name published nothing";

  EXPECT_TRUE(stores().filtering.deleteWorker(samId, change(version + 1, "worker.delete")));
  EXPECT_FALSE(stores().filtering.deleteWorker(samId, change(version + 2, "worker.delete")));
  workers = stores().filtering.listWorkers();
  ASSERT_EQ(workers.size(), 1u);
  EXPECT_EQ(workers[0].name, "Alex");
  EXPECT_EQ(stores().filtering.currentPolicy().version, version + 1);
}

}  // namespace
}  // namespace clubsafe::collector
