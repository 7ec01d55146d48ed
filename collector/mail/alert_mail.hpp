#pragma once

#include "collector/club_time/club_time.hpp"
#include "collector/mail/mailer.hpp"
#include "collector/storage/notification_store.hpp"

#include <span>
#include <string>
#include <vector>

namespace clubsafe::collector {

// What every e-mail needs besides its notifications: where the console is and the club's
// local time, in which every time in a mail is written.
struct MailContext {
  std::string consoleUrl;  // e.g. https://clubserver:8443/
  const ClubTime& clubTime;
};

// The words of each e-mail (issue 12: "the mail says only that something needs looking at, with
// a link"). A DSL's e-mail never holds a name, a search or a message: e-mail is not a safe place
// for them, and they are one sign-in away. A manager's names the laptop, which is not personal.

// One notification on its own.
[[nodiscard]] MailMessage notificationMail(const Notification& notification,
                                           std::vector<std::string> to, const MailContext& context);
// Notifications the rate limit held back, with when single e-mails resume.
[[nodiscard]] MailMessage summaryMail(Audience audience, std::size_t count, Timestamp resumesAt,
                                      int maxPerHour, std::vector<std::string> to,
                                      const MailContext& context);
// The day's lower-severity alerts.
[[nodiscard]] MailMessage digestMail(std::span<const Notification> alerts,
                                     std::vector<std::string> to, const MailContext& context);

}  // namespace clubsafe::collector
