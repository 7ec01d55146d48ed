#pragma once

#include "common/event.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace clubsafe::collector {

using common::Timestamp;

// Who a notification is for: the DSLs (safeguarding alerts and worry reports, SPEC C8) or the
// managers (a laptop's health: silence, a failed filter self-test, tampering, an outbox gap).
enum class Audience { Dsl, Manager };

// How e-mail carried a notification: on its own, in the daily digest of lower severities, in a
// summary when the rate limit held it back, or not at all (no mail server or no recipient).
enum class MailVia { Alone, Digest, Summary, Unsent };

// Something someone must be told of (migration 20). Raised as the event is stored, or by the
// collector itself for a laptop gone silent.
struct Notification {
  std::int64_t id = 0;
  Audience audience = Audience::Dsl;
  std::string kind;      // safeguarding_alert, worry_report, tamper, outbox_gap,
                         // self_test_failed, laptop_silent
  int severity = 0;      // 1-5 for the DSL's; 0 for a manager's
  std::string deviceId;  // the laptop
  std::string laptopName;
  Timestamp happenedAt{};  // on the laptop (for a silent laptop: when it was last heard)
  Timestamp raisedAt{};    // at the collector
  int attempts = 0;        // failed sends so far
  std::optional<Timestamp> acknowledgedAt;
  std::string acknowledgedBy;

  friend bool operator==(const Notification&, const Notification&) = default;
};

// How e-mail is going, for the dashboard: a failing mail server must not go unseen.
struct MailStatus {
  std::int64_t waiting = 0;  // not sent yet
  std::int64_t failing = 0;  // of those, ones whose last send failed
  std::string lastError;     // the newest failure's message
  std::optional<Timestamp> lastFailureAt;
  std::optional<Timestamp> lastSentAt;
};

// Notifications and the e-mails that carry them. Implementations are safe to call from many
// threads.
class NotificationStore {
 public:
  virtual ~NotificationStore() = default;

  // Waiting notifications whose time to be mailed has come, oldest first.
  virtual std::vector<Notification> listDue(Timestamp now) = 0;
  // Marks them sent in one e-mail (counted for the rate limit) or, with Unsent, settled
  // without one.
  virtual void markMailed(Audience audience, std::span<const std::int64_t> ids, MailVia via,
                          Timestamp at) = 0;
  // A failed send: they wait until `retryAt` and the dashboard shows `error`.
  virtual void recordFailure(std::span<const std::int64_t> ids, const std::string& error,
                             Timestamp at, Timestamp retryAt) = 0;
  // E-mails sent to an audience after a moment, digests left out (the rate limit's count).
  virtual std::int64_t countMailsSince(Audience audience, Timestamp since) = 0;
  // A manager alert for a laptop last heard at `lastSeen`, once for that silence.
  virtual void raiseLaptopSilent(const std::string& deviceId, Timestamp lastSeen,
                                 Timestamp now) = 0;

  // The managers' alerts, newest first; acknowledged ones only when asked.
  virtual std::vector<Notification> listManagerAlerts(bool withAcknowledged, std::size_t limit) = 0;
  // False when there is no such manager alert or it was acknowledged already.
  virtual bool acknowledgeManagerAlert(std::int64_t id, const std::string& by, Timestamp at) = 0;
  virtual MailStatus mailStatus() = 0;
};

}  // namespace clubsafe::collector
