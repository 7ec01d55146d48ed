#include "collector/review/review_service.hpp"

#include "collector/review/review_rules.hpp"
#include "common/time.hpp"

#include <algorithm>
#include <set>

namespace clubsafe::collector {
namespace {

constexpr const char* kSystemActor = "system";

std::string joined(const std::vector<std::string>& values) {
  std::string text;
  for (const auto& value : values) text += (text.empty() ? "" : ", ") + value;
  return text;
}

std::string scopeWords(std::string_view scope) {
  return scope == kAllProfiles ? std::string("every profile") : "profile " + std::string(scope);
}

// What the audit row says of a decision, beside its reason.
std::string decisionDetail(const ReviewDecision& decision) {
  if (decision.verdict == ReviewVerdict::KeepBlocked) return "kept blocked";
  std::string detail = "allowed for " + scopeWords(decision.scope);
  detail += decision.until ? " until " + common::formatTimestamp(*decision.until) : " for good";
  if (!decision.category.empty()) detail += " (category " + decision.category + ")";
  return detail;
}

ReviewEffect effectOf(const std::vector<common::Profile>& changed, const AuditEntry& audit,
                      const std::optional<PolicyDocument>& document) {
  if (!document) return audit;
  return ProfilesChange{.profiles = changed, .change = {.document = *document, .audit = audit}};
}

}  // namespace

std::vector<review::QueueItem> ReviewService::queue(Timestamp from, Timestamp to) {
  const auto requests = store_.reviewRequests(from, to, kMaxRequests);
  std::vector<std::string> asked;
  for (const auto& request : requests) {
    if (std::find(asked.begin(), asked.end(), request.domain) == asked.end()) {
      asked.push_back(request.domain);
    }
  }
  return review::buildQueue(requests, store_.blockedSites(from, to, kMostBlocked, asked),
                            store_.latestDecisions());
}

ReviewDecision ReviewService::decide(const DecisionInput& input, const ChangeAuthor& author,
                                     Timestamp now) {
  review::checkDuration(input.verdict, input.duration);
  if (!input.category.empty()) checkCategoryName(input.category);
  const bool allow = input.verdict == ReviewVerdict::Allow;
  ReviewDecision decision{.id = 0,
                          .decidedAt = now,
                          .decidedBy = author.actor,
                          .domain = review::siteName(input.site),
                          .category = input.category,
                          .verdict = input.verdict,
                          .scope = allow ? input.scope : std::string(kAllProfiles),
                          .until = {},
                          .holds = {},
                          .reason = author.reason,
                          .policyVersion = {},
                          .endedAt = {}};
  if (allow) {
    if (input.duration) decision.until = now + *input.duration;
    review::refuseIllegalContent(decision.domain, decision.category,
                                 filtering_.indexCategoriesOf(decision.domain));
  }

  std::lock_guard lock(mutex_);
  const auto held = review::heldProfiles(store_.activeAllows(), decision.domain);
  filtering_.changeProfiles(
      author, allow ? "review.allow" : "review.keep_blocked", decision.domain,
      [&](std::vector<common::Profile>& profiles) {
        if (allow)
          decision.holds = review::addAllowEntry(profiles, decision.domain, decision.scope, held);
        return decisionDetail(decision);
      },
      [&](const std::vector<common::Profile>& changed, const AuditEntry& audit,
          const std::optional<PolicyDocument>& document) {
        decision.id = store_.recordDecision(decision, effectOf(changed, audit, document));
        if (document) decision.policyVersion = document->version;
      });
  return decision;
}

std::size_t ReviewService::endDueAllows(Timestamp now) {
  std::lock_guard lock(mutex_);
  const auto active = store_.activeAllows();
  std::vector<ReviewDecision> due;
  std::copy_if(active.begin(), active.end(), std::back_inserter(due),
               [&](const ReviewDecision& allow) { return allow.until && *allow.until <= now; });
  if (due.empty()) return 0;
  std::set<std::int64_t> dueIds;
  std::vector<std::string> sites;
  for (const auto& allow : due) {
    dueIds.insert(allow.id);
    if (std::find(sites.begin(), sites.end(), allow.domain) == sites.end()) {
      sites.push_back(allow.domain);
    }
  }
  const ChangeAuthor system{kSystemActor, "The time the manager allowed ended."};
  filtering_.changeProfiles(
      system, "review.allow_end", joined(sites),
      [&](std::vector<common::Profile>& profiles) {
        for (const auto& allow : due) {
          review::removeAllowEntry(profiles, allow.domain, allow.holds,
                                   review::heldProfiles(active, allow.domain, dueIds));
        }
        return "timed allows ended: " + joined(sites);
      },
      [&](const std::vector<common::Profile>& changed, const AuditEntry& audit,
          const std::optional<PolicyDocument>& document) {
        store_.endAllows({dueIds.begin(), dueIds.end()}, now, effectOf(changed, audit, document));
      });
  return due.size();
}

}  // namespace clubsafe::collector
