#include "agent/assembly/protection_assembly.hpp"

#include "agent/platform/browser_policy.hpp"
#include "agent/platform/private_file.hpp"
#include "agent/protection/system_steps.hpp"
#include "agent/tamper/tamper_watch.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace clubsafe::agent::assembly {
namespace {

using std::chrono::milliseconds;

constexpr const char* kResolvConf = "/etc/resolv.conf";

std::string readSmallFile(const char* path) {
  std::ifstream file(path);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::chrono::seconds inSeconds(milliseconds duration) {
  return std::chrono::duration_cast<std::chrono::seconds>(duration);
}

}  // namespace

ProtectionAssembly::ProtectionAssembly(const AgentCore& core, sources::SourceScheduler& checks,
                                       tamper::RunMarker& runMarker)
    : core_(core),
      checks_(checks),
      clocks_(platform::makeClocks()),
      systemFilter_(protection::filtersForTheSystem(core.settings)),
      checkInterval_(
          std::max(core.settings.duration("protection.check_interval"), milliseconds(1000))),
      resolverServices_(platform::makeResolverServices()) {
  const auto& settings = core.settings;
  checks_.add(std::make_unique<tamper::TamperWatch>(
      tamper::TamperWatchOptions{
          .hostsFile = settings.text("tamper.hosts_file"),
          .interval = std::max(settings.duration("tamper.check_interval"), milliseconds(100)),
          .clockJumpThreshold = settings.duration("tamper.clock_jump_threshold")},
      core.stateDir, runMarker, *clocks_));
  if (!protection::takesOverResolver(settings)) return;
  auto takeover = std::make_unique<protection::ResolverTakeover>(
      "/", core.stateDir, settings.text("dns.listen_address"), *resolverServices_, checkInterval_);
  try {
    takeover->remember();
    resolver_ = takeover.get();
    checks_.add(std::move(takeover));
  } catch (const protection::ResolverError& error) {
    spdlog::error("{}", error.what());
  }
}

std::string ProtectionAssembly::resolvConfForFilter() const {
  return resolver_ != nullptr ? resolver_->previousResolvConf() : readSmallFile(kResolvConf);
}

void ProtectionAssembly::prepareLockdown(dns::DnsProxyOptions& filterOptions) {
  if (!systemFilter_ || !core_.settings.flag("protection.outbound_lockdown")) return;
  lockdownRuleset_ = protection::lockdownRuleset(
      protection::blockedResolvers(core_.settings.text("protection.blocked_resolvers")));
  filterOptions.upstreamMark = protection::kUpstreamSocketMark;
  packetFilter_ = platform::makePacketFilter();
}

void ProtectionAssembly::giveResolverBack() {
  if (resolver_ != nullptr) resolver_->restore();
}

void ProtectionAssembly::protect(dns::DnsProxy* filter, dns::SafeSearchLevel safeSearch) {
  filter_ = filter;
  if (filter_ != nullptr && packetFilter_) {
    auto lockdown = std::make_unique<protection::OutboundLockdown>(
        *packetFilter_, std::move(lockdownRuleset_), checkInterval_);
    lockdown_ = lockdown.get();
    checks_.add(std::move(lockdown));
  }
  if (!systemFilter_ || !core_.settings.flag("browser.managed_policies")) return;
  auto policies = std::make_unique<protection::BrowserPolicyGuard>(
      platform::browserPolicyFiles("/"), safeSearch, checkInterval_);
  (void)policies->install();
  try {
    policyWatcher_.emplace(*policies, checks_);
  } catch (const platform::FileError& error) {
    spdlog::warn("{} Browser policies are checked every {} seconds instead.", error.what(),
                 inSeconds(checkInterval_).count());
  }
  checks_.add(std::move(policies));
}

void ProtectionAssembly::takeOverResolver() {
  try {
    // Only once the filter answers; without it the system keeps its own resolvers.
    if (filter_ == nullptr) {
      resolver_->restore();
      return;
    }
    // The network's resolvers, followed at every check, unless dns.upstreams names others.
    resolver_->followNetwork(
        [filter = filter_](std::vector<dns::Endpoint> upstreams) {
          filter->setUpstreams(std::move(upstreams));
        },
        !core_.settings.text("dns.upstreams").empty());
    resolver_->takeOver();
  } catch (const protection::ResolverError& error) {
    spdlog::error("{}", error.what());
  }
}

void ProtectionAssembly::addServices(runtime::ServiceGroup& group) {
  // Given back after the checks stop polling it, while the filter still answers.
  if (resolver_ != nullptr) {
    group.addAction(
        "the resolver take-over", [this] { takeOverResolver(); }, [this] { resolver_->restore(); });
  }
  // Removed before the resolver is given back: it would refuse the system's own resolvers.
  if (lockdown_ != nullptr) {
    group.addAction(
        "the outbound lock-down",
        [this] {
          try {
            lockdown_->install();
            spdlog::info(
                "Outbound DNS is locked down: only the filter's queries leave for port 53 and "
                "853 (nftables table {}).",
                protection::kLockdownTable);
          } catch (const protection::LockdownError& error) {
            spdlog::error("{} The agent tries again every {} seconds.", error.what(),
                          inSeconds(checkInterval_).count());
          }
        },
        [this] { lockdown_->remove(); });
  }
  if (policyWatcher_) {
    core_.progress.watch("browser policy watch", policyWatcher_->heartbeat(),
                         core_.stuckAfter() + protection::BrowserPolicyWatcher::kRewatch);
    group.addThread(
        "the browser policy watch", [this] { policyWatcher_->run(); },
        [this] { policyWatcher_->stop(); });
  }
}

}  // namespace clubsafe::agent::assembly
