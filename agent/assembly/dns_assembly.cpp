#include "agent/assembly/dns_assembly.hpp"

#include "agent/dns/dns_settings.hpp"
#include "agent/selftest/expectations.hpp"
#include "common/time.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace clubsafe::agent::assembly {
namespace {

using std::chrono::milliseconds;

std::string upstreamList(const std::vector<dns::Endpoint>& upstreams) {
  std::string list;
  for (const auto& upstream : upstreams) list += (list.empty() ? "" : ", ") + upstream.text();
  return list.empty() ? "nobody" : list;
}

std::unique_ptr<dns::DnsProxy> startFilter(dns::DnsProxyOptions options,
                                           const dns::FilterDecision& filter,
                                           dns::DecisionRecorder& decisions) {
  if (options.upstreams.empty()) {
    spdlog::warn(
        "The DNS filter has no resolver to forward allowed names to: /etc/resolv.conf names "
        "none but loopback addresses. Set dns.upstreams to the resolvers to use (for example "
        "the router's address); until then allowed names get SERVFAIL.");
  }
  const auto upstreams = upstreamList(options.upstreams);
  const auto listen = options.listen.text();
  try {
    auto proxy = std::make_unique<dns::DnsProxy>(std::move(options), filter, &decisions);
    spdlog::info("The DNS filter answers on {} (UDP and TCP) and forwards allowed names to {}.",
                 listen, upstreams);
    return proxy;
  } catch (const dns::DnsError& error) {
    spdlog::error("{} Names are not filtered until the agent is restarted.", error.what());
    return nullptr;
  }
}

std::unique_ptr<selftest::SelfTestSource> selfTest(const AgentCore& core,
                                                   const FilterSettings& settings,
                                                   PolicyAssembly& policy,
                                                   notices::BlockNotifier& blockNotifier) {
  const auto& options = *settings.options;
  return std::make_unique<selftest::SelfTestSource>(
      // A second more than the filter allows upstream: the safe-search checks wait on it.
      selftest::FilterSelfTest(options.listen, options.timeout + std::chrono::seconds(1)),
      [&profileFilter = policy.profileFilter(), &blockNotifier, answer = options.blockAnswer,
       addresses = options.blockAddresses, names = settings.selfTestNames] {
        auto expected = selftest::expectationsInForce(profileFilter, answer, addresses, names);
        // Asked for now, blocked on purpose: nobody at the laptop is told of them.
        std::vector<std::string> testNames;
        for (const auto& testName : expected.testNames) testNames.push_back(testName.name);
        blockNotifier.hush(testNames, std::chrono::seconds(30));
        return expected;
      },
      std::max(core.settings.duration("selftest.interval"), milliseconds(1000)));
}

}  // namespace

FilterSettings readFilterSettings(const common::Settings& settings, std::string_view resolvConf) {
  FilterSettings filter;
  if (!settings.flag("dns.enabled")) return filter;
  filter.options = dns::dnsProxyOptions(settings, resolvConf);
  filter.safeSearch = dns::safeSearchLevel(settings);
  auto testNames = selftest::parseTestNames(settings.text("selftest.test_names"));
  if (!testNames) {
    throw dns::DnsError("The setting selftest.test_names is \"" +
                        settings.text("selftest.test_names") +
                        "\", but it should be category=domain pairs separated by commas, "
                        "such as gambling=casino.example.");
  }
  filter.selfTestNames = std::move(*testNames);
  return filter;
}

DnsAssembly::DnsAssembly(const AgentCore& core, FilterSettings settings, PolicyAssembly& policy,
                         NoticesAssembly& notices, sources::SourceScheduler& checks)
    : core_(core),
      decisions_(core.outbox,
                 {.indexInForce = policy.indexInForce(),
                  .clock = common::nowUtc,
                  .flushInterval = std::max(core.settings.duration("dns.record_interval"),
                                            milliseconds(1000))}) {
  if (!settings.options) return;
  checks.add(selfTest(core, settings, policy, notices.blockNotifier()));
  proxy_ = startFilter(std::move(*settings.options), notices.answering(), decisions_);
}

void DnsAssembly::addServices(runtime::ServiceGroup& group) {
  const auto stuckAfter = core_.stuckAfter();
  core_.progress.watch("DNS decision recorder", decisions_.heartbeat(), stuckAfter);
  if (proxy_) {
    // A worker waits on an upstream for at most dns.timeout before it answers SERVFAIL.
    core_.progress.watch("DNS filter", proxy_->heartbeat(),
                         std::max(stuckAfter, 4 * core_.settings.duration("dns.timeout")));
  }
  // Stopped last: the filter answers until the system has its own resolvers back, then its
  // last decisions are written.
  group.addThread(
      "the DNS filter", [this] { decisions_.run(); },
      [this] {
        if (proxy_) proxy_->stop();
        decisions_.stop();
      });
}

}  // namespace clubsafe::agent::assembly
