#pragma once

#include "collector/storage/review_store.hpp"
#include "common/policy.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

// The rules of a review decision (SPEC C7, docs/POLICY.md "Filtering review"), apart from
// storage: what may be allowed, and how an allow changes the profiles' allow lists. Refusals
// throw FilteringError with words for the manager.
namespace clubsafe::collector::review {

// The longest a timed allow may last; longer is "for good".
inline constexpr std::chrono::minutes kMaxAllowMinutes = std::chrono::days(366);

// The site as the profiles' lists hold it (lower case, no trailing dot), or FilteringError.
[[nodiscard]] std::string siteName(std::string_view typed);

// Refuses (FilteringError) a site in an illegal-content category: `category` as the queue
// named it, `indexCategories` those the compiled lists give the site.
void refuseIllegalContent(std::string_view site, std::string_view category,
                          const std::vector<std::string>& indexCategories);

// Refuses an allow's duration outside 1 minute to kMaxAllowMinutes (none: for good), and any
// duration on a decision to keep a site blocked.
void checkDuration(ReviewVerdict verdict, std::optional<std::chrono::minutes> duration);

// Adds `site` to the allow list of the profiles in `scope` (a profile id or kAllProfiles).
// Returns the profiles whose entry this allow holds: those that had none, and those whose entry
// another review allow holds (`heldByReviews`), so the entry stays while either does; an entry
// the manager added by hand is never the review's. Refuses an unknown profile, and a profile
// whose blocked sites name `site` (a block entry beats an allow entry).
[[nodiscard]] std::vector<std::string> addAllowEntry(std::vector<common::Profile>& profiles,
                                                     const std::string& site,
                                                     std::string_view scope,
                                                     const std::set<std::string>& heldByReviews);

// Removes `site` from the allow list of the profiles in `holds` that still have it and that no
// other allow in force holds (`stillHeld`). Profiles deleted since are skipped.
void removeAllowEntry(std::vector<common::Profile>& profiles, const std::string& site,
                      const std::vector<std::string>& holds,
                      const std::set<std::string>& stillHeld);

// The profiles whose entry for `site` the allows in `allows` hold, leaving out `except`.
[[nodiscard]] std::set<std::string> heldProfiles(const std::vector<ReviewDecision>& allows,
                                                 const std::string& site,
                                                 const std::set<std::int64_t>& except = {});

}  // namespace clubsafe::collector::review
