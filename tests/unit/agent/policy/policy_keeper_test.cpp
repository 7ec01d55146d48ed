#include "agent/policy/policy_keeper.hpp"

#include "agent/policy/policy_files.hpp"
#include "common/crypto.hpp"
#include "common/domain_index/domain_index_builder.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/agent/https_test_server.hpp"
#include "tests/unit/common/cheap_password_hash.hpp"

#include <Poco/Net/SSLManager.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace clubsafe::agent::policy {
namespace {

namespace di = common::domain_index;
using Outcome = PolicyKeeper::Outcome;
using Action = dns::Verdict::Action;

constexpr const char* kPolicy = "/api/device/v1/policy";
constexpr const char* kIndex = "/api/device/v1/index";

class NoonClock final : public dns::LocalClock {
 public:
  [[nodiscard]] dns::LocalTime now() const noexcept override { return {0, 12 * 60}; }
};

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class PolicyKeeperTest : public ::testing::Test {
 protected:
  PolicyKeeperTest() { Poco::Net::initializeSSL(); }
  ~PolicyKeeperTest() override { Poco::Net::uninitializeSSL(); }

  // An index with gambling and malware names, as the collector would serve it.
  std::string indexBytes(const std::string& gamblingName) {
    di::DomainIndexBuilder builder;
    builder.addBlocked(gamblingName, builder.addCategory("gambling"));
    builder.addBlocked("virus.test", builder.addCategory("malware"));
    const auto path = work_.file("built.index");
    (void)builder.write(path);
    return readAll(path);
  }

  // A policy document of one profile blocking gambling and `blocked` by its block list.
  static std::string policyJson(std::int64_t version, const std::string& index,
                                const std::string& blocked = "blocked.test") {
    common::Policy policy;
    policy.version = version;
    if (!index.empty())
      policy.index = common::PolicyIndex{common::sha256Hex(index), index.size(), {}};
    common::Profile profile;
    profile.id = "juniors";
    profile.name = "Juniors";
    profile.blockedCategories = {"gambling"};
    profile.block = {blocked};
    policy.defaultProfile = profile.id;
    policy.profiles = {profile};
    return common::serialisePolicy(policy);
  }

  void publish(std::int64_t version, const std::string& index,
               const std::string& blocked = "blocked.test") {
    server_.answer(kPolicy, {200, policyJson(version, index, blocked),
                             "\"v" + std::to_string(version) + "\""});
    if (!index.empty()) {
      server_.answer(kIndex, {200, index, "\"" + common::sha256Hex(index) + "\""});
    }
  }

  PolicyKeeper& keeper(bool withClient = true) {
    PolicyKeeperOptions options;
    options.stateDir = state_.path();
    options.backoffInitial = std::chrono::milliseconds(10);
    options.backoffMax = std::chrono::milliseconds(20);
    options.builtIn = dns::builtInPolicy({"malware"}, dns::SafeSearchLevel::Strict);
    options.onPolicy = [this](const common::Policy& policy) {
      seen_.push_back({policy.version, policy.workers});
    };
    keeper_.reset();
    client_ = std::make_unique<client::CollectorClient>(
        url_.empty() ? server_.url() : url_, common::ServerTrust{"", server_.fingerprint()},
        std::chrono::seconds(5));
    keeper_ = std::make_unique<PolicyKeeper>(options, active_, withClient ? client_.get() : nullptr,
                                             "dev_1.secret");
    return *keeper_;
  }

  Action verdict(std::string_view name) const { return filter_.decide(name, 1).action; }

  clubsafe::testing::TempDir state_;
  clubsafe::testing::TempDir work_;
  testing::HttpsTestServer server_;
  std::string url_;
  NoonClock clock_;
  dns::ProfileFilter filter_{clock_, ""};
  ActiveProfile active_{filter_};
  std::unique_ptr<client::CollectorClient> client_;
  std::unique_ptr<PolicyKeeper> keeper_;
  // What onPolicy was given: each version and its workers.
  std::vector<std::pair<std::int64_t, std::vector<common::Worker>>> seen_;
};

TEST_F(PolicyKeeperTest, BeforeAnyPolicyTheBuiltInProfileApplies) {
  auto& keeper = this->keeper();
  EXPECT_FALSE(keeper.start());
  EXPECT_EQ(active_.current().profileId, dns::kBuiltInProfileId);
  EXPECT_EQ(active_.current().policyVersion, 0);
  EXPECT_EQ(verdict("www.bing.com"), Action::Rewrite);
  keeper.setBuiltInIndex(di::DomainIndex::fromBytes(indexBytes("casino.test")));
  EXPECT_EQ(verdict("virus.test"), Action::Block);
  EXPECT_EQ(verdict("casino.test"), Action::Allow);

  // Today's collector answers a document without "format": no policy yet.
  server_.answer(kPolicy, {200, R"({"policy_version":1})", "\"v1\""});
  EXPECT_EQ(keeper.refresh(), Outcome::NoPolicyYet);
  EXPECT_EQ(keeper.refresh(), Outcome::Unchanged);  // asked with If-None-Match
  EXPECT_EQ(server_.received().back().ifNoneMatch, "\"v1\"");
  EXPECT_EQ(server_.received().back().authorization, "Bearer dev_1.secret");
  EXPECT_EQ(verdict("virus.test"), Action::Block);
  EXPECT_FALSE(std::filesystem::exists(policyPath(state_.path())));
}

TEST_F(PolicyKeeperTest, FetchesThePolicyAndItsIndexCachesBothAndAsksWithTheETag) {
  auto& keeper = this->keeper();
  (void)keeper.start();
  const auto index = indexBytes("casino.test");
  publish(7, index);
  EXPECT_EQ(keeper.refresh(), Outcome::Applied);
  EXPECT_EQ(active_.current().policyVersion, 7);
  EXPECT_EQ(active_.current().profileId, "juniors");
  EXPECT_EQ(verdict("casino.test"), Action::Block);
  EXPECT_EQ(verdict("blocked.test"), Action::Block);
  EXPECT_EQ(verdict("virus.test"), Action::Allow);  // malware was the built-in's only
  EXPECT_EQ(readAll(indexPath(state_.path())), index);
  EXPECT_EQ(readAll(policyPath(state_.path())), policyJson(7, index));
  EXPECT_FALSE(std::filesystem::exists(indexPath(state_.path()) + ".download"));

  const auto requests = server_.received().size();
  EXPECT_EQ(keeper.refresh(), Outcome::Unchanged);
  EXPECT_EQ(server_.received().size(), requests + 1);  // the policy only, answered 304
  EXPECT_EQ(server_.received().back().ifNoneMatch, "\"v7\"");

  // A new version with the same index: no new download.
  publish(8, index, "other.test");
  EXPECT_EQ(keeper.refresh(), Outcome::Applied);
  EXPECT_EQ(server_.received().back().path, kPolicy);
  EXPECT_EQ(verdict("other.test"), Action::Block);
  EXPECT_EQ(verdict("blocked.test"), Action::Allow);

  // A new index.
  const auto next = indexBytes("poker.test");
  publish(9, next);
  EXPECT_EQ(keeper.refresh(), Outcome::Applied);
  EXPECT_EQ(server_.received().back().path, kIndex);
  EXPECT_EQ(verdict("poker.test"), Action::Block);
  EXPECT_EQ(verdict("casino.test"), Action::Allow);
  EXPECT_EQ(readAll(indexPath(state_.path())), next);
}

TEST_F(PolicyKeeperTest, TheCacheIsEnforcedOnStartWithoutTheNetwork) {
  const auto index = indexBytes("casino.test");
  publish(5, index);
  EXPECT_EQ(keeper().refresh(), Outcome::Applied);

  auto& offline = keeper(false);
  active_.signOut();
  EXPECT_TRUE(offline.start());
  EXPECT_EQ(active_.current().policyVersion, 5);
  EXPECT_EQ(verdict("casino.test"), Action::Block);
  EXPECT_EQ(verdict("blocked.test"), Action::Block);
  // The built-in index does not displace a policy.
  offline.setBuiltInIndex(di::DomainIndex::fromBytes(indexBytes("other.test")));
  EXPECT_EQ(verdict("casino.test"), Action::Block);
  EXPECT_EQ(verdict("virus.test"), Action::Allow);
}

TEST_F(PolicyKeeperTest, EachPolicyPutInForceIsHandedOnWithItsWorkers) {
  auto& keeper = this->keeper();
  (void)keeper.start();
  auto policy = common::parsePolicy(policyJson(4, ""));
  policy.workers = {{"Sam", clubsafe::testing::cheapPasswordHash("123456")}};
  server_.answer(kPolicy, {200, common::serialisePolicy(policy), "\"v4\""});
  EXPECT_EQ(keeper.refresh(), Outcome::Applied);
  EXPECT_EQ(keeper.refresh(), Outcome::Unchanged);
  EXPECT_TRUE(this->keeper(false).start());  // a restart, from the cache
  const decltype(seen_) expected{{0, {}}, {4, policy.workers}, {4, policy.workers}};
  EXPECT_EQ(seen_, expected);
}

TEST_F(PolicyKeeperTest, ABrokenCachedPolicyLeavesTheBuiltInProfile) {
  std::ofstream(policyPath(state_.path())) << R"({"format": 1, "policy_version": 0})";
  EXPECT_FALSE(keeper(false).start());
  EXPECT_EQ(active_.current().profileId, dns::kBuiltInProfileId);
}

TEST_F(PolicyKeeperTest, ABrokenPolicyIsKeptOutAndNotAskedForAgain) {
  auto& keeper = this->keeper();
  (void)keeper.start();
  publish(3, "");
  EXPECT_EQ(keeper.refresh(), Outcome::Applied);
  const auto cached = readAll(policyPath(state_.path()));

  auto broken = policyJson(4, "");
  broken.replace(broken.find("\"juniors\""), 9, "\"Juniors!\"");
  server_.answer(kPolicy, {200, broken, "\"v4\""});
  EXPECT_EQ(keeper.refresh(), Outcome::Refused);
  EXPECT_EQ(active_.current().policyVersion, 3);
  EXPECT_EQ(verdict("blocked.test"), Action::Block);
  EXPECT_EQ(readAll(policyPath(state_.path())), cached);
  EXPECT_EQ(keeper.refresh(), Outcome::Unchanged);  // 304 for the same broken document

  server_.answer(kPolicy, {200, R"({"format": 2})", "\"v5\""});
  EXPECT_EQ(keeper.refresh(), Outcome::Refused);
  EXPECT_EQ(active_.current().policyVersion, 3);
}

TEST_F(PolicyKeeperTest, AnIndexThatDoesNotMatchItsPolicyIsRefusedWithThePolicy) {
  auto& keeper = this->keeper();
  (void)keeper.start();
  const auto index = indexBytes("casino.test");
  publish(2, index);
  EXPECT_EQ(keeper.refresh(), Outcome::Applied);

  const auto next = indexBytes("poker.test");
  server_.answer(kPolicy, {200, policyJson(3, next), "\"v3\""});
  auto corrupt = next;
  corrupt[corrupt.size() / 2] ^= 0x01;
  server_.answer(kIndex, {200, corrupt, "\"x\""});
  EXPECT_EQ(keeper.refresh(), Outcome::Refused);
  server_.answer(kIndex, {200, next + "more", "\"x\""});
  EXPECT_EQ(keeper.refresh(), Outcome::Refused);
  server_.answer(kIndex, {404, R"({"error": "no lists"})", ""});
  EXPECT_EQ(keeper.refresh(), Outcome::Unreachable);
  EXPECT_EQ(active_.current().policyVersion, 2);
  EXPECT_EQ(verdict("casino.test"), Action::Block);
  EXPECT_EQ(readAll(indexPath(state_.path())), index);
  EXPECT_FALSE(std::filesystem::exists(indexPath(state_.path()) + ".download"));

  server_.answer(kIndex, {200, next, "\"x\""});
  EXPECT_EQ(keeper.refresh(), Outcome::Applied);
  EXPECT_EQ(verdict("poker.test"), Action::Block);
}

TEST_F(PolicyKeeperTest, AnUnreachableCollectorChangesNothingAndRunBacksOff) {
  url_ = "https://127.0.0.1:1";  // nothing listens there
  auto& keeper = this->keeper();
  (void)keeper.start();
  EXPECT_EQ(keeper.refresh(), Outcome::Unreachable);
  EXPECT_EQ(active_.current().profileId, dns::kBuiltInProfileId);
  std::thread runner([&] { keeper.run(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  keeper.stop();
  runner.join();  // returns promptly: the waits are short back-offs, not the refresh interval
  EXPECT_EQ(verdict("www.bing.com"), Action::Rewrite);

  server_.answer(kPolicy, {500, R"({"error": "storage"})", ""});
  url_.clear();
  EXPECT_EQ(this->keeper().refresh(), Outcome::Unreachable);
}

}  // namespace
}  // namespace clubsafe::agent::policy
