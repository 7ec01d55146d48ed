// The DNS filter against the real tools: Debian's dnsmasq as the upstream resolver and dig as
// the client, everything on 127.0.0.1. The filter runs in this process.
#include "agent/dns/dns_proxy.hpp"
#include "agent/dns/index_filter.hpp"
#include "agent/dns/list_filter.hpp"
#include "agent/dns/profile_filter.hpp"
#include "agent/dns/safe_search.hpp"
#include "agent/selftest/filter_self_test.hpp"
#include "tests/integration/dns/dns_tools.hpp"

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <unistd.h>

#include <filesystem>
#include <random>

namespace clubsafe::testing {
namespace {

using agent::dns::BlockAnswer;
using agent::dns::DnsProxy;
using agent::dns::DnsProxyOptions;
using agent::dns::Endpoint;
using agent::dns::FilterChain;
using agent::dns::ListFilter;
using agent::dns::ListRule;
using agent::dns::parseEndpoint;
using agent::dns::SafeSearchFilter;
using agent::dns::SafeSearchLevel;
using agent::dns::Socket;
using Action = agent::dns::Verdict::Action;

Endpoint loopback(std::uint16_t port) {
  return parseEndpoint("127.0.0.1", port).value();
}

// The canaries and a blocked test name, then safe search at `level`, as the agent chains them.
const FilterChain& filter(SafeSearchLevel level) {
  static const ListFilter rules([] {
    auto canaries = agent::dns::canaryRules();
    canaries.push_back({"blocked.test", Action::Block, 4, {}});
    return canaries;
  }());
  static const SafeSearchFilter strict(SafeSearchLevel::Strict);
  static const SafeSearchFilter moderate(SafeSearchLevel::Moderate);
  static const SafeSearchFilter off(SafeSearchLevel::Off);
  static const FilterChain strictChain({&rules, &strict});
  static const FilterChain moderateChain({&rules, &moderate});
  static const FilterChain offChain({&rules, &off});
  switch (level) {
    case SafeSearchLevel::Strict:
      return strictChain;
    case SafeSearchLevel::Moderate:
      return moderateChain;
    case SafeSearchLevel::Off:
      break;
  }
  return offChain;
}

std::string hostRecordAddress(std::string_view name) {
  for (const auto& record : kSafeSearchHostRecords) {
    if (name == record.name) return record.address;
  }
  throw std::logic_error("no host record for " + std::string(name));
}

class DnsFilterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!haveDnsTools()) GTEST_SKIP() << kNoDnsTools;
    dnsmasq_ = std::make_unique<Dnsmasq>(dir_);
  }

  std::unique_ptr<DnsProxy> startProxy(std::vector<Endpoint> upstreams,
                                       BlockAnswer blockAnswer = BlockAnswer::Address,
                                       std::chrono::milliseconds timeout = 2s,
                                       SafeSearchLevel safeSearch = SafeSearchLevel::Strict) {
    DnsProxyOptions options;
    options.listen = loopback(0);
    options.upstreams = std::move(upstreams);
    options.timeout = timeout;
    options.blockAnswer = blockAnswer;
    options.workers = 4;
    return std::make_unique<DnsProxy>(std::move(options), filter(safeSearch));
  }
  std::unique_ptr<DnsProxy> startProxy(SafeSearchLevel safeSearch = SafeSearchLevel::Strict) {
    return startProxy({loopback(dnsmasq_->port())}, BlockAnswer::Address, 2s, safeSearch);
  }

  // Every engine's names, and Google's in several country forms, answer as a CNAME of the
  // engine's target for `level` followed by the target's address from dnsmasq.
  void expectEverySearchEngineRewritten(SafeSearchLevel level) {
    const auto proxy = startProxy(level);
    const auto expectRewrite = [&](const std::string& name, std::string_view target) {
      const auto answer = dig(proxy->port(), name, "A");
      EXPECT_EQ(answer.status(), "NOERROR") << answer.output;
      EXPECT_EQ(answer.answers(),
                (std::vector<std::string>{
                    name + ". 60 IN CNAME " + std::string(target) + ".",
                    std::string(target) + ". 300 IN A " + hostRecordAddress(target)}))
          << answer.output;
    };
    for (const auto& engine : agent::dns::safeSearchEngines()) {
      const auto target =
          level == SafeSearchLevel::Strict ? engine.strictTarget : engine.moderateTarget;
      for (const auto host : engine.hosts) expectRewrite(std::string(host), target);
    }
    for (const auto* google : {"www.google.com", "google.com", "www.google.co.uk", "google.co.uk",
                               "google.com.au", "google.de"}) {
      expectRewrite(google, "forcesafesearch.google.com");
    }
  }

  TempDir dir_;
  std::unique_ptr<Dnsmasq> dnsmasq_;
};

TEST_F(DnsFilterTest, AnAllowedNameResolvesThroughTheUpstream) {
  const auto proxy = startProxy();
  const auto a = dig(proxy->port(), "allowed.test", "A");
  EXPECT_EQ(a.status(), "NOERROR") << a.output;
  EXPECT_EQ(a.answers(), std::vector<std::string>{"allowed.test. 300 IN A 192.0.2.10"});
  const auto aaaa = dig(proxy->port(), "allowed.test", "AAAA");
  EXPECT_EQ(aaaa.answers(), std::vector<std::string>{"allowed.test. 300 IN AAAA 2001:db8::10"});
  EXPECT_EQ(dig(proxy->port(), "gone.test", "A").status(), "NXDOMAIN");
}

TEST_F(DnsFilterTest, EdnsIsPassedThroughAsTheClientAskedForIt) {
  const auto proxy = startProxy();
  const auto withEdns = dig(proxy->port(), "allowed.test", "A", {"+bufsize=4000"});
  EXPECT_NE(withEdns.output.find("; EDNS: version: 0"), std::string::npos) << withEdns.output;
  // A client without EDNS gets no OPT back, whether the answer is forwarded or the filter's own.
  const auto withoutEdns = dig(proxy->port(), "allowed.test", "A", {"+noedns"});
  EXPECT_EQ(withoutEdns.answers(), std::vector<std::string>{"allowed.test. 300 IN A 192.0.2.10"});
  EXPECT_EQ(withoutEdns.output.find("EDNS"), std::string::npos) << withoutEdns.output;
  const auto blocked = dig(proxy->port(), "blocked.test", "A", {"+noedns"});
  EXPECT_EQ(blocked.output.find("EDNS"), std::string::npos) << blocked.output;
}

TEST_F(DnsFilterTest, ABlockedNameAndItsSubdomainsGetTheBlockAddress) {
  const auto proxy = startProxy();
  const auto a = dig(proxy->port(), "blocked.test", "A");
  EXPECT_EQ(a.status(), "NOERROR") << a.output;
  EXPECT_EQ(a.answers(), std::vector<std::string>{"blocked.test. 60 IN A 0.0.0.0"});
  const auto aaaa = dig(proxy->port(), "deep.sub.BLOCKED.test", "AAAA");
  EXPECT_EQ(aaaa.answers(), std::vector<std::string>{"deep.sub.BLOCKED.test. 60 IN AAAA ::"});
  // dnsmasq refuses names it does not know; for the client that is a failed lookup.
  EXPECT_EQ(dig(proxy->port(), "notblocked.test", "A").status(), "SERVFAIL");
}

TEST_F(DnsFilterTest, ABlockedNameGetsNxDomainWhenSoConfigured) {
  const auto proxy = startProxy({loopback(dnsmasq_->port())}, BlockAnswer::NxDomain);
  const auto a = dig(proxy->port(), "www.blocked.test", "A");
  EXPECT_EQ(a.status(), "NXDOMAIN") << a.output;
  EXPECT_TRUE(a.answers().empty());
}

TEST_F(DnsFilterTest, TheFirefoxCanaryGetsNxDomainNotAnAddress) {
  const auto proxy = startProxy();
  const auto canary = dig(proxy->port(), "use-application-dns.net", "A");
  EXPECT_EQ(canary.status(), "NXDOMAIN") << canary.output;
}

TEST_F(DnsFilterTest, StrictSafeSearchAnswersEachEngineWithItsTargetBehindACname) {
  expectEverySearchEngineRewritten(SafeSearchLevel::Strict);
}

TEST_F(DnsFilterTest, ModerateSafeSearchAnswersEachEngineWithItsTargetBehindACname) {
  expectEverySearchEngineRewritten(SafeSearchLevel::Moderate);
}

TEST_F(DnsFilterTest, SafeSearchOffAndLookalikesResolveAsTheyAre) {
  const auto off = startProxy(SafeSearchLevel::Off);
  EXPECT_EQ(dig(off->port(), "www.google.com", "A").answers(),
            std::vector<std::string>{"www.google.com. 300 IN A 192.0.2.66"});
  const auto strict = startProxy();
  // Forwarded, not rewritten: dnsmasq answers everything under gone.test with NXDOMAIN.
  const auto lookalike = dig(strict->port(), "google.com.gone.test", "A");
  EXPECT_EQ(lookalike.status(), "NXDOMAIN") << lookalike.output;
  EXPECT_TRUE(lookalike.answers().empty()) << lookalike.output;
}

// Rebinding (issue 14): dnsmasq answers names with addresses on this laptop or a private
// network, as an outside resolver run by a web page's owner could, and only the collector's own
// name and the allow list's get them through.
TEST_F(DnsFilterTest, AnswersPointingIntoThisLaptopOrAPrivateNetworkAreRefused) {
  namespace dns = agent::dns;
  const TempDir dnsmasqDir;
  const Dnsmasq rebinding(
      dnsmasqDir,
      {"--host-record=ten.rebind.test,10.0.0.1", "--host-record=loop.rebind.test,127.0.0.2",
       "--host-record=home.rebind.test,192.168.1.1", "--host-record=six.rebind.test,::1",
       "--host-record=ula.rebind.test,fd00::1", "--host-record=collector.club.test,192.168.1.10",
       "--host-record=printer.club.test,192.168.1.20"});
  const dns::SystemLocalClock clock;
  auto policy = dns::builtInPolicy({}, SafeSearchLevel::Strict);
  policy.profiles[0].allow = {"club.test"};
  const auto startWith = [&](bool stopRebinding) {
    auto profile = std::make_unique<dns::ProfileFilter>(clock, "collector.club.test");
    profile->install(dns::CompiledPolicy::compile(policy, nullptr), dns::kBuiltInProfileId);
    DnsProxyOptions options;
    options.listen = loopback(0);
    options.upstreams = {loopback(rebinding.port())};
    options.workers = 2;
    options.stopRebinding = stopRebinding;
    auto proxy = std::make_unique<DnsProxy>(std::move(options), *profile);
    return std::pair{std::move(profile), std::move(proxy)};
  };
  const auto [profile, proxy] = startWith(true);
  for (const auto* name : {"ten.rebind.test", "loop.rebind.test", "home.rebind.test"}) {
    const auto answer = dig(proxy->port(), name, "A");
    EXPECT_EQ(answer.status(), "REFUSED") << answer.output;
    EXPECT_TRUE(answer.answers().empty()) << answer.output;
  }
  for (const auto* name : {"six.rebind.test", "ula.rebind.test"}) {
    const auto answer = dig(proxy->port(), name, "AAAA", {"+tcp"});
    EXPECT_EQ(answer.status(), "REFUSED") << answer.output;
  }
  EXPECT_EQ(proxy->counters().rebindingRefused, 5u);
  EXPECT_EQ(dig(proxy->port(), "collector.club.test", "A").answers(),
            std::vector<std::string>{"collector.club.test. 300 IN A 192.168.1.10"});
  EXPECT_EQ(dig(proxy->port(), "printer.club.test", "A").answers(),
            std::vector<std::string>{"printer.club.test. 300 IN A 192.168.1.20"});
  EXPECT_EQ(dig(proxy->port(), "allowed.test", "A").answers(),
            std::vector<std::string>{"allowed.test. 300 IN A 192.0.2.10"});

  const auto [openProfile, open] = startWith(false);  // dns.stop_rebinding=false
  EXPECT_EQ(dig(open->port(), "ten.rebind.test", "A").answers(),
            std::vector<std::string>{"ten.rebind.test. 300 IN A 10.0.0.1"});
}

TEST_F(DnsFilterTest, QueriesOverTcpAreAnswered) {
  const auto proxy = startProxy();
  const auto allowed = dig(proxy->port(), "allowed.test", "A", {"+tcp"});
  EXPECT_EQ(allowed.answers(), std::vector<std::string>{"allowed.test. 300 IN A 192.0.2.10"})
      << allowed.output;
  const auto blocked = dig(proxy->port(), "blocked.test", "A", {"+tcp", "+keepopen"});
  EXPECT_EQ(blocked.answers(), std::vector<std::string>{"blocked.test. 60 IN A 0.0.0.0"});
}

TEST_F(DnsFilterTest, ATruncatedUpstreamAnswerIsFetchedAgainOverTcp) {
  const auto proxy = startProxy();
  // Over TCP the client can take it all: the filter got it whole from dnsmasq over TCP.
  const auto overTcp = dig(proxy->port(), "big.test", "TXT", {"+tcp"});
  EXPECT_EQ(overTcp.status(), "NOERROR") << overTcp.output;
  EXPECT_EQ(overTcp.answers().size(), 6u) << overTcp.output;
  // Over UDP it does not fit: the client is told to come back over TCP.
  const auto overUdp = dig(proxy->port(), "big.test", "TXT", {"+ignore"});
  EXPECT_NE(overUdp.output.find(" tc "), std::string::npos) << overUdp.output;
  // And dig, left to itself, does exactly that.
  EXPECT_EQ(dig(proxy->port(), "big.test", "TXT").answers().size(), 6u);
}

TEST_F(DnsFilterTest, ACachedAnswerComesBackWithItsTtlCountingDown) {
  const auto proxy = startProxy();
  EXPECT_EQ(dig(proxy->port(), "www.allowed.test", "A").answers(),
            std::vector<std::string>{"www.allowed.test. 300 IN A 192.0.2.11"});
  std::this_thread::sleep_for(2100ms);
  const auto again = dig(proxy->port(), "www.allowed.test", "A");
  ASSERT_EQ(again.answers().size(), 1u) << again.output;
  // 298 unless this machine is so busy that dig took more than another second to start.
  const auto record = again.answers().front();
  const auto ttl = std::stoi(record.substr(record.find(' ') + 1));
  EXPECT_GE(ttl, 295) << record;
  EXPECT_LE(ttl, 298) << record;
  EXPECT_TRUE(record.ends_with(" IN A 192.0.2.11")) << record;
  EXPECT_EQ(proxy->counters().cacheHits, 1u);
}

TEST_F(DnsFilterTest, ServFailWithinTheTimeoutWhenTheUpstreamIsDown) {
  // A port where nothing listens (the refusal comes back at once) and a black hole (a socket
  // that never answers): both end in SERVFAIL, the black hole after the timeout.
  const auto downPort = freeLoopbackPort();
  Socket blackHole(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  const auto any = loopback(0);
  ASSERT_EQ(::bind(blackHole.get(), any.raw(), any.length), 0);
  Endpoint bound;
  bound.length = sizeof bound.address;
  ::getsockname(blackHole.get(), reinterpret_cast<sockaddr*>(&bound.address), &bound.length);

  const auto proxy = startProxy({loopback(downPort), bound}, BlockAnswer::Address, 1s);
  const auto started = std::chrono::steady_clock::now();
  const auto answer = dig(proxy->port(), "allowed.test", "A");
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(answer.status(), "SERVFAIL") << answer.output;
  EXPECT_LT(took, 1800ms);  // the 1 s timeout, and dig's own start-up
  EXPECT_EQ(proxy->counters().upstreamFailures, 1u);
}

TEST_F(DnsFilterTest, MalformedPacketsAreAnsweredOrDroppedAndTheFilterKeepsWorking) {
  const auto proxy = startProxy();
  const auto to = loopback(proxy->port());
  std::mt19937 random(12345);
  Socket udp(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  for (int i = 0; i < 2000; ++i) {
    std::vector<std::uint8_t> garbage(random() % 600);
    for (auto& byte : garbage) byte = static_cast<std::uint8_t>(random());
    if (i % 2 == 0 && garbage.size() > 12) garbage[4] = 0, garbage[5] = 1;  // one "question"
    (void)::sendto(udp.get(), garbage.data(), garbage.size(), 0, to.raw(), to.length);
  }
  for (int i = 0; i < 50; ++i) {
    Socket tcp(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    ASSERT_EQ(::connect(tcp.get(), to.raw(), to.length), 0);
    std::vector<std::uint8_t> garbage(random() % 300);
    for (auto& byte : garbage) byte = static_cast<std::uint8_t>(random());
    (void)::send(tcp.get(), garbage.data(), garbage.size(), MSG_NOSIGNAL);
  }  // each closed mid-message
  EXPECT_GT(proxy->counters().malformed, 0u);
  EXPECT_EQ(dig(proxy->port(), "allowed.test", "A").status(), "NOERROR");
  EXPECT_EQ(dig(proxy->port(), "blocked.test", "A", {"+tcp"}).status(), "NOERROR");
}

// The self-test (C12) against the real filter: the profile filter on an index the real
// clubsafe-index compiles from UT1's gambling list, dnsmasq upstream for the safe-search hosts.
TEST_F(DnsFilterTest, TheSelfTestPassesOnARealIndexAndReportsWhatABrokenProfileLetsThrough) {
  namespace dns = agent::dns;
  const std::string list = CLUBSAFE_BLOCKLISTS_DIR "/ut1/gambling.domains.gz";
  if (!std::filesystem::exists(list)) GTEST_SKIP() << "The real blocklists are not at " << list;
  const auto indexFile = dir_.file("domains.index");
  const auto compiled = runCommand(
      CLUBSAFE_INDEX_BIN, {"compile", "--out", indexFile, "--category", "gambling=" + list});
  ASSERT_EQ(compiled.status, 0) << compiled.output;
  const auto index = common::domain_index::DomainIndex::open(indexFile);
  const dns::SystemLocalClock clock;
  const ListFilter canaries(dns::canaryRules());

  // What the self-test finds when the profile in force blocks `blocked` at `safeSearch`, while
  // the agent promises gambling blocked and strict safe search.
  const auto failures = [&](std::vector<std::string> blocked, SafeSearchLevel safeSearch) {
    dns::ProfileFilter profile(clock, "");
    profile.install(
        dns::CompiledPolicy::compile(dns::builtInPolicy(std::move(blocked), safeSearch), index),
        dns::kBuiltInProfileId);
    const FilterChain chain({&canaries, &profile});
    DnsProxyOptions options;
    options.listen = loopback(0);
    options.upstreams = {loopback(dnsmasq_->port())};
    options.workers = 2;
    DnsProxy proxy(std::move(options), chain);
    agent::selftest::FilterExpectations expected;
    expected.blockedCategories = {"gambling"};
    expected.testNames = {{"gambling", "000-online-casino.com"}};  // in UT1's gambling list
    expected.safeSearch = SafeSearchLevel::Strict;
    expected.index = index;
    return agent::selftest::FilterSelfTest(loopback(proxy.port()), 2s).run(expected).failures;
  };
  using Failures = std::vector<std::string>;
  EXPECT_EQ(failures({"gambling"}, SafeSearchLevel::Strict), Failures());
  EXPECT_EQ(failures({}, SafeSearchLevel::Off),
            (Failures{"gambling: 000-online-casino.com was not blocked",
                      "safe search: www.google.com was not rewritten to forcesafesearch.google.com",
                      "safe search: www.youtube.com was not rewritten to restrict.youtube.com"}));
}

TEST_F(DnsFilterTest, TheAgentRunsTheFilterAsItsSettingsSay) {
  Collector collector(dir_);
  collector.start();
  Agent agent(dir_);
  const auto enrolled = agent.enrol(collector);
  ASSERT_EQ(enrolled.status, 0) << enrolled.output;
  // The filter.* settings make the built-in profile, in force only until the collector's first
  // policy arrives: without the collector it stays.
  collector.stop();

  const auto port = freeLoopbackPort();
  agent.start({"dns.enabled=true", "dns.port=" + std::to_string(port),
               "dns.upstreams=127.0.0.1:" + std::to_string(dnsmasq_->port()),
               "filter.safe_search=moderate"});
  ASSERT_TRUE(waitFor(
      [&] { return agent.output().find("The DNS filter answers on") != std::string::npos; }, 20s))
      << agent.output();
  EXPECT_EQ(dig(port, "use-application-dns.net", "A").status(), "NXDOMAIN");
  EXPECT_EQ(dig(port, "www.youtube.com", "A").answers(),
            (std::vector<std::string>{"www.youtube.com. 60 IN CNAME restrictmoderate.youtube.com.",
                                      "restrictmoderate.youtube.com. 300 IN A " +
                                          hostRecordAddress("restrictmoderate.youtube.com")}));
  EXPECT_EQ(dig(port, "allowed.test", "A", {"+tcp"}).answers(),
            std::vector<std::string>{"allowed.test. 300 IN A 192.0.2.10"});
  EXPECT_EQ(dig(port, "rebind.test", "A").status(), "REFUSED");  // dns.stop_rebinding=true
  agent.stop();

  const auto refused =
      runCommand(agentBinary(), {"run", "--define", "agent.state_dir=" + agent.stateDir(),
                                 "--define", "dns.block_answer=maybe"});
  EXPECT_EQ(refused.status, 78) << refused.output;  // EX_CONFIG
  EXPECT_NE(refused.output.find("dns.block_answer is \"maybe\""), std::string::npos)
      << refused.output;
  const auto badSafeSearch =
      runCommand(agentBinary(), {"run", "--define", "agent.state_dir=" + agent.stateDir(),
                                 "--define", "filter.safe_search=always"});
  EXPECT_EQ(badSafeSearch.status, 78) << badSafeSearch.output;
  EXPECT_NE(badSafeSearch.output.find("filter.safe_search is \"always\", but it should be "
                                      "strict, moderate or off"),
            std::string::npos)
      << badSafeSearch.output;
}

}  // namespace
}  // namespace clubsafe::testing
