#include "agent/assembly/agent_assembly.hpp"

namespace clubsafe::agent::assembly {

AgentAssembly::AgentAssembly(const AgentCore& core, tamper::RunMarker& runMarker)
    : upload_(std::make_unique<UploadAssembly>(core)),
      sources_(std::make_unique<SourcesAssembly>(core)),
      protection_(std::make_unique<ProtectionAssembly>(core, sources_->checks(), runMarker)) {
  FilterSettings filterSettings;
  try {
    filterSettings = readFilterSettings(core.settings, protection_->resolvConfForFilter());
    if (filterSettings.options) protection_->prepareLockdown(*filterSettings.options);
  } catch (const std::runtime_error& error) {  // dns::DnsError, protection::LockdownError
    protection_->giveResolverBack();
    throw ConfigError(error.what());
  }
  const bool filterEnabled = filterSettings.options.has_value();
  const auto safeSearch = filterSettings.safeSearch;
  policy_ = std::make_unique<PolicyAssembly>(core, safeSearch, filterEnabled);
  notices_ = std::make_unique<NoticesAssembly>(core, *policy_, sources_->loginSessions(),
                                               upload_->uploader());
  sources_->watchStuckSources(notices_->scheduler());
  dns_ = std::make_unique<DnsAssembly>(core, std::move(filterSettings), *policy_, *notices_,
                                       sources_->checks());
  protection_->protect(dns_->filter(), safeSearch);

  dns_->addServices(services_);
  notices_->addServices(services_);
  protection_->addServices(services_);
  sources_->addServices(services_);
  upload_->addServices(services_);
  policy_->addServices(services_, dns_->filter() != nullptr);
}

}  // namespace clubsafe::agent::assembly
