#include "agent/assembly/agent_settings.hpp"

#include "agent/dns/dns_settings.hpp"
#include "agent/notices/notice_settings.hpp"
#include "agent/outbox/outbox_settings.hpp"
#include "agent/policy/policy_settings.hpp"
#include "agent/protection/protection_settings.hpp"
#include "agent/sources/source_settings.hpp"
#include "agent/tamper/tamper_settings.hpp"
#include "agent/upload/upload_settings.hpp"

#include <array>
#include <vector>

namespace clubsafe::agent {
namespace {

using common::SettingType;

constexpr std::array<common::SettingSpec, 1> kAgentSettings{{
    {"agent.state_dir", SettingType::Text, "/var/lib/clubsafe/agent",
     "Where the agent keeps its credentials (credentials.json), its outbox (outbox.db) and the "
     "collector's filtering policy and domain index (policy.json, domains.index)."},
}};

}  // namespace

std::span<const common::SettingSpec> agentSettings() {
  // In the order --help-settings has always listed them.
  static const auto table = [] {
    std::vector<common::SettingSpec> joined;
    for (const auto part :
         {std::span<const common::SettingSpec>(kAgentSettings), upload::uploadSettings(),
          outbox::outboxSettings(), tamper::tamperSettings(), sources::sourceSettings(),
          dns::dnsSettings(), policy::policySettings(), protection::takeoverSettings(),
          notices::noticeSettings(), protection::protectionSettings()}) {
      joined.insert(joined.end(), part.begin(), part.end());
    }
    return joined;
  }();
  return table;
}

}  // namespace clubsafe::agent
