#include "collector/mail/notification_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace clubsafe::collector {
namespace {

constexpr auto kFirstRetry = std::chrono::seconds(30);
constexpr auto kLongestRetry = std::chrono::minutes(15);
constexpr auto kRateWindow = std::chrono::hours(1);

// 30 s, 1 min, 2 min, … up to 15 min after the first, second, third failure.
std::chrono::seconds retryDelay(int failuresBefore) {
  auto delay = std::chrono::seconds(kFirstRetry);
  for (int i = 0; i < failuresBefore && delay < kLongestRetry; ++i) delay *= 2;
  return std::min<std::chrono::seconds>(delay, kLongestRetry);
}

std::vector<std::int64_t> idsOf(const std::vector<Notification>& notifications) {
  std::vector<std::int64_t> ids;
  ids.reserve(notifications.size());
  for (const auto& n : notifications) ids.push_back(n.id);
  return ids;
}

}  // namespace

NotificationService::NotificationService(NotificationStore& notifications, DeviceStore& devices,
                                         Mailer& mailer, MailSettings settings, MailContext context)
    : notifications_(notifications),
      devices_(devices),
      mailer_(mailer),
      settings_(std::move(settings)),
      context_(std::move(context)) {}

void NotificationService::runOnce(Timestamp now) {
  raiseSilentLaptops(now);
  std::vector<Notification> dsl;
  std::vector<Notification> lowerAlerts;
  std::vector<Notification> manager;
  for (auto& due : notifications_.listDue(now)) {
    if (due.audience == Audience::Manager) {
      manager.push_back(std::move(due));
    } else if (due.kind == "safeguarding_alert" && due.severity < settings_.alertThreshold) {
      lowerAlerts.push_back(std::move(due));
    } else {
      dsl.push_back(std::move(due));
    }
  }
  mailAtOnce(Audience::Dsl, dsl, now);
  mailAtOnce(Audience::Manager, manager, now);
  mailDigest(lowerAlerts, now);
}

bool NotificationService::open(Timestamp time) const {
  return context_.clubTime.overlap(utcHourOf(time)) != OpeningOverlap::Closed;
}

// A laptop counts as gone silent when it reported during today's opening hours and has sent
// nothing for silentAfter while the club is still open: a laptop left switched off all
// evening raises nothing, one whose agent is stopped mid-session does.
void NotificationService::raiseSilentLaptops(Timestamp now) {
  if (!context_.clubTime.hasOpeningHours() || !open(now)) return;
  const auto today = context_.clubTime.localDayOf(utcHourOf(now));
  for (const auto& device : devices_.listDevices()) {
    if (device.revoked || !device.lastSeen) continue;
    const auto lastSeen = *device.lastSeen;
    if (now - lastSeen < settings_.silentAfter || !open(lastSeen)) continue;
    if (context_.clubTime.localDayOf(utcHourOf(lastSeen)) != today) continue;
    notifications_.raiseLaptopSilent(device.id, lastSeen, now);
  }
}

const std::vector<std::string>& NotificationService::recipients(Audience audience) const {
  return audience == Audience::Dsl ? settings_.dslRecipients : settings_.managerRecipients;
}

void NotificationService::mailAtOnce(Audience audience, const std::vector<Notification>& due,
                                     Timestamp now) {
  if (due.empty()) return;
  if (!settings_.enabled() || recipients(audience).empty()) {
    notifications_.markMailed(audience, idsOf(due), MailVia::Unsent, now);
    return;
  }
  const auto sent = notifications_.countMailsSince(audience, now - kRateWindow);
  const auto allowed = std::max<std::int64_t>(settings_.maxPerHour - sent, 0);
  if (allowed == 0) return;  // the summary has gone; the rest wait for the window to move on
  const bool overLimit = static_cast<std::int64_t>(due.size()) > allowed;
  const auto alone = static_cast<std::size_t>(overLimit ? allowed - 1 : allowed);
  for (std::size_t i = 0; i < std::min(alone, due.size()); ++i) {
    const auto error = send(notificationMail(due[i], recipients(audience), context_), audience,
                            {due[i]}, MailVia::Alone, now);
    if (!error) continue;
    // The server is refusing: the rest wait for the same retry instead of each trying now.
    const std::vector<Notification> rest(due.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                                         due.end());
    if (!rest.empty()) {
      notifications_.recordFailure(idsOf(rest), *error, now,
                                   now + retryDelay(rest.front().attempts));
    }
    return;
  }
  if (!overLimit) return;
  const std::vector<Notification> held(due.begin() + static_cast<std::ptrdiff_t>(alone), due.end());
  (void)send(summaryMail(audience, held.size(), now + kRateWindow, settings_.maxPerHour,
                         recipients(audience), context_),
             audience, held, MailVia::Summary, now);
}

// The first digest hour (club time) after `time`.
Timestamp NotificationService::digestTimeAfter(Timestamp time) const {
  auto day = context_.clubTime.localDayOf(utcHourOf(time));
  const auto digestTimeOf = [&](std::chrono::local_days localDay) {
    return context_.clubTime.startOfLocalDay(localDay) + std::chrono::hours(settings_.digestHour);
  };
  if (digestTimeOf(day) <= time) day += std::chrono::days(1);
  return digestTimeOf(day);
}

void NotificationService::mailDigest(const std::vector<Notification>& lowerAlerts, Timestamp now) {
  if (lowerAlerts.empty()) return;
  if (!settings_.enabled() || settings_.dslRecipients.empty()) {
    notifications_.markMailed(Audience::Dsl, idsOf(lowerAlerts), MailVia::Unsent, now);
    return;
  }
  // The digest goes at the first digest hour after the oldest alert waiting for it.
  if (now < digestTimeAfter(lowerAlerts.front().raisedAt)) return;
  (void)send(digestMail(lowerAlerts, settings_.dslRecipients, context_), Audience::Dsl, lowerAlerts,
             MailVia::Digest, now);
}

std::optional<std::string> NotificationService::send(const MailMessage& message, Audience audience,
                                                     const std::vector<Notification>& carried,
                                                     MailVia via, Timestamp now) {
  try {
    mailer_.send(message);
  } catch (const MailError& error) {
    const int failuresBefore = carried.front().attempts;
    spdlog::warn("An e-mail to the {} could not be sent (try {}): {}",
                 audience == Audience::Dsl ? "DSLs" : "managers", failuresBefore + 1, error.what());
    notifications_.recordFailure(idsOf(carried), error.what(), now,
                                 now + retryDelay(failuresBefore));
    return error.what();
  }
  notifications_.markMailed(audience, idsOf(carried), via, now);
  return std::nullopt;
}

}  // namespace clubsafe::collector
