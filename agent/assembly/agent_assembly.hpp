#pragma once

#include "agent/assembly/agent_core.hpp"
#include "agent/assembly/dns_assembly.hpp"
#include "agent/assembly/notices_assembly.hpp"
#include "agent/assembly/policy_assembly.hpp"
#include "agent/assembly/protection_assembly.hpp"
#include "agent/assembly/sources_assembly.hpp"
#include "agent/assembly/upload_assembly.hpp"
#include "agent/runtime/service.hpp"
#include "agent/tamper/run_marker.hpp"

#include <memory>

namespace clubsafe::agent::assembly {

// The running agent: every subsystem built from the settings, and their services in one group.
// The group starts the DNS filter first and the policy fetch last, so stopping it ends the
// fetch and the uploads first, then recording, then gives the system its resolver back while
// the filter still answers, and stops the filter last.
class AgentAssembly {
 public:
  // Throws ConfigError, having changed nothing it leaves behind, when a setting is wrong.
  AgentAssembly(const AgentCore& core, tamper::RunMarker& runMarker);

  [[nodiscard]] runtime::ServiceGroup& services() { return services_; }

 private:
  std::unique_ptr<UploadAssembly> upload_;
  std::unique_ptr<SourcesAssembly> sources_;
  std::unique_ptr<ProtectionAssembly> protection_;
  std::unique_ptr<PolicyAssembly> policy_;
  std::unique_ptr<NoticesAssembly> notices_;
  std::unique_ptr<DnsAssembly> dns_;
  // Last, so it is stopped before any subsystem goes away.
  runtime::ServiceGroup services_;
};

}  // namespace clubsafe::agent::assembly
