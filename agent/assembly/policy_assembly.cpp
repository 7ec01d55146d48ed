#include "agent/assembly/policy_assembly.hpp"

#include "agent/dns/dns_settings.hpp"

#include <algorithm>

namespace clubsafe::agent::assembly {
namespace {

using std::chrono::milliseconds;

policy::PolicyKeeperOptions keeperOptions(const AgentCore& core, dns::SafeSearchLevel safeSearch,
                                          notices::WorkerPins& workerPins) {
  const auto& settings = core.settings;
  return {
      .stateDir = core.stateDir,
      .refreshInterval = std::max(settings.duration("policy.refresh_interval"), milliseconds(1000)),
      .backoffInitial = settings.duration("upload.backoff_initial"),
      .backoffMax = settings.duration("upload.backoff_max"),
      .builtIn = dns::builtInPolicy(dns::commaSeparated(settings.text("filter.blocked_categories")),
                                    safeSearch),
      .onPolicy = [&workerPins](const common::Policy& inForce) {
        workerPins.setWorkers(inForce.workers);
      }};
}

}  // namespace

PolicyAssembly::PolicyAssembly(const AgentCore& core, dns::SafeSearchLevel safeSearch,
                               bool filterEnabled)
    : core_(core),
      // The collector's own name always resolves, so a laptop can always fetch a new policy.
      profileFilter_(clock_, client::parseServerUrl(core.credentials.serverUrl).getHost()),
      activeProfile_(profileFilter_),
      client_(core.credentials.serverUrl, core.credentials.trust(),
              core.settings.duration("upload.timeout")),
      keeper_(keeperOptions(core, safeSearch, workerPins_), activeProfile_, &client_,
              core.credentials.deviceId + "." + core.credentials.deviceSecret),
      canaries_(dns::canaryRules()),
      filter_({&canaries_, &profileFilter_}),
      indexInForce_([this] { return profileFilter_.index(); }) {
  if (const auto path = core.settings.text("filter.index_file"); !path.empty()) {
    indexFile_.emplace(path, [this](auto index) { keeper_.setBuiltInIndex(std::move(index)); });
  }
  if (filterEnabled) {
    // What is cached is in force before the DNS filter answers its first question.
    (void)keeper_.start();
    if (indexFile_) (void)indexFile_->check();
  }
}

void PolicyAssembly::addServices(runtime::ServiceGroup& group, bool filterAnswers) {
  if (!filterAnswers) return;
  // A fetch may take upload.timeout to connect and as long again for each answer.
  core_.progress.watch("policy fetch", keeper_.heartbeat(),
                       std::max(core_.stuckAfter(), 4 * core_.settings.duration("upload.timeout")));
  group.addThread(
      "the policy fetch", [this] { keeper_.run(); }, [this] { keeper_.stop(); });
  if (!indexFile_) return;
  core_.progress.watch("index file watch", indexFile_->heartbeat(), core_.stuckAfter());
  group.addThread(
      "the index file watch",
      [this] {
        indexFile_->run(
            std::max(core_.settings.duration("filter.reload_interval"), milliseconds(1000)));
      },
      [this] { indexFile_->stop(); });
}

}  // namespace clubsafe::agent::assembly
