// Expectations from the profile in force, checked against the real ProfileFilter behind the
// real DNS proxy on 127.0.0.1: what they promise is what the filter does.
#include "agent/selftest/expectations.hpp"

#include "agent/dns/index_filter.hpp"
#include "agent/dns/list_filter.hpp"
#include "common/domain_index/domain_index_builder.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/agent/dns/fake_upstream.hpp"

#include <gtest/gtest.h>

namespace clubsafe::agent::selftest {
namespace {

namespace di = common::domain_index;
using namespace std::chrono_literals;
using dns::testing::loopback;

class NoonClock final : public dns::LocalClock {
 public:
  [[nodiscard]] dns::LocalTime now() const noexcept override { return {0, 12 * 60}; }
};

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs pairs(const std::vector<TestName>& names) {
  Pairs result;
  for (const auto& name : names) result.emplace_back(name.category, name.name);
  return result;
}

class ExpectationsTest : public ::testing::Test {
 protected:
  ExpectationsTest() {
    di::DomainIndexBuilder builder;
    builder.addBlocked("casino.test", builder.addCategory("gambling"));
    builder.addBlocked("poker.test", builder.addCategory("gambling"));
    builder.addBlocked("chat.test", builder.addCategory("chat"));
    builder.addBlocked("virus.test", builder.addCategory("malware"));
    builder.addBlocked("illegal.test", builder.addCategory("iwf"));
    (void)builder.write(dir_.file("domains.index"));
    index_ = di::DomainIndex::open(dir_.file("domains.index"));
  }

  // One profile blocking gambling, chat and a category the index lacks, allowing chat.test,
  // with the test names a collector would publish.
  std::shared_ptr<const dns::CompiledPolicy> policy(common::SafeSearchLevel safeSearch) const {
    common::Profile profile;
    profile.id = "juniors";
    profile.name = "Juniors";
    profile.blockedCategories = {"gambling", "chat", "dating"};
    profile.allow = {"chat.test"};
    profile.safeSearch = safeSearch;
    common::Policy policy;
    policy.version = 1;
    policy.index = common::PolicyIndex{std::string(64, 'a'),
                                       1,
                                       {{"gambling", "casino.test"},
                                        {"chat", "chat.test"},
                                        {"iwf", "illegal.test"},
                                        {"malware", "virus.test"}}};
    policy.defaultProfile = profile.id;
    policy.profiles.push_back(profile);
    return dns::CompiledPolicy::compile(policy, index_);
  }

  clubsafe::testing::TempDir dir_;
  std::shared_ptr<const di::DomainIndex> index_;
  NoonClock clock_;
  dns::ProfileFilter filter_{clock_, ""};
};

TEST_F(ExpectationsTest, NothingInForceChecksOnlyTheCanary) {
  dns::BlockAddresses addresses;
  addresses.v4 = {10, 9, 8, 7};
  const auto expected = expectationsInForce(filter_, dns::BlockAnswer::NxDomain, addresses, {});
  EXPECT_EQ(expected.blockAnswer, dns::BlockAnswer::NxDomain);
  EXPECT_EQ(expected.blockAddresses.v4, addresses.v4);
  EXPECT_TRUE(expected.blockedCategories.empty());
  EXPECT_EQ(expected.safeSearch, dns::SafeSearchLevel::Off);
  EXPECT_EQ(expected.index, nullptr);
}

TEST_F(ExpectationsTest, TheProfileInForceWithThePolicysTestNamesAndTheSettingsOverrides) {
  filter_.install(policy(common::SafeSearchLevel::Moderate), "juniors");
  const auto expected = expectationsInForce(filter_, dns::BlockAnswer::Address, {}, {});
  // In index order; dating is not in the index, iwf always blocked, malware not this profile's.
  EXPECT_EQ(expected.blockedCategories, (std::vector<std::string>{"gambling", "chat", "iwf"}));
  // chat.test is on the profile's allow list, so it shows nothing about chat.
  EXPECT_EQ(pairs(expected.testNames),
            (Pairs{{"gambling", "casino.test"}, {"iwf", "illegal.test"}}));
  EXPECT_EQ(expected.safeSearch, dns::SafeSearchLevel::Moderate);
  EXPECT_EQ(expected.index, index_);

  const auto overridden = expectationsInForce(filter_, dns::BlockAnswer::Address, {},
                                              {{"gambling", "poker.test"}, {"chat", "x.test"}});
  EXPECT_EQ(pairs(overridden.testNames),
            (Pairs{{"gambling", "poker.test"}, {"chat", "x.test"}, {"iwf", "illegal.test"}}));

  // The built-in profile has no published test names: only the settings' ones.
  filter_.install(dns::CompiledPolicy::compile(
                      dns::builtInPolicy({"malware"}, common::SafeSearchLevel::Off), index_),
                  dns::kBuiltInProfileId);
  const auto builtIn =
      expectationsInForce(filter_, dns::BlockAnswer::Address, {}, {{"malware", "virus.test"}});
  EXPECT_EQ(builtIn.blockedCategories, (std::vector<std::string>{"malware", "iwf"}));
  EXPECT_EQ(pairs(builtIn.testNames), (Pairs{{"malware", "virus.test"}}));
}

TEST_F(ExpectationsTest, TheRealFilterKeepsWhatTheyPromise) {
  filter_.install(policy(common::SafeSearchLevel::Off), "juniors");
  const dns::ListFilter canaries(dns::canaryRules());
  const dns::FilterChain chain({&canaries, &filter_});
  dns::testing::FakeUpstream upstream;
  dns::DnsProxyOptions options;
  options.listen = loopback(0);
  options.upstreams = {upstream.endpoint()};
  options.workers = 2;
  options.blockAddresses.v4 = {10, 9, 8, 7};
  const dns::DnsProxy proxy(options, chain);

  const auto result =
      FilterSelfTest(loopback(proxy.port()), 1000ms)
          .run(expectationsInForce(filter_, options.blockAnswer, options.blockAddresses, {}));
  // Gambling and iwf checked and blocked; chat reported as unchecked, not passed over.
  EXPECT_EQ(result.failures, std::vector<std::string>{"chat: no test name to check it with"});

  // A wrong published name is caught: the index does not list it in gambling.
  const auto wrong =
      FilterSelfTest(loopback(proxy.port()), 1000ms)
          .run(expectationsInForce(filter_, options.blockAnswer, options.blockAddresses,
                                   {{"gambling", "virus.test"}}));
  EXPECT_EQ(wrong.failures,
            (std::vector<std::string>{
                "gambling: the test name virus.test is not in this category of the domain index "
                "in force",
                "chat: no test name to check it with"}));
}

}  // namespace
}  // namespace clubsafe::agent::selftest
