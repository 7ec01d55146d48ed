#pragma once

#include "agent/assembly/agent_core.hpp"
#include "agent/assembly/notices_assembly.hpp"
#include "agent/assembly/policy_assembly.hpp"
#include "agent/dns/decision_recorder.hpp"
#include "agent/dns/dns_proxy.hpp"
#include "agent/dns/safe_search.hpp"
#include "agent/runtime/service.hpp"
#include "agent/selftest/filter_self_test.hpp"
#include "agent/sources/source_scheduler.hpp"

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace clubsafe::agent::assembly {

// The DNS filter's settings (dns.*, filter.safe_search, selftest.test_names), read and checked
// before anything is started.
struct FilterSettings {
  std::optional<dns::DnsProxyOptions> options;  // none: dns.enabled is false
  dns::SafeSearchLevel safeSearch = dns::SafeSearchLevel::Strict;
  std::vector<selftest::TestName> selfTestNames;
};

// With dns.upstreams empty, the filter forwards to the resolvers of `resolvConf`. Throws
// dns::DnsError naming the setting that is wrong and what it should be.
[[nodiscard]] FilterSettings readFilterSettings(const common::Settings& settings,
                                                std::string_view resolvConf);

// The DNS filter (docs/DNS.md): it answers from construction, or says in the log why it could
// not listen and the agent goes on without it (recording and uploading are still worth having).
// Its decisions are counted and written to the outbox, and it is self-tested on `checks`.
class DnsAssembly {
 public:
  DnsAssembly(const AgentCore& core, FilterSettings settings, PolicyAssembly& policy,
              NoticesAssembly& notices, sources::SourceScheduler& checks);

  // Null when the filter is off or could not listen.
  [[nodiscard]] dns::DnsProxy* filter() { return proxy_.get(); }
  void addServices(runtime::ServiceGroup& group);

 private:
  const AgentCore& core_;
  dns::DecisionRecorder decisions_;
  std::unique_ptr<dns::DnsProxy> proxy_;
};

}  // namespace clubsafe::agent::assembly
