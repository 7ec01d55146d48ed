#include "agent/selftest/filter_self_test.hpp"

#include "agent/dns/index_filter.hpp"
#include "agent/dns/list_filter.hpp"
#include "agent/sources/source_scheduler.hpp"
#include "common/batch_codec.hpp"
#include "common/domain_index/domain_index_builder.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/agent/dns/fake_upstream.hpp"

#include <gtest/gtest.h>

namespace clubsafe::agent::selftest {
namespace {

namespace di = common::domain_index;
using namespace std::chrono_literals;
using dns::testing::FakeUpstream;
using dns::testing::loopback;
using Failures = std::vector<std::string>;

// Blocks the names the index lists in one of `blocked`: the index part of the agent's filter,
// which is what the self-test must catch being wrong.
class CategoryFilter final : public dns::FilterDecision {
 public:
  CategoryFilter(std::shared_ptr<const di::DomainIndex> index,
                 const std::vector<std::string>& blocked)
      : index_(std::move(index)) {
    for (const auto& name : blocked) blocked_.set(*index_->findCategory(name));
  }
  [[nodiscard]] dns::Verdict decide(std::string_view name, std::uint16_t) const noexcept override {
    const auto hit = index_->lookup(name).categories & blocked_;
    if (hit.none()) return dns::Verdict::allow();
    return dns::Verdict::block(static_cast<std::uint16_t>(hit._Find_first()));
  }

 private:
  std::shared_ptr<const di::DomainIndex> index_;
  di::CategorySet blocked_;
};

class FilterSelfTestTest : public ::testing::Test {
 protected:
  FilterSelfTestTest() {
    di::DomainIndexBuilder builder;
    builder.addBlocked("casino.test", builder.addCategory("gambling"));
    builder.addBlocked("virus.test", builder.addCategory("malware"));
    (void)builder.write(dir_.file("domains.index"));
    index_ = di::DomainIndex::open(dir_.file("domains.index"));
  }

  // The real proxy on 127.0.0.1 in front of `filter`, forwarding to the stand-in upstream.
  std::unique_ptr<dns::DnsProxy> proxy(const dns::FilterDecision& filter,
                                       dns::BlockAnswer blockAnswer = dns::BlockAnswer::Address) {
    dns::DnsProxyOptions options;
    options.listen = loopback(0);
    options.upstreams = {upstream_.endpoint()};
    options.workers = 2;
    options.blockAnswer = blockAnswer;
    options.blockAddresses.v4 = {10, 9, 8, 7};
    return std::make_unique<dns::DnsProxy>(std::move(options), filter);
  }

  // What the agent promises: gambling and malware blocked with 10.9.8.7, strict safe search.
  FilterExpectations expectations() const {
    FilterExpectations expected;
    expected.blockAddresses.v4 = {10, 9, 8, 7};
    expected.blockedCategories = {"gambling", "malware"};
    expected.testNames = {{"gambling", "casino.test"}, {"malware", "virus.test"}};
    expected.safeSearch = dns::SafeSearchLevel::Strict;
    expected.index = index_;
    return expected;
  }

  static SelfTestResult runAgainst(const dns::DnsProxy& proxy, const FilterExpectations& expected) {
    return FilterSelfTest(loopback(proxy.port()), 1000ms).run(expected);
  }

  clubsafe::testing::TempDir dir_;
  std::shared_ptr<const di::DomainIndex> index_;
  FakeUpstream upstream_;
  const dns::ListFilter canaries_{dns::canaryRules()};
};

TEST_F(FilterSelfTestTest, PassesAgainstAFilterThatDoesWhatItPromises) {
  const CategoryFilter categories(index_, {"gambling", "malware"});
  const dns::SafeSearchFilter safeSearch(dns::SafeSearchLevel::Strict);
  const dns::FilterChain filter({&canaries_, &categories, &safeSearch});
  const auto running = proxy(filter);
  const auto result = runAgainst(*running, expectations());
  EXPECT_TRUE(result.passed());
  EXPECT_EQ(result.failures, Failures());

  // NXDOMAIN as the block answer, and moderate safe search (YouTube's other host).
  const dns::SafeSearchFilter moderate(dns::SafeSearchLevel::Moderate);
  const dns::FilterChain moderateFilter({&canaries_, &categories, &moderate});
  const auto nxdomain = proxy(moderateFilter, dns::BlockAnswer::NxDomain);
  auto expected = expectations();
  expected.blockAnswer = dns::BlockAnswer::NxDomain;
  expected.safeSearch = dns::SafeSearchLevel::Moderate;
  EXPECT_EQ(runAgainst(*nxdomain, expected).failures, Failures());
}

TEST_F(FilterSelfTestTest, ABrokenFilterIsReportedCheckByCheck) {
  // Malware left out, safe search off and no canaries: three promises broken.
  const CategoryFilter categories(index_, {"gambling"});
  const dns::FilterChain filter({&categories});
  const auto running = proxy(filter);
  const auto result = runAgainst(*running, expectations());
  EXPECT_FALSE(result.passed());
  EXPECT_EQ(result.failures, (Failures{"malware: virus.test was not blocked",
                          "safe search: www.google.com was not rewritten to "
                          "forcesafesearch.google.com",
                          "safe search: www.youtube.com was not rewritten to restrict.youtube.com",
                          "use-application-dns.net did not get NXDOMAIN, so Firefox may turn on "
                          "its own DNS"}));

  // The block answer the agent promises is not the one the filter gives.
  const CategoryFilter all(index_, {"gambling", "malware"});
  const dns::SafeSearchFilter safeSearch(dns::SafeSearchLevel::Strict);
  const dns::FilterChain rightRules({&canaries_, &all, &safeSearch});
  const auto nxdomain = proxy(rightRules, dns::BlockAnswer::NxDomain);
  EXPECT_EQ(runAgainst(*nxdomain, expectations()).failures,
            (Failures{"gambling: casino.test was not blocked",
                      "malware: virus.test was not blocked"}));
}

TEST_F(FilterSelfTestTest, ACategoryWithoutAUsableTestNameIsAFailureNotASilentPass) {
  const CategoryFilter categories(index_, {"gambling", "malware"});
  const dns::FilterChain filter({&canaries_, &categories});
  const auto running = proxy(filter);
  auto expected = expectations();
  expected.safeSearch = dns::SafeSearchLevel::Off;
  expected.blockedCategories = {"gambling", "malware", "adult"};
  expected.testNames = {{"gambling", "virus.test"}};
  EXPECT_EQ(runAgainst(*running, expected).failures,
            (Failures{"gambling: the test name virus.test is not in this category of the "
                      "domain index in force",
                      "malware: no test name to check it with",
                      "adult: the domain index in force has no such category"}));
  expected.index = nullptr;
  expected.blockedCategories = {"gambling"};
  EXPECT_EQ(runAgainst(*running, expected).failures,
            (Failures{"gambling: no domain index is loaded, so it blocks nothing"}));
}

TEST_F(FilterSelfTestTest, NoFilterListeningMeansNoAnswerInTime) {
  const auto closedPort = dns::testing::portOf(dns::testing::udpSocketOnLoopback());
  auto expected = expectations();
  expected.blockedCategories = {"gambling"};
  expected.safeSearch = dns::SafeSearchLevel::Off;
  const auto started = std::chrono::steady_clock::now();
  const auto result = FilterSelfTest(loopback(closedPort), 300ms).run(expected);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  EXPECT_EQ(result.failures, (Failures{"casino.test: no answer from the DNS filter within 0.3 s",
                          "use-application-dns.net: no answer from the DNS filter within 0.3 s"}));
}

TEST_F(FilterSelfTestTest, TheSourceRecordsOneValidEventWithTheResult) {
  const CategoryFilter categories(index_, {"gambling"});
  const dns::FilterChain filter({&canaries_, &categories});
  const auto running = proxy(filter);
  auto expected = expectations();
  expected.safeSearch = dns::SafeSearchLevel::Off;
  clubsafe::testing::TempDir dir;
  outbox::Outbox outbox(dir.file("outbox.db"), outbox::Outbox::Access::ReadWrite);
  sources::SourceScheduler scheduler(outbox);
  SelfTestSource source(FilterSelfTest(loopback(running->port()), 1000ms),
                        [&] { return expected; }, 1h);
  EXPECT_EQ(source.interval(), 1h);
  scheduler.pollAndSave(source);
  expected.blockedCategories = {"gambling"};
  scheduler.pollAndSave(source);

  const auto waiting = outbox.nextBatch(10);
  ASSERT_EQ(waiting.size(), 2u);
  const auto failed = common::decodeEvent(waiting[0].encoded);
  EXPECT_EQ(failed.type, common::EventType::FilterSelfTest);
  EXPECT_FALSE(failed.payload->getValue<bool>("passed"));
  const auto failures = failed.payload->getArray("failures");
  ASSERT_EQ(failures->size(), 1u);
  EXPECT_EQ(failures->getElement<std::string>(0), "malware: virus.test was not blocked");
  const auto passed = common::decodeEvent(waiting[1].encoded);
  EXPECT_TRUE(passed.payload->getValue<bool>("passed"));
  EXPECT_EQ(passed.payload->getArray("failures")->size(), 0u);
}

TEST(TestNamesTest, ReadsCategoryEqualsDomainAndRefusesAnythingElse) {
  const auto names = parseTestNames(" gambling=Casino.Test ,malware=virus.test");
  ASSERT_TRUE(names.has_value());
  ASSERT_EQ(names->size(), 2u);
  EXPECT_EQ((*names)[0].category, "gambling");
  EXPECT_EQ((*names)[0].name, "casino.test");
  EXPECT_EQ((*names)[1].name, "virus.test");
  EXPECT_TRUE(parseTestNames("")->empty());
  EXPECT_FALSE(parseTestNames("casino.test").has_value());
  EXPECT_FALSE(parseTestNames("=casino.test").has_value());
  EXPECT_FALSE(parseTestNames("gambling=").has_value());
  EXPECT_FALSE(parseTestNames("gambling=bad..name").has_value());
}

}  // namespace
}  // namespace clubsafe::agent::selftest
