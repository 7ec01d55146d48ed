#include "collector/review/review_rules.hpp"

#include "collector/filtering/filtering_service.hpp"
#include "common/category_catalogue.hpp"
#include "common/domain_index/domain_name.hpp"

#include <algorithm>

namespace clubsafe::collector::review {
namespace {

using Kind = FilteringError::Kind;

[[noreturn]] void refuse(Kind kind, const std::string& message) {
  throw FilteringError(kind, message);
}

bool inScope(const common::Profile& profile, std::string_view scope) {
  return scope == kAllProfiles || profile.id == scope;
}

bool holdsEntry(const std::vector<std::string>& list, const std::string& site) {
  return std::find(list.begin(), list.end(), site) != list.end();
}

}  // namespace

std::string siteName(std::string_view typed) {
  const auto name = common::domain_index::NormalisedName::from(typed);
  if (!name.ok()) {
    refuse(Kind::Invalid, "\"" + std::string(typed.substr(0, 100)) +
                              "\" is not the name of a website. Give a name such as example.com.");
  }
  return std::string(name.view());
}

void refuseIllegalContent(std::string_view site, std::string_view category,
                          const std::vector<std::string>& indexCategories) {
  auto illegal = std::string(category);
  if (!common::isAlwaysBlockedCategory(illegal)) {
    const auto found = std::find_if(indexCategories.begin(), indexCategories.end(),
                                    common::isAlwaysBlockedCategory);
    illegal = found == indexCategories.end() ? std::string() : *found;
  }
  if (illegal.empty()) return;
  const auto* text = common::findCategory(illegal);
  refuse(Kind::Invalid, std::string(site) + " can't be allowed: it is on the list of " +
                            std::string(text ? text->name : illegal) +
                            ", which the law requires us to block for everyone. Keep it blocked.");
}

void checkDuration(ReviewVerdict verdict, std::optional<std::chrono::minutes> duration) {
  if (!duration) return;
  if (verdict == ReviewVerdict::KeepBlocked) {
    refuse(Kind::Invalid,
           "A decision to keep a site blocked has no end time. Leave the time out, or allow the "
           "site for a while instead.");
  }
  if (*duration < std::chrono::minutes(1) || *duration > kMaxAllowMinutes) {
    refuse(Kind::Invalid,
           "An allow for a time lasts from 1 minute to a year. For longer, allow it for good.");
  }
}

std::vector<std::string> addAllowEntry(std::vector<common::Profile>& profiles,
                                       const std::string& site, std::string_view scope,
                                       const std::set<std::string>& heldByReviews) {
  const bool known = std::any_of(profiles.begin(), profiles.end(),
                                 [&](const auto& profile) { return inScope(profile, scope); });
  if (!known) {
    refuse(Kind::NotFound, "There is no profile \"" + std::string(scope) +
                               "\". Reload the page and choose one of the profiles shown.");
  }
  std::vector<std::string> holds;
  for (auto& profile : profiles) {
    if (!inScope(profile, scope)) continue;
    if (holdsEntry(profile.block, site)) {
      refuse(Kind::Invalid, site + " is on the blocked sites of the profile \"" + profile.name +
                                "\", which beats an allow. Remove it there first (Filtering "
                                "page), or allow it for another profile.");
    }
    if (!holdsEntry(profile.allow, site)) {
      profile.allow.push_back(site);
      holds.push_back(profile.id);
    } else if (heldByReviews.contains(profile.id)) {
      holds.push_back(profile.id);
    }
  }
  return holds;
}

void removeAllowEntry(std::vector<common::Profile>& profiles, const std::string& site,
                      const std::vector<std::string>& holds,
                      const std::set<std::string>& stillHeld) {
  for (auto& profile : profiles) {
    if (!holdsEntry(holds, profile.id) || stillHeld.contains(profile.id)) continue;
    std::erase(profile.allow, site);
  }
}

std::set<std::string> heldProfiles(const std::vector<ReviewDecision>& allows,
                                   const std::string& site, const std::set<std::int64_t>& except) {
  std::set<std::string> held;
  for (const auto& allow : allows) {
    if (allow.domain != site || except.contains(allow.id)) continue;
    held.insert(allow.holds.begin(), allow.holds.end());
  }
  return held;
}

}  // namespace clubsafe::collector::review
