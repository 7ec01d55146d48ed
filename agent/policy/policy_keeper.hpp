#pragma once

#include "agent/client/collector_client.hpp"
#include "agent/policy/active_profile.hpp"
#include "agent/runtime/heartbeat.hpp"
#include "agent/upload/backoff.hpp"
#include "common/domain_index/domain_index.hpp"
#include "common/policy.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace clubsafe::agent::policy {

struct PolicyKeeperOptions {
  std::string stateDir;  // policy.json and domains.index are cached here
  std::chrono::milliseconds refreshInterval{60'000};
  std::chrono::milliseconds backoffInitial{1'000};
  std::chrono::milliseconds backoffMax{300'000};
  // In force until a first policy arrives (the filter.* settings).
  common::Policy builtIn;
  // Called with each policy put in force (the built-in one too) once the filter has it, with
  // the keeper's lock held, so it must not call back into the keeper. What else follows the
  // policy hangs here: the workers' PINs (agent/notices/worker_pins).
  std::function<void(const common::Policy&)> onPolicy;
};

// Keeps the collector's policy and index in force (docs/POLICY.md): on start the cached ones
// (no network needed), then every refresh interval a GET of the policy with If-None-Match; a
// policy naming an index this agent does not hold brings a GET of the index into a temporary
// file, checked (size, SHA-256, loads) and renamed over domains.index, and the policy is written
// to policy.json. A broken policy or index is refused with one log line and what is in force
// stays; an unreachable collector is asked again after a back-off, and filtering goes on.
class PolicyKeeper {
 public:
  // `client` may be null: then only the cache and the built-in profile are used.
  PolicyKeeper(PolicyKeeperOptions options, ActiveProfile& active, client::CollectorClient* client,
               std::string bearerToken);
  PolicyKeeper(const PolicyKeeper&) = delete;
  PolicyKeeper& operator=(const PolicyKeeper&) = delete;

  // Puts the cached policy and index in force, or the built-in profile when there is none.
  // Returns whether a cached policy is in force.
  bool start();

  // A new index for the built-in profile (filter.index_file), in force while no policy has
  // arrived from the collector.
  void setBuiltInIndex(std::shared_ptr<const common::domain_index::DomainIndex> index);

  enum class Outcome : std::uint8_t {
    Unchanged,    // 304, or the same version again
    Applied,      // a new policy (and index) is in force
    NoPolicyYet,  // the collector has no policy to publish
    Refused,      // the policy or its index was broken: what was in force stays
    Unreachable,  // network, TLS or HTTP trouble: ask again after a back-off
  };
  // One look at the collector.
  Outcome refresh();

  // refresh() every refresh interval (after a back-off when unreachable) until stop().
  void run();
  void stop();
  // Beaten at every turn of run() and while it waits (runtime/heartbeat.hpp).
  [[nodiscard]] const runtime::Heartbeat& heartbeat() const { return heartbeat_; }

 private:
  struct Fetched {
    std::shared_ptr<const common::domain_index::DomainIndex> index;
    Outcome outcome = Outcome::Applied;  // Applied: `index` (null when the policy has none)
  };

  // The index `policy` names: the one in force when its SHA-256 matches, else downloaded.
  Fetched indexFor(const common::Policy& policy);
  void apply(common::Policy policy, std::shared_ptr<const common::domain_index::DomainIndex> index,
             const std::string& source);

  PolicyKeeperOptions options_;
  ActiveProfile& active_;
  client::CollectorClient* client_;
  std::string bearerToken_;
  upload::Backoff backoff_;

  std::mutex mutex_;  // guards what follows; the network is used without it
  bool fromCollector_ = false;
  std::shared_ptr<const common::domain_index::DomainIndex> builtInIndex_;
  std::string indexSha256_;  // of the policy index in force; empty when none
  std::shared_ptr<const common::domain_index::DomainIndex> policyIndex_;
  std::string etag_;
  std::int64_t version_ = 0;
  bool unreachableSaid_ = false;
  bool noPolicySaid_ = false;

  std::mutex runMutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  runtime::Heartbeat heartbeat_;
};

}  // namespace clubsafe::agent::policy
