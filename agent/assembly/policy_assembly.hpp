#pragma once

#include "agent/assembly/agent_core.hpp"
#include "agent/client/collector_client.hpp"
#include "agent/dns/index_file_watcher.hpp"
#include "agent/dns/index_filter.hpp"
#include "agent/dns/list_filter.hpp"
#include "agent/dns/profile_filter.hpp"
#include "agent/dns/safe_search.hpp"
#include "agent/notices/block_notifier.hpp"
#include "agent/notices/worker_pins.hpp"
#include "agent/policy/active_profile.hpp"
#include "agent/policy/policy_keeper.hpp"
#include "agent/runtime/service.hpp"

#include <optional>

namespace clubsafe::agent::assembly {

// What the DNS filter enforces (policy.*, filter.*): the profile in force, the collector's
// policy fetched and cached, the built-in profile and its index file until one arrives, and the
// browser canaries in front of them all.
class PolicyAssembly {
 public:
  // With `filterEnabled`, what is cached is put in force now, before the filter answers.
  PolicyAssembly(const AgentCore& core, dns::SafeSearchLevel safeSearch, bool filterEnabled);

  [[nodiscard]] dns::ProfileFilter& profileFilter() { return profileFilter_; }
  [[nodiscard]] policy::ActiveProfile& activeProfile() { return activeProfile_; }
  [[nodiscard]] notices::WorkerPins& workerPins() { return workerPins_; }
  // The canaries, then the profile in force.
  [[nodiscard]] const dns::FilterDecision& filter() const { return filter_; }
  [[nodiscard]] const notices::IndexInForce& indexInForce() const { return indexInForce_; }

  // The policy is fetched, and the index file watched, only while the filter answers.
  void addServices(runtime::ServiceGroup& group, bool filterAnswers);

 private:
  const AgentCore& core_;
  const dns::SystemLocalClock clock_;
  dns::ProfileFilter profileFilter_;
  policy::ActiveProfile activeProfile_;
  notices::WorkerPins workerPins_;
  client::CollectorClient client_;
  policy::PolicyKeeper keeper_;
  std::optional<dns::IndexFileWatcher> indexFile_;
  const dns::ListFilter canaries_;
  const dns::FilterChain filter_;
  const notices::IndexInForce indexInForce_;
};

}  // namespace clubsafe::agent::assembly
