#include "collector/mail/alert_mail.hpp"

#include <date/date.h>

#include <algorithm>

namespace clubsafe::collector {
namespace {

constexpr std::string_view kPrivacy =
    "This e-mail does not say who it is about or what was written, on purpose: e-mail is not a "
    "safe place for that. You will see everything when you sign in.\n";

// "19:42 on Sunday 6 December 2026", in the club's time.
std::string clubTimeText(Timestamp time, const ClubTime& clubTime) {
  const auto local = clubTime.toLocal(time);
  const date::local_seconds asDate(date::local_seconds::duration(local.time_since_epoch().count()));
  auto text = date::format("%H:%M on %A %d %B %Y", asDate);
  // "06 December" reads as "6 December".
  if (const auto on = text.find(" on "); on != std::string::npos) {
    const auto dayAt = text.find(' ', on + 4) + 1;
    if (dayAt < text.size() && text[dayAt] == '0') text.erase(dayAt, 1);
  }
  return text;
}

// A laptop's name as one line: names are the club's own, but never let one break the layout.
std::string oneLine(std::string text) {
  std::ranges::replace_if(
      text, [](char c) { return static_cast<unsigned char>(c) < ' ' || c == '\x7f'; }, ' ');
  return text;
}

std::string link(const MailContext& context, std::string_view page) {
  auto url = context.consoleUrl;
  if (url.empty() || url.back() != '/') url += '/';
  return url + "#/" + std::string(page);
}

struct Words {
  std::string subject;
  std::string what;  // the first paragraph
  std::string page;  // the console page to open
};

Words dslWords(const Notification& n, const std::string& when) {
  if (n.kind == "worry_report") {
    return {"clubsafe: a young person has asked for help",
            "A young person sent a worry report from a club laptop at " + when + ".", "alerts"};
  }
  return {"clubsafe: a safeguarding alert needs looking at",
          "A club laptop raised a safeguarding alert of severity " + std::to_string(n.severity) +
              " (of 5) at " + when + ".",
          "alerts"};
}

Words managerWords(const Notification& n, const std::string& when) {
  const auto laptop = "The laptop \"" + oneLine(n.laptopName) + "\"";
  if (n.kind == "tamper") {
    return {"clubsafe: a laptop's protection was changed",
            laptop + " reported at " + when +
                " that its protection was changed or switched off (tampering).",
            "devices"};
  }
  if (n.kind == "outbox_gap") {
    return {"clubsafe: a laptop lost some of its records",
            laptop + " reported at " + when +
                " that it had to drop records it could not send: its store was full.",
            "devices"};
  }
  if (n.kind == "self_test_failed") {
    return {"clubsafe: a laptop's filtering check failed",
            laptop + " checked its filtering at " + when +
                " and the check failed: filtering may not be working on it.",
            "devices"};
  }
  return {"clubsafe: a laptop has stopped reporting",
          laptop + " has sent nothing since " + when +
              " while the club is open. It may be switched off or off the network, or clubsafe "
              "may have been stopped on it.",
          "devices"};
}

}  // namespace

MailMessage notificationMail(const Notification& notification, std::vector<std::string> to,
                             const MailContext& context) {
  const auto when = clubTimeText(notification.happenedAt, context.clubTime);
  const auto words = notification.audience == Audience::Dsl ? dslWords(notification, when)
                                                            : managerWords(notification, when);
  auto body = words.what + "\n\nPlease sign in to clubsafe to look at it:\n" +
              link(context, words.page) + "\n";
  if (notification.audience == Audience::Dsl) body += "\n" + std::string(kPrivacy);
  return {.to = std::move(to), .subject = words.subject, .body = std::move(body)};
}

MailMessage summaryMail(Audience audience, std::size_t count, Timestamp resumesAt, int maxPerHour,
                        std::vector<std::string> to, const MailContext& context) {
  const bool dsl = audience == Audience::Dsl;
  auto body = std::to_string(count) +
              (dsl ? " more alerts and worry reports need looking at."
                   : " more problems with laptops need looking at.") +
              "\n\nSo that your inbox stays usable, clubsafe sends at most " +
              std::to_string(maxPerHour) + " e-mails an hour and has paused single e-mails until " +
              clubTimeText(resumesAt, context.clubTime) +
              ". Nothing is lost: all of them are in the console.\n\n" +
              link(context, dsl ? "alerts" : "dashboard") + "\n";
  if (dsl) body += "\n" + std::string(kPrivacy);
  return {.to = std::move(to),
          .subject = dsl ? "clubsafe: more alerts are waiting" : "clubsafe: more laptop problems",
          .body = std::move(body)};
}

MailMessage digestMail(std::span<const Notification> alerts, std::vector<std::string> to,
                       const MailContext& context) {
  int highest = 0;
  for (const auto& alert : alerts) highest = std::max(highest, alert.severity);
  auto body = std::to_string(alerts.size()) +
              " lower-level safeguarding alerts (the highest of severity " +
              std::to_string(highest) +
              " of 5) arrived since the last summary. None needed an e-mail at once, but please "
              "look through them in the alert queue:\n" +
              link(context, "alerts") + "\n\n" + std::string(kPrivacy);
  return {.to = std::move(to),
          .subject = "clubsafe: daily summary of lower-level alerts",
          .body = std::move(body)};
}

}  // namespace clubsafe::collector
