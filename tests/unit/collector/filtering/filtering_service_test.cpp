// The collector's filtering: real SQLite, real lists, real index files in temporary folders.
#include "collector/filtering/filtering_service.hpp"

#include "collector/filtering/index_compiler.hpp"
#include "common/domain_index/domain_index.hpp"
#include "tests/unit/collector/test_storage.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

namespace clubsafe::collector {
namespace {

namespace di = common::domain_index;

const std::filesystem::path kUt1 = std::filesystem::path(CLUBSAFE_BLOCKLISTS_DIR) / "ut1";
const ChangeAuthor kAlice{"alice", "the trustees asked for it"};

class FilteringServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { service_.prepare(); }

  const Stores& stores() { return store_.stores; }
  common::Policy policy() { return common::parsePolicy(stores().filtering.currentPolicy().body); }

  std::vector<std::filesystem::path> indexFiles() const {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder_)) {
      files.push_back(entry.path());
    }
    return files;
  }

  // The index the current policy names, checked against its SHA-256 and size.
  std::shared_ptr<const di::DomainIndex> currentIndex() {
    const auto current = policy();
    EXPECT_TRUE(current.index.has_value());
    if (!current.index) return nullptr;
    const auto path = indexFilePath(folder_, current.index->sha256);
    EXPECT_EQ(fileSha256(path), current.index->sha256);
    EXPECT_EQ(std::filesystem::file_size(path), current.index->bytes);
    return di::DomainIndex::open(path.string());
  }

  bool blockedAs(const std::string& name, const std::string& category) {
    const auto index = currentIndex();
    const auto id = index->findCategory(category);
    return id && index->lookup(name).categories.test(*id);
  }

  testing::TestStorage store_;
  std::filesystem::path folder_ = store_.directory.path() / "state" / "index";
  FilteringService service_{stores().filtering, folder_};
};

TEST_F(FilteringServiceTest, TheFirstStartPublishesTheSeededProfilesWithNoIndex) {
  const auto published = policy();
  EXPECT_EQ(published.version, 2);
  EXPECT_FALSE(published.index.has_value());
  EXPECT_EQ(published.defaultProfile, "juniors");
  EXPECT_EQ(published.profiles.size(), 4u);
  EXPECT_EQ(stores().audit.listAudit(1).at(0).actor, "system");

  service_.prepare();
  EXPECT_EQ(stores().filtering.currentPolicy().version, 2) << "nothing changed, nothing published";
}

TEST_F(FilteringServiceTest, AnImportCompilesAnIndexThePolicyNamesAndReportsBadLines) {
  const auto imported = service_.importLists(
      {{.category = "gambling",
        .source = "club-extra",
        .format = "hosts",
        .text = "# a comment\n0.0.0.0 casino.example\n0.0.0.0 Poker.Example.\n127.0.0.1 bad..name\n"
                "no-address-here\n"},
       {.category = "malware",
        .source = "adblock",
        .format = "adblock",
        .text = "||evil.example^\n||tracker.example^$third-party\n@@||casino.example^\n"}},
      kAlice);
  ASSERT_EQ(imported.size(), 2u);
  EXPECT_EQ(imported[0].names, 2);
  EXPECT_EQ(imported[0].ignored, 1);
  std::int64_t bad = 0;
  for (const auto& [reason, count] : imported[0].bad) bad += count;
  EXPECT_EQ(bad, 2);
  EXPECT_EQ(imported[1].names, 1);
  EXPECT_EQ(imported[1].unsupported, 2) << "an option rule and an allow rule";
  EXPECT_GT(imported[0].id, 0);

  EXPECT_EQ(policy().version, 3);
  // The malware list's allow rule does not unblock another category.
  EXPECT_TRUE(blockedAs("www.casino.example", "gambling"));
  EXPECT_TRUE(blockedAs("poker.example", "gambling"));
  EXPECT_TRUE(blockedAs("evil.example", "malware"));
  EXPECT_FALSE(currentIndex()->lookup("tracker.example").blocked());
  EXPECT_EQ(indexFiles().size(), 1u);

  const auto audit = stores().audit.listAudit(1).at(0);
  EXPECT_EQ(audit.actor, "alice");
  EXPECT_EQ(audit.action, "filter_list.import");
  EXPECT_EQ(audit.reason, kAlice.reason);
  EXPECT_NE(audit.detail.find("gambling/club-extra"), std::string::npos) << audit.detail;
}

TEST_F(FilteringServiceTest, RefusedImportsChangeNothing) {
  const auto before = stores().filtering.currentPolicy();
  const auto refused = [&](std::vector<ListImport> lists, const ChangeAuthor& author) {
    EXPECT_THROW(service_.importLists(lists, author), FilteringError);
  };
  refused({{"gambling", "club", "plain", "1.2.3.4\nhttp://x.example/path\n"}}, kAlice);
  refused({{"gambling", "club", "plain", "ok.example\n"}}, {"alice", "   "});
  refused({{"Gambling!", "club", "plain", "ok.example\n"}}, kAlice);
  refused({{"gambling", "", "plain", "ok.example\n"}}, kAlice);
  refused({{"gambling", "club", "csv", "ok.example\n"}}, kAlice);
  refused(
      {{"gambling", "club", "plain", "a.example\n"}, {"gambling", "club", "plain", "b.example\n"}},
      kAlice);
  EXPECT_EQ(stores().filtering.currentPolicy().version, before.version);
  EXPECT_TRUE(stores().filtering.listFilterLists().empty());
  EXPECT_TRUE(indexFiles().empty());
  try {
    service_.importLists({{"gambling", "club", "plain", "1.2.3.4\n"}}, kAlice);
    ADD_FAILURE() << "a list of no names was accepted";
  } catch (const FilteringError& error) {
    EXPECT_NE(std::string(error.what()).find("no domain name"), std::string::npos) << error.what();
  }
}

TEST_F(FilteringServiceTest, ReplacingAndDeletingListsRecompilesAndRemovesOldFiles) {
  service_.importLists({{"gambling", "club", "plain", "casino.example\n"}}, kAlice);
  service_.importLists({{"gambling", "club", "plain", "poker.example\n"}}, kAlice);
  EXPECT_FALSE(blockedAs("casino.example", "gambling"));
  EXPECT_TRUE(blockedAs("poker.example", "gambling"));
  EXPECT_EQ(indexFiles().size(), 1u);

  service_.importLists({{"vpn", "club", "plain", "tunnel.example\n"}}, kAlice);
  const auto lists = stores().filtering.listFilterLists();
  ASSERT_EQ(lists.size(), 2u);
  service_.deleteList(lists[0].id, kAlice);  // gambling (sorted by category)
  EXPECT_FALSE(blockedAs("poker.example", "gambling"));
  EXPECT_TRUE(blockedAs("tunnel.example", "vpn"));

  const auto version = stores().filtering.currentPolicy().version;
  EXPECT_THROW(service_.deleteList(lists[1].id, {"alice", ""}), FilteringError);
  EXPECT_THROW(service_.deleteList(9999, kAlice), FilteringError);
  EXPECT_EQ(stores().filtering.currentPolicy().version, version);

  service_.deleteList(lists[1].id, kAlice);
  EXPECT_FALSE(policy().index.has_value());
  EXPECT_TRUE(indexFiles().empty());
  EXPECT_EQ(stores().audit.listAudit(1).at(0).action, "filter_list.delete");
}

TEST_F(FilteringServiceTest, AMissingIndexFileIsCompiledAgainOnStart) {
  service_.importLists({{"gambling", "club", "plain", "casino.example\n"}}, kAlice);
  const auto before = policy();
  std::filesystem::remove(indexFilePath(folder_, before.index->sha256));
  std::ofstream(folder_ / "compiling-left-behind") << "half a file";

  FilteringService restarted(stores().filtering, folder_);
  restarted.prepare();
  const auto after = policy();
  EXPECT_EQ(after.version, before.version + 1);
  EXPECT_TRUE(blockedAs("casino.example", "gambling"));
  EXPECT_EQ(indexFiles().size(), 1u);
  const auto audit = stores().audit.listAudit(1).at(0);
  EXPECT_EQ(audit.actor, "system");
  EXPECT_NE(audit.reason.find("missing or damaged"), std::string::npos) << audit.reason;
}

TEST_F(FilteringServiceTest, ADamagedIndexFileIsCompiledAgainOnStart) {
  service_.importLists({{"gambling", "club", "plain", "casino.example\n"}}, kAlice);
  const auto before = policy();
  std::ofstream(indexFilePath(folder_, before.index->sha256), std::ios::app) << "junk";
  FilteringService restarted(stores().filtering, folder_);
  restarted.prepare();
  EXPECT_NE(policy().index->sha256, before.index->sha256);
  EXPECT_TRUE(blockedAs("casino.example", "gambling"));
}

TEST_F(FilteringServiceTest, ProfilesAreCreatedUpdatedAndDeletedWithinThePolicyRules) {
  auto evening = policy().profiles[0];
  evening.id = "evening";
  evening.name = "Evening club";
  evening.ageBands = {"evening"};
  service_.createProfile(evening, kAlice);
  EXPECT_NE(policy().findProfile("evening"), nullptr);
  EXPECT_THROW(service_.createProfile(evening, kAlice), FilteringError);

  evening.allow = {"bbc.co.uk"};
  service_.updateProfile(evening, kAlice);
  EXPECT_EQ(policy().findProfile("evening")->allow, std::vector<std::string>{"bbc.co.uk"});

  const auto version = stores().filtering.currentPolicy().version;
  auto clash = evening;
  clash.ageBands = {"8-12"};  // already the juniors' band
  try {
    service_.updateProfile(clash, kAlice);
    ADD_FAILURE() << "a band given to two profiles was accepted";
  } catch (const FilteringError& error) {
    EXPECT_NE(std::string(error.what()).find("age_bands"), std::string::npos) << error.what();
  }
  auto unknown = evening;
  unknown.id = "nobody";
  EXPECT_THROW(service_.updateProfile(unknown, kAlice), FilteringError);
  EXPECT_THROW(service_.deleteProfile("juniors", kAlice), FilteringError);
  EXPECT_THROW(service_.setDefaultProfile("nobody", kAlice), FilteringError);
  EXPECT_THROW(service_.updateProfile(evening, {"alice", ""}), FilteringError);
  EXPECT_EQ(stores().filtering.currentPolicy().version, version);

  service_.setDefaultProfile("evening", kAlice);
  EXPECT_EQ(policy().defaultProfile, "evening");
  service_.deleteProfile("juniors", kAlice);
  EXPECT_EQ(policy().findProfile("juniors"), nullptr);
  const auto audit = stores().audit.listAudit(2);
  EXPECT_EQ(audit[0].action, "profile.delete");
  EXPECT_EQ(audit[1].action, "policy.default_profile");
  EXPECT_EQ(audit[1].detail.rfind("was juniors", 0), 0u) << audit[1].detail;
}

TEST_F(FilteringServiceTest, ListFilesAreReadPlainOrGzipCompressed) {
  const auto plain = store_.directory.path() / "list.txt";
  std::ofstream(plain) << "casino.example\n";
  EXPECT_EQ(readListFile(plain), "casino.example\n");
  EXPECT_THROW((void)readListFile(store_.directory.path() / "missing.txt"), FilteringError);
  if (!std::filesystem::exists(kUt1)) GTEST_SKIP() << "no UT1 lists in " << kUt1;
  const auto text = readListFile(kUt1 / "gambling.domains.gz");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 32247);
}

TEST_F(FilteringServiceTest, ARealUt1CategoryIsImportedAndBlocked) {
  if (!std::filesystem::exists(kUt1)) GTEST_SKIP() << "no UT1 lists in " << kUt1;
  const auto text = readListFile(kUt1 / "gambling.domains.gz");
  const auto imported = service_.importLists({{"gambling", "ut1/gambling", "ut1", text}}, kAlice);
  // UT1's gambling list holds 32,247 lines, 14 of them IPv4 literals (not names).
  EXPECT_EQ(imported.at(0).names, 32233);
  EXPECT_EQ(imported.at(0).bad.at("IP address, not a domain name"), 14);
  const auto firstName = text.substr(0, text.find('\n'));
  EXPECT_TRUE(blockedAs(firstName, "gambling")) << firstName;
  EXPECT_TRUE(blockedAs("www." + firstName, "gambling"));
  EXPECT_FALSE(currentIndex()->lookup("bbc.co.uk").blocked());
  EXPECT_EQ(stores().filtering.filterListText(imported[0].id), text);
}

}  // namespace
}  // namespace clubsafe::collector
