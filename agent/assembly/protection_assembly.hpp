#pragma once

#include "agent/assembly/agent_core.hpp"
#include "agent/dns/dns_proxy.hpp"
#include "agent/dns/safe_search.hpp"
#include "agent/platform/clocks.hpp"
#include "agent/platform/packet_filter.hpp"
#include "agent/platform/resolver_settings.hpp"
#include "agent/protection/browser_policies.hpp"
#include "agent/protection/outbound_lockdown.hpp"
#include "agent/protection/resolver_takeover.hpp"
#include "agent/runtime/service.hpp"
#include "agent/sources/source_scheduler.hpp"
#include "agent/tamper/run_marker.hpp"

#include <memory>
#include <optional>
#include <string>

namespace clubsafe::agent::assembly {

// Keeping the filter in force and reporting tampering (tamper.*, protection.*,
// dns.take_over_resolver, browser.managed_policies): the tamper checks, and, while the filter is
// the system's resolver (dns.port 53), the resolver taken over, the outbound lock-down and the
// browsers' managed policies, each checked on the recording checks' scheduler.
class ProtectionAssembly {
 public:
  // Adds the tamper checks to `checks` and remembers the system's resolvers when it is to take
  // them over (a failure is logged; the system then keeps its own).
  ProtectionAssembly(const AgentCore& core, sources::SourceScheduler& checks,
                     tamper::RunMarker& runMarker);

  // The resolv.conf text whose resolvers the filter forwards to.
  [[nodiscard]] std::string resolvConfForFilter() const;
  // With the lock-down on, builds its table and marks the filter's own upstream queries, which
  // it lets out. Throws protection::LockdownError naming protection.blocked_resolvers.
  void prepareLockdown(dns::DnsProxyOptions& filterOptions);
  // Gives the system its resolvers back when a setting stops the agent from starting.
  void giveResolverBack();
  // Once the filter answers (`filter` null when it could not listen): the lock-down and the
  // browser policies, put in place at start and checked from then on.
  void protect(dns::DnsProxy* filter, dns::SafeSearchLevel safeSearch);
  void addServices(runtime::ServiceGroup& group);

 private:
  void takeOverResolver();

  const AgentCore& core_;
  sources::SourceScheduler& checks_;
  std::unique_ptr<platform::Clocks> clocks_;
  bool systemFilter_;  // protection::filtersForTheSystem
  std::chrono::milliseconds checkInterval_;
  std::unique_ptr<platform::ResolverServices> resolverServices_;
  protection::ResolverTakeover* resolver_ = nullptr;  // polled by checks_, which owns it
  std::string lockdownRuleset_;
  std::unique_ptr<platform::PacketFilter> packetFilter_;
  protection::OutboundLockdown* lockdown_ = nullptr;               // owned by checks_
  std::optional<protection::BrowserPolicyWatcher> policyWatcher_;  // puts them back at once
  dns::DnsProxy* filter_ = nullptr;
};

}  // namespace clubsafe::agent::assembly
