#include "collector/subscriptions/subscription_service.hpp"

#include "common/crypto.hpp"
#include "common/time.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace clubsafe::collector {
namespace {

using Kind = FilteringError::Kind;

constexpr std::size_t kMaxUrlLength = 2000;
constexpr std::size_t kMaxSourceLength = 100;
constexpr const char* kSystemActor = "system";

[[noreturn]] void refuse(Kind kind, const std::string& message) {
  throw FilteringError(kind, message);
}

// The address as it will be fetched, or FilteringError.
Poco::URI checkedUrl(const std::string& url) {
  const auto refusal =
      "Give the list's full address, starting with https:// (or http://), such as "
      "https://example.org/blocklist.txt.";
  if (url.empty() || url.size() > kMaxUrlLength) refuse(Kind::Invalid, refusal);
  try {
    Poco::URI uri(url);
    if ((uri.getScheme() != "https" && uri.getScheme() != "http") || uri.getHost().empty() ||
        !uri.getUserInfo().empty()) {
      refuse(Kind::Invalid, refusal);
    }
    return uri;
  } catch (const Poco::SyntaxException&) {
    refuse(Kind::Invalid, refusal);
  }
}

// The filter list's source name: where it comes from, within the 100 characters a source has.
std::string sourceFor(const Poco::URI& uri) {
  auto source = "subscription/" + uri.getHost() + uri.getPath();
  if (source.size() > kMaxSourceLength) source.resize(kMaxSourceLength);
  return source;
}

bool due(const SubscriptionRecord& subscription, Timestamp now) {
  if (!subscription.checkedAt) return true;
  const auto hours = subscription.failure.empty()
                         ? subscription.refreshHours
                         : std::min(subscription.refreshHours, SubscriptionService::kRetryHours);
  return *subscription.checkedAt + std::chrono::hours(hours) <= now;
}

}  // namespace

std::int64_t SubscriptionService::subscribe(const NewSubscription& subscription,
                                            const ChangeAuthor& author, Timestamp now) {
  if (author.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    refuse(Kind::Invalid, "Say why you are subscribing: the reason goes into the audit log.");
  }
  const auto uri = checkedUrl(subscription.url);
  checkListFormat(subscription.format);
  checkCategoryName(subscription.category);
  if (subscription.refreshHours < kMinRefreshHours ||
      subscription.refreshHours > kMaxRefreshHours) {
    refuse(Kind::Invalid, "Choose a refresh every 1 hour to every 4 weeks.");
  }
  SubscriptionRecord record;
  record.url = uri.toString();
  record.format = subscription.format;
  record.category = subscription.category;
  record.source = sourceFor(uri);
  record.refreshHours = subscription.refreshHours;
  record.maxBytes = static_cast<std::int64_t>(maxBytes_);
  record.createdBy = author.actor;
  record.createdAt = now;
  const AuditEntry audit{.time = now,
                         .actor = author.actor,
                         .action = "subscription.add",
                         .target = record.url,
                         .detail = record.category + "/" + record.source + " (" + record.format +
                                   "), every " + std::to_string(record.refreshHours) + " hours",
                         .reason = author.reason};
  try {
    return store_.addSubscription(record, audit);
  } catch (const std::runtime_error& error) {
    refuse(Kind::Conflict, error.what());
  }
}

void SubscriptionService::unsubscribe(std::int64_t id, const ChangeAuthor& author) {
  if (author.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    refuse(Kind::Invalid,
           "Say why you are ending the subscription: the reason goes into the "
           "audit log.");
  }
  const auto found = store_.findSubscription(id);
  if (!found) refuse(Kind::NotFound, "There is no such subscription.");
  const AuditEntry audit{.time = common::nowUtc(),
                         .actor = author.actor,
                         .action = "subscription.delete",
                         .target = found->url,
                         .detail = "the list " + found->category + "/" + found->source +
                                   " stays until it is deleted on the Filtering page",
                         .reason = author.reason};
  if (!store_.deleteSubscription(id, audit)) {
    refuse(Kind::NotFound, "There is no such subscription.");
  }
}

SubscriptionRecord SubscriptionService::refresh(std::int64_t id, Timestamp now) {
  const auto found = store_.findSubscription(id);
  if (!found) refuse(Kind::NotFound, "There is no such subscription.");
  {
    std::lock_guard lock(mutex_);
    refresh(*found, now);
  }
  return store_.findSubscription(id).value_or(*found);
}

std::size_t SubscriptionService::refreshDue(Timestamp now) {
  std::size_t tried = 0;
  for (const auto& subscription : store_.listSubscriptions()) {
    if (!due(subscription, now)) continue;
    std::lock_guard lock(mutex_);
    refresh(subscription, now);
    ++tried;
  }
  return tried;
}

void SubscriptionService::refresh(const SubscriptionRecord& subscription, Timestamp now) {
  // Validators only while the last good copy is still imported: after the manager deleted the
  // list, "not modified" would leave the category empty.
  const auto lists = lists_.listFilterLists();
  const bool imported = std::any_of(lists.begin(), lists.end(), [&](const FilterListRecord& list) {
    return list.category == subscription.category && list.source == subscription.source &&
           list.sha256 == subscription.sha256;
  });
  const auto fetched = fetch_({.url = subscription.url,
                               .etag = imported ? subscription.etag : std::string(),
                               .lastModified = imported ? subscription.lastModified : std::string(),
                               .maxBytes = static_cast<std::size_t>(subscription.maxBytes),
                               .timeout = std::chrono::seconds(60)});
  SubscriptionCheck check;
  check.at = now;
  if (fetched.outcome == FetchResult::Outcome::Failed) {
    check.failure = fetched.problem;
  } else if (fetched.outcome == FetchResult::Outcome::Fetched) {
    check.sha256 = common::sha256Hex(fetched.body);
    check.etag = fetched.etag;
    check.lastModified = fetched.lastModified;
    if (!imported || check.sha256 != subscription.sha256) {
      try {
        (void)filtering_.importLists(
            {{subscription.category, subscription.source, subscription.format, fetched.body}},
            {kSystemActor, "The subscribed list at " + subscription.url + " changed."});
        check.changed = true;
      } catch (const FilteringError& error) {
        check = SubscriptionCheck();
        check.at = now;
        check.failure = std::string("The new copy was not imported, so the last good one stays: ") +
                        error.what();
      }
    }
  }
  if (!check.failure.empty()) {
    spdlog::warn("The list subscription {} could not be refreshed: {}", subscription.id,
                 check.failure);
  }
  store_.recordCheck(subscription.id, check);
}

}  // namespace clubsafe::collector
