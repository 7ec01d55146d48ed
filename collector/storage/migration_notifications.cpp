#include "collector/storage/migration_notifications.hpp"

#include <string>

namespace clubsafe::collector {
namespace {

// One row per thing someone must be told of. audience: who ('dsl' for safeguarding alerts
// and worry reports, 'manager' for a laptop's health). device: the laptop's rollup_names number.
// Times are milliseconds since 1970 UTC. A row waits (mailed_at NULL) until mail_after, which a
// failed send moves on; `via` says how it went out: 'alone', in a 'digest', in a 'summary'
// when the rate limit held it back, or 'unsent' when no mail server is set up. A manager
// acknowledges a manager alert on the dashboard; a DSL works an alert in the alert queue.
constexpr std::string_view kNotifications = R"sql(
CREATE TABLE notifications (
  id              INTEGER PRIMARY KEY,
  audience        TEXT NOT NULL CHECK (audience IN ('dsl', 'manager')),
  kind            TEXT NOT NULL,
  severity        INTEGER NOT NULL,
  device          INTEGER NOT NULL,
  happened_at     INTEGER NOT NULL,
  raised_at       INTEGER NOT NULL,
  mail_after      INTEGER NOT NULL,
  mailed_at       INTEGER,
  via             TEXT CHECK (via IN ('alone', 'digest', 'summary', 'unsent')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT NOT NULL DEFAULT '',
  acknowledged_at INTEGER,
  acknowledged_by TEXT NOT NULL DEFAULT ''
))sql";

constexpr std::string_view kWaiting =
    "CREATE INDEX notifications_waiting ON notifications (mail_after) WHERE mailed_at IS NULL";
constexpr std::string_view kByAudience =
    "CREATE INDEX notifications_by_audience ON notifications (audience, raised_at)";

// Raised in the transaction that stores the event, so none is lost to a restart; a resent event
// is not inserted again and raises nothing. Types (event_types): 10 safeguarding alert,
// 11 outbox gap, 12 tamper, 16 worry report (severity 5: a young person asked for help),
// 18 filter self-test, of which only a failed one.
constexpr std::string_view kRaiseOnInsertHead = R"sql(
CREATE TRIGGER notification_for_new_event AFTER INSERT ON events
WHEN NEW.type IN (10, 11, 12, 16, 18)
)sql";
// The same condition as comparisons (migration 24): SQLite runs a row trigger's WHEN inside the
// trigger's own program, so it built the IN list's table (a B-tree of its own) anew for every
// event stored (docs/PERFORMANCE.md, "A club's year").
constexpr std::string_view kRaiseOnInsertByComparisonsHead = R"sql(
CREATE TRIGGER notification_for_new_event AFTER INSERT ON events
WHEN NEW.type = 10 OR NEW.type = 11 OR NEW.type = 12 OR NEW.type = 16 OR NEW.type = 18
)sql";
constexpr std::string_view kRaiseOnInsertBody = R"sql(BEGIN
  INSERT INTO notifications (audience, kind, severity, device, happened_at, raised_at, mail_after)
  SELECT CASE WHEN NEW.type IN (10, 16) THEN 'dsl' ELSE 'manager' END,
         CASE NEW.type WHEN 10 THEN 'safeguarding_alert' WHEN 11 THEN 'outbox_gap'
                       WHEN 12 THEN 'tamper' WHEN 16 THEN 'worry_report'
                       ELSE 'self_test_failed' END,
         CASE NEW.type WHEN 16 THEN 5
                       WHEN 10 THEN COALESCE(json_extract(NEW.payload, '$.severity'), 1)
                       ELSE 0 END,
         NEW.device, NEW.time, NEW.received_at, NEW.received_at
  WHERE NEW.type <> 18 OR json_extract(NEW.payload, '$.passed') = 0;
END)sql";

// A Migration holds views: the joined statements are kept for the program's life.
std::string_view raiseOnInsert() {
  static const std::string statement =
      std::string(kRaiseOnInsertHead) + std::string(kRaiseOnInsertBody);
  return statement;
}
std::string_view raiseOnInsertByComparisons() {
  static const std::string statement =
      std::string(kRaiseOnInsertByComparisonsHead) + std::string(kRaiseOnInsertBody);
  return statement;
}

std::string raisedAtLastSeen() {
  // The time in milliseconds as migration 13 worked it out from text; the event's own time
  // when its laptop has no last_seen (a row put in by hand).
  constexpr std::string_view kLastSeen =
      "COALESCE((SELECT CAST(round((julianday(d.last_seen) - 2440587.5) * 86400000) AS INTEGER) "
      "FROM devices d WHERE d.id = (SELECT name FROM rollup_names WHERE id = NEW.device)), "
      "NEW.time)";
  std::string body(kRaiseOnInsertBody);
  for (auto at = body.find("NEW.received_at"); at != std::string::npos;
       at = body.find("NEW.received_at", at)) {
    body.replace(at, std::string_view("NEW.received_at").size(), kLastSeen);
    at += kLastSeen.size();
  }
  return std::string(kRaiseOnInsertByComparisonsHead) + body;
}

// Every e-mail sent, for the rate limit and the dashboard.
constexpr std::string_view kMailsSent = R"sql(
CREATE TABLE mails_sent (
  id       INTEGER PRIMARY KEY,
  audience TEXT NOT NULL CHECK (audience IN ('dsl', 'manager')),
  via      TEXT NOT NULL CHECK (via IN ('alone', 'digest', 'summary')),
  sent_at  INTEGER NOT NULL,
  items    INTEGER NOT NULL
))sql";

constexpr std::string_view kMailsByTime =
    "CREATE INDEX mails_sent_by_audience ON mails_sent (audience, via, sent_at)";

// The newest failed send, kept after the notifications it held have gone out, so the dashboard
// can say when the mail server last refused.
constexpr std::string_view kLastFailure = R"sql(
CREATE TABLE mail_failures (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  at    INTEGER NOT NULL,
  error TEXT NOT NULL
))sql";

}  // namespace

std::string_view raiseOnInsertAtLastSeen() {
  static const std::string statement = raisedAtLastSeen();
  return statement;
}

Migration notifications() {
  return {20,
          "notifications: e-mails to the DSLs and managers",
          {kNotifications, kWaiting, kByAudience, raiseOnInsert(), kMailsSent, kMailsByTime,
           kLastFailure}};
}

Migration notificationTriggerByComparisons() {
  return {24,
          "the notifications' trigger tells the event types by comparisons, not an IN list",
          {"DROP TRIGGER notification_for_new_event", raiseOnInsertByComparisons()}};
}

}  // namespace clubsafe::collector
