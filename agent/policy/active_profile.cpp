#include "agent/policy/active_profile.hpp"

#include <spdlog/spdlog.h>

namespace clubsafe::agent::policy {

ActiveProfile::Current ActiveProfile::setPolicy(std::shared_ptr<const dns::CompiledPolicy> policy) {
  const std::lock_guard lock(mutex_);
  policy_ = std::move(policy);
  return apply();
}

ActiveProfile::Current ActiveProfile::signIn(std::string_view ageBand) {
  const std::lock_guard lock(mutex_);
  ageBand_ = std::string(ageBand);
  if (policy_ && policy_->policy().profileForAgeBand(ageBand) == nullptr) {
    spdlog::info(
        "No profile of policy {} is for age band \"{}\": the default profile \"{}\" "
        "stays in force. Give the band to a profile in the console to change that.",
        policy_->policy().version, ageBand, policy_->policy().defaultProfile);
  }
  return apply();
}

ActiveProfile::Current ActiveProfile::signOut() {
  const std::lock_guard lock(mutex_);
  ageBand_.reset();
  return apply();
}

ActiveProfile::Current ActiveProfile::current() const {
  const std::lock_guard lock(mutex_);
  return describe();
}

ActiveProfile::Current ActiveProfile::apply() {
  if (policy_) {
    const auto& policy = policy_->policy();
    const auto* byBand = ageBand_ ? policy.profileForAgeBand(*ageBand_) : nullptr;
    filter_.install(policy_, byBand != nullptr ? byBand->id : policy.defaultProfile);
  }
  return describe();
}

ActiveProfile::Current ActiveProfile::describe() const {
  const auto inForce = filter_.inForce();
  if (!inForce.policy || inForce.profile == nullptr) return {0, {}, {}, ageBand_};
  return {inForce.policy->policy().version, inForce.profile->profile->id,
          inForce.profile->profile->name, ageBand_};
}

}  // namespace clubsafe::agent::policy
