#include "agent/protection/protection_settings.hpp"

#include <array>

namespace clubsafe::agent::protection {
namespace {

using common::SettingType;

constexpr std::array<common::SettingSpec, 2> kTakeoverSettings{{
    {"dns.take_over_resolver", SettingType::Boolean, "true",
     "Make the DNS filter this laptop's resolver (only when dns.port is 53): the system's own "
     "resolvers are noted in resolver-previous.json and forwarded to, /etc/resolv.conf (and "
     "systemd-resolved or NetworkManager) point at the filter and are put back if changed, and "
     "the system gets its own settings back when the agent stops."},
    {"browser.managed_policies", SettingType::Boolean, "true",
     "Keep Chromium's, Chrome's and Firefox's managed policies in place (only when dns.port is "
     "53): their own DNS-over-HTTPS and private windows off, Google safe search and YouTube "
     "restricted mode as filter.safe_search says."},
}};

constexpr std::array<common::SettingSpec, 3> kProtectionSettings{{
    {"protection.check_interval", SettingType::Seconds, "30",
     "Seconds (at least 1) between checks that the resolver settings and browser policies are "
     "still in place; anything changed is put back and reported as tampering."},
    {"protection.outbound_lockdown", SettingType::Boolean, "true",
     "While the DNS filter is the system's resolver (dns.port 53), keep an nftables table that "
     "lets only the filter's own queries out to port 53 and 853 and refuses public DNS-over-HTTPS "
     "resolvers (docs/CIRCUMVENTION.md); removed on a clean stop."},
    {"protection.blocked_resolvers", SettingType::Text, "",
     "More resolver addresses or ranges for the lock-down to refuse, separated by commas (for "
     "example 192.0.2.53, 2001:db8::/48), besides its built-in list of public ones."},
}};

}  // namespace

std::span<const common::SettingSpec> takeoverSettings() {
  return kTakeoverSettings;
}

std::span<const common::SettingSpec> protectionSettings() {
  return kProtectionSettings;
}

}  // namespace clubsafe::agent::protection
