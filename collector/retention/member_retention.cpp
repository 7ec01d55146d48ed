#include "collector/retention/member_retention.hpp"

#include "common/policy.hpp"

#include <spdlog/spdlog.h>

#include <set>

namespace clubsafe::collector {

std::size_t removeLapsedMembers(FilteringStore& store, ReadModel& readModel,
                                FilteringService& filtering, std::chrono::days keepFor,
                                common::Timestamp now) {
  const auto cutoff = now - keepFor;
  std::set<std::string> seen;
  for (const auto& name : readModel.membersSignedInBetween(cutoff, now)) {
    seen.insert(common::memberKey(name));
  }
  std::size_t removed = 0;
  for (const auto& member : store.listMembers()) {
    if (member.createdAt >= cutoff || seen.contains(common::memberKey(member.name))) continue;
    try {
      filtering.deleteMember(
          member.id, {.actor = "system",
                      .reason = "Not signed in on any laptop for " +
                                std::to_string(keepFor.count()) + " days (retention.member_days)"});
      ++removed;
    } catch (const FilteringError& error) {
      // Removed by someone else meanwhile: nothing left to do.
      spdlog::debug("A lapsed member was not removed: {}", error.what());
    }
  }
  if (removed > 0) {
    spdlog::info("Took {} members off the register: none signed in for {} days.", removed,
                 keepFor.count());
  }
  return removed;
}

}  // namespace clubsafe::collector
