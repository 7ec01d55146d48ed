#pragma once

#include "agent/dns/profile_filter.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace clubsafe::agent::policy {

// Which profile of the policy in force the DNS filter enforces: the policy's default, or the
// one listing the age band of the member signed in on this laptop (the sign-in seam). The only
// writer of the ProfileFilter; any thread may call it.
class ActiveProfile {
 public:
  explicit ActiveProfile(dns::ProfileFilter& filter) : filter_(filter) {}

  struct Current {
    std::int64_t policyVersion = 0;  // 0: the built-in profile, before any policy arrived
    std::string profileId;
    std::string profileName;
    std::optional<std::string> ageBand;  // of the member signed in
  };

  // Puts a new policy in force. A signed-in member stays on their band's profile when the new
  // policy still lists the band; otherwise the default applies.
  Current setPolicy(std::shared_ptr<const dns::CompiledPolicy> policy);
  // A member with `ageBand` signed in: the profile listing it, or the default (logged) when
  // no profile lists it.
  Current signIn(std::string_view ageBand);
  // Back to the default.
  Current signOut();
  [[nodiscard]] Current current() const;

 private:
  // With mutex_ held.
  Current apply();
  [[nodiscard]] Current describe() const;

  mutable std::mutex mutex_;
  dns::ProfileFilter& filter_;
  std::shared_ptr<const dns::CompiledPolicy> policy_;
  std::optional<std::string> ageBand_;
};

}  // namespace clubsafe::agent::policy
