#pragma once

#include "collector/club_time/club_time.hpp"
#include "collector/mail/alert_mail.hpp"
#include "collector/mail/mail_settings.hpp"
#include "collector/mail/mailer.hpp"
#include "collector/storage/device_store.hpp"
#include "collector/storage/notification_store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace clubsafe::collector {

// Tells people what the notifications say (docs/ARCHITECTURE.md, "Notifications"): raises the
// managers' alerts for laptops gone silent during opening hours, e-mails each DSL alert at or
// above the threshold and each worry report at once, the lower ones in a daily digest, and
// each manager alert at once; past the hourly limit one summary says how many more wait. A
// failed send is tried again later, each time waiting longer, and the dashboard shows it.
class NotificationService {
 public:
  NotificationService(NotificationStore& notifications, DeviceStore& devices, Mailer& mailer,
                      MailSettings settings, MailContext context);

  // One round; the collector runs it every mail.check_interval.
  void runOnce(Timestamp now);

 private:
  void raiseSilentLaptops(Timestamp now);
  void mailAtOnce(Audience audience, const std::vector<Notification>& due, Timestamp now);
  void mailDigest(const std::vector<Notification>& lowerAlerts, Timestamp now);
  // Sends and records the outcome; the mail server's refusal, if it refused.
  std::optional<std::string> send(const MailMessage& message, Audience audience,
                                  const std::vector<Notification>& carried, MailVia via,
                                  Timestamp now);
  [[nodiscard]] bool open(Timestamp time) const;
  [[nodiscard]] Timestamp digestTimeAfter(Timestamp time) const;
  [[nodiscard]] const std::vector<std::string>& recipients(Audience audience) const;

  NotificationStore& notifications_;
  DeviceStore& devices_;
  Mailer& mailer_;
  MailSettings settings_;
  MailContext context_;
};

}  // namespace clubsafe::collector
