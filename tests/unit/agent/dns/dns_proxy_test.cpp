#include "agent/dns/dns_proxy.hpp"

#include "agent/dns/list_filter.hpp"
#include "tests/unit/agent/dns/fake_upstream.hpp"
#include "tests/unit/agent/dns/packet_builder.hpp"

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <poll.h>

#include <algorithm>
#include <atomic>
#include <thread>

namespace clubsafe::agent::dns {
namespace {

using namespace std::chrono_literals;
using testing::FakeUpstream;
using testing::loopback;
using testing::makeQuery;
using testing::PacketBuilder;
using testing::portOf;
using testing::udpSocketOnLoopback;
using Action = Verdict::Action;

const ListFilter& testFilter() {
  static const ListFilter filter([] {
    auto rules = canaryRules();
    rules.push_back({"blocked.test", Action::Block, 3, {}});
    rules.push_back({"www.google.com", Action::Rewrite, 0, "forcesafesearch.google.com"});
    return rules;
  }());
  return filter;
}

DnsProxyOptions optionsWith(std::vector<Endpoint> upstreams) {
  DnsProxyOptions options;
  options.listen = loopback(0);
  options.upstreams = std::move(upstreams);
  options.timeout = 400ms;
  options.workers = 2;
  options.blockAddresses.v4 = {10, 9, 8, 7};
  return options;
}

class DnsProxyTest : public ::testing::Test {
 protected:
  Buffer ask(DnsProxy& proxy, std::string_view name, std::uint16_t type, std::uint16_t id = 42) {
    Buffer out;
    EXPECT_TRUE(proxy.answer(makeQuery(name, type, id), true, workspace_, out));
    return out;
  }
  Workspace workspace_;
};

std::uint16_t rcodeOf(const Buffer& answer) {
  return readU16(answer, 2) & flag::kRcodeMask;
}

TEST_F(DnsProxyTest, BlockedNamesGetTheBlockAddressOrNxDomain) {
  DnsProxy proxy(optionsWith({}), testFilter());
  const auto a = ask(proxy, "www.blocked.test", rrtype::kA);
  EXPECT_EQ(rcodeOf(a), 0);
  EXPECT_EQ(readU16(a, 6), 1);
  EXPECT_EQ(Buffer(a.end() - 15, a.end() - 11), Buffer({10, 9, 8, 7}));  // before the OPT
  EXPECT_EQ(rcodeOf(ask(proxy, "use-application-dns.net", rrtype::kA)), 3);

  auto options = optionsWith({});
  options.blockAnswer = BlockAnswer::NxDomain;
  DnsProxy nxProxy(std::move(options), testFilter());
  EXPECT_EQ(rcodeOf(ask(nxProxy, "blocked.test", rrtype::kAaaa)), 3);
  EXPECT_EQ(nxProxy.counters().blocked, 1u);
}

TEST_F(DnsProxyTest, GarbageWithAHeaderGetsFormErrAndWithoutOneNothing) {
  DnsProxy proxy(optionsWith({}), testFilter());
  Buffer out;
  const std::vector<std::uint8_t> garbage{1, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x3f};
  ASSERT_TRUE(proxy.answer(garbage, true, workspace_, out));
  EXPECT_EQ(rcodeOf(out), 1);
  EXPECT_FALSE(proxy.answer(Bytes(garbage.data(), 5), true, workspace_, out));
  EXPECT_EQ(proxy.counters().malformed, 2u);
}

TEST_F(DnsProxyTest, AllowedNamesAreForwardedThenServedFromTheCache) {
  FakeUpstream upstream;
  DnsProxy proxy(optionsWith({upstream.endpoint()}), testFilter());
  const auto first = ask(proxy, "allowed.test", rrtype::kA, 1000);
  EXPECT_EQ(rcodeOf(first), 0);
  EXPECT_EQ(readU16(first, 0), 1000);
  const auto second = ask(proxy, "Allowed.Test", rrtype::kA, 2000);
  EXPECT_EQ(readU16(second, 0), 2000);
  EXPECT_EQ(upstream.queries(), 1);
  EXPECT_EQ(proxy.counters().cacheHits, 1u);
}

// The collector's host or the allow list, as ProfileFilter says: its answers may point inward.
class LocalNameFilter final : public FilterDecision {
 public:
  [[nodiscard]] Verdict decide(std::string_view name, std::uint16_t) const noexcept override {
    return name == "collector.test" ? Verdict::allowLocal() : Verdict::allow();
  }
};

TEST_F(DnsProxyTest, AnswersPointingInwardAreRefusedUnlessTheNameMayHaveThem) {
  for (const auto& address : std::vector<std::vector<std::uint8_t>>{
           {10, 0, 0, 1},
           {127, 0, 0, 2},
           {192, 168, 1, 1},
           {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
           {0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}}) {
    FakeUpstream upstream(FakeUpstream::Mode::Answer, address);
    const LocalNameFilter filter;
    DnsProxy proxy(optionsWith({upstream.endpoint()}), filter);
    const auto type = address.size() == 16 ? rrtype::kAaaa : rrtype::kA;
    const auto refused = ask(proxy, "rebind.test", type);
    EXPECT_EQ(rcodeOf(refused), 5);  // REFUSED
    EXPECT_EQ(readU16(refused, 6), 0);
    EXPECT_EQ(rcodeOf(ask(proxy, "rebind.test", type)), 5);
    EXPECT_EQ(upstream.queries(), 2);  // a refused answer is not cached
    EXPECT_EQ(proxy.counters().rebindingRefused, 2u);
    const auto collector = ask(proxy, "collector.test", type);
    EXPECT_EQ(rcodeOf(collector), 0);
    EXPECT_EQ(readU16(collector, 6), 1);

    auto options = optionsWith({upstream.endpoint()});
    options.stopRebinding = false;
    DnsProxy unprotected(std::move(options), filter);
    EXPECT_EQ(readU16(ask(unprotected, "rebind.test", type), 6), 1);
  }
  FakeUpstream outside;  // 192.0.2.7
  DnsProxy proxy(optionsWith({outside.endpoint()}), testFilter());
  EXPECT_EQ(readU16(ask(proxy, "example.test", rrtype::kA), 6), 1);
  EXPECT_EQ(proxy.counters().rebindingRefused, 0u);
}

TEST_F(DnsProxyTest, FailsOverToTheNextUpstream) {
  FakeUpstream silent(FakeUpstream::Mode::Silent);
  FakeUpstream working;
  DnsProxy proxy(optionsWith({silent.endpoint(), working.endpoint()}), testFilter());
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(rcodeOf(ask(proxy, "allowed.test", rrtype::kA)), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 400ms);
  EXPECT_EQ(silent.queries(), 1);
  EXPECT_EQ(working.queries(), 1);
}

TEST_F(DnsProxyTest, AnUpstreamAnsweringServFailIsPassedOver) {
  FakeUpstream failing(FakeUpstream::Mode::ServFail);
  FakeUpstream working;
  DnsProxy proxy(optionsWith({failing.endpoint(), working.endpoint()}), testFilter());
  EXPECT_EQ(rcodeOf(ask(proxy, "allowed.test", rrtype::kA)), 0);
  EXPECT_EQ(failing.queries(), 1);
  EXPECT_EQ(working.queries(), 1);
}

TEST_F(DnsProxyTest, ServFailWithinTheTimeoutWhenNoUpstreamAnswers) {
  FakeUpstream silent(FakeUpstream::Mode::Silent);
  DnsProxy proxy(optionsWith({silent.endpoint()}), testFilter());
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(rcodeOf(ask(proxy, "allowed.test", rrtype::kA)), 2);
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_GE(took, 350ms);
  EXPECT_LT(took, 600ms);
  EXPECT_EQ(silent.queries(), UpstreamResolver::kRounds);
  EXPECT_EQ(proxy.counters().upstreamFailures, 1u);
}

TEST_F(DnsProxyTest, ServFailAtOnceWhenNothingListensUpstream) {
  const auto closedPort = portOf(udpSocketOnLoopback());  // closed again when this line ends
  DnsProxy proxy(optionsWith({loopback(closedPort)}), testFilter());
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(rcodeOf(ask(proxy, "allowed.test", rrtype::kA)), 2);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 200ms);
}

TEST_F(DnsProxyTest, SafeSearchAnswersWithACnameAndTheTargetsAddress) {
  FakeUpstream upstream;
  DnsProxy proxy(optionsWith({upstream.endpoint()}), testFilter());
  const auto out = ask(proxy, "www.google.com", rrtype::kA, 5);
  EXPECT_EQ(rcodeOf(out), 0);
  EXPECT_EQ(readU16(out, 0), 5);
  EXPECT_EQ(readU16(out, 6), 2);  // the CNAME and the fake upstream's A
  EXPECT_EQ(proxy.counters().rewritten, 1u);
}

TEST_F(DnsProxyTest, AnswersOverRealUdp) {
  DnsProxy proxy(optionsWith({}), testFilter());
  const auto client = udpSocketOnLoopback();
  const auto to = loopback(proxy.port());
  const auto query = makeQuery("blocked.test", rrtype::kA, 77);
  ASSERT_GT(::sendto(client.get(), query.data(), query.size(), 0, to.raw(), to.length), 0);
  pollfd fd{client.get(), POLLIN, 0};
  ASSERT_EQ(::poll(&fd, 1, 2000), 1);
  std::array<std::uint8_t, 512> answer{};
  const auto n = ::recv(client.get(), answer.data(), answer.size(), 0);
  ASSERT_GT(n, 12);
  EXPECT_EQ(readU16(answer, 0), 77);
}

// Many queries at once reach the proxy as batches (recvmmsg) and go back as batches (sendmmsg):
// every one is answered, to its own id.
TEST_F(DnsProxyTest, AnswersAFloodOfUdpQueriesEachToItsOwnId) {
  DnsProxy proxy(optionsWith({}), testFilter());
  const auto client = udpSocketOnLoopback();
  const auto to = loopback(proxy.port());
  constexpr std::uint16_t kQueries = 200;
  for (std::uint16_t id = 1; id <= kQueries; ++id) {
    const auto query =
        makeQuery(id % 2 == 0 ? "blocked.test" : "use-application-dns.net", rrtype::kA, id);
    ASSERT_GT(::sendto(client.get(), query.data(), query.size(), 0, to.raw(), to.length), 0);
  }
  std::vector<bool> answered(kQueries + 1, false);
  std::array<std::uint8_t, 512> answer{};
  pollfd fd{client.get(), POLLIN, 0};
  for (int n = 0; n < kQueries && ::poll(&fd, 1, 2000) == 1; ++n) {
    ASSERT_GT(::recv(client.get(), answer.data(), answer.size(), 0), 12);
    const auto id = readU16(answer, 0);
    ASSERT_TRUE(id >= 1 && id <= kQueries && !answered[id]);
    answered[id] = true;
    EXPECT_EQ(rcodeOf(Buffer(answer.begin(), answer.begin() + 4)), id % 2 == 0 ? 0 : 3);
  }
  EXPECT_EQ(std::count(answered.begin(), answered.end(), true), kQueries);
}

// The laptop moved to another network: the upstreams are replaced while four threads keep
// asking, and no query fails; once replaced, only the new upstream is asked.
TEST_F(DnsProxyTest, UpstreamsReplacedUnderLoadLoseNoQuery) {
  FakeUpstream club;
  FakeUpstream home;
  auto options = optionsWith({club.endpoint()});
  options.cacheEntries = 0;  // every query goes upstream
  options.timeout = 2000ms;
  DnsProxy proxy(std::move(options), testFilter());
  std::atomic<bool> done{false};
  std::atomic<int> answered{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> clients;
  for (int client = 0; client < 4; ++client) {
    clients.emplace_back([&, client] {
      Workspace workspace;
      Buffer out;
      for (std::uint16_t id = 1; !done; ++id) {
        const auto name = "n" + std::to_string(client) + "-" + std::to_string(id) + ".test";
        if (proxy.answer(makeQuery(name, rrtype::kA, id), true, workspace, out) &&
            rcodeOf(out) == 0 && readU16(out, 0) == id) {
          ++answered;
        } else {
          ++failed;
        }
      }
    });
  }
  for (int swap = 0; swap < 40; ++swap) {
    std::this_thread::sleep_for(5ms);
    proxy.setUpstreams({swap % 2 == 0 ? home.endpoint() : club.endpoint()});
  }
  proxy.setUpstreams({home.endpoint()});
  done = true;
  for (auto& client : clients) client.join();
  EXPECT_EQ(failed, 0);
  EXPECT_GT(answered, 40);
  EXPECT_GT(club.queries(), 0);
  EXPECT_GT(home.queries(), 0);
  ASSERT_EQ(proxy.upstreams().size(), 1u);
  EXPECT_EQ(proxy.upstreams()[0].text(), home.endpoint().text());

  const auto clubBefore = club.queries();
  const auto homeBefore = home.queries();
  EXPECT_EQ(rcodeOf(ask(proxy, "after.test", rrtype::kA)), 0);
  EXPECT_EQ(club.queries(), clubBefore);
  EXPECT_EQ(home.queries(), homeBefore + 1);
}

// A blocked answer read in the same batch as a name that must go upstream is sent before the
// worker waits for the upstream, not after.
TEST_F(DnsProxyTest, AnswersInABatchDoNotWaitForAnotherQuerysUpstream) {
  FakeUpstream silent(FakeUpstream::Mode::Silent);
  auto options = optionsWith({silent.endpoint()});
  options.workers = 1;
  DnsProxy proxy(std::move(options), testFilter());
  const auto client = udpSocketOnLoopback();
  const auto to = loopback(proxy.port());
  const auto blocked = makeQuery("blocked.test", rrtype::kA, 1);
  const auto allowed = makeQuery("allowed.test", rrtype::kA, 2);
  const auto started = std::chrono::steady_clock::now();
  ASSERT_GT(::sendto(client.get(), blocked.data(), blocked.size(), 0, to.raw(), to.length), 0);
  ASSERT_GT(::sendto(client.get(), allowed.data(), allowed.size(), 0, to.raw(), to.length), 0);
  pollfd fd{client.get(), POLLIN, 0};
  ASSERT_EQ(::poll(&fd, 1, 2000), 1);
  std::array<std::uint8_t, 512> answer{};
  ASSERT_GT(::recv(client.get(), answer.data(), answer.size(), 0), 12);
  EXPECT_EQ(readU16(answer, 0), 1);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 300ms);  // the upstream's wait is 400 ms
}

TEST_F(DnsProxyTest, ABusyPortIsAClearError) {
  DnsProxy first(optionsWith({}), testFilter());
  auto options = optionsWith({});
  options.listen = loopback(first.port());
  try {
    DnsProxy second(std::move(options), testFilter());
    FAIL() << "a second proxy on the same port";
  } catch (const DnsError& error) {
    EXPECT_NE(std::string(error.what()).find("dns.port"), std::string::npos);
  }
}

}  // namespace
}  // namespace clubsafe::agent::dns
