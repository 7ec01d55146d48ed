#include "agent/notices/member_register.hpp"

#include <algorithm>

namespace clubsafe::agent::notices {

std::optional<std::string> registeredAgeBand(const common::Policy& policy, std::string_view name) {
  const auto key = common::memberKey(name);
  const auto found =
      std::find_if(policy.members.begin(), policy.members.end(),
                   [&key](const auto& member) { return common::memberKey(member.name) == key; });
  if (found == policy.members.end()) return std::nullopt;
  return found->ageBand;
}

bool choosableWithoutRegister(const common::Policy& policy, std::string_view band) {
  const auto* chosen = policy.profileForAgeBand(band);
  const auto* fallback = policy.findProfile(policy.defaultProfile);
  if (chosen == nullptr || fallback == nullptr) return false;
  if (chosen == fallback) return true;
  // A default profile without bands gives nothing to compare with: only the register decides.
  return !fallback->ageBands.empty() &&
         std::all_of(fallback->ageBands.begin(), fallback->ageBands.end(),
                     [start = common::ageBandStart(band)](const std::string& defaultBand) {
                       return start < common::ageBandStart(defaultBand);
                     });
}

}  // namespace clubsafe::agent::notices
