#include "collector/storage/migration_alert_cases.hpp"

namespace clubsafe::collector {
namespace {

// One row per alert event, (device, seq) naming it in events. The event's time, account, member,
// severity and rule are copied here (names as rollup_names numbers): retention may delete the
// event, and the queue, its history and the false-positive counts must outlive it. kind: 'alert'
// (type 10) or 'worry' (type 16), which counts as severity 5 because a young person asked for help.
constexpr std::string_view kAlertCases = R"sql(
CREATE TABLE alert_cases (
  id          INTEGER PRIMARY KEY,
  device      INTEGER NOT NULL,
  seq         INTEGER NOT NULL,
  time        INTEGER NOT NULL,
  os_user     INTEGER,
  member      INTEGER,
  kind        TEXT NOT NULL CHECK (kind IN ('alert', 'worry')),
  severity    INTEGER NOT NULL,
  category    TEXT NOT NULL,
  phrase      TEXT NOT NULL,
  rule        TEXT NOT NULL,
  state       TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'acknowledged', 'escalated',
                                                          'closed_no_concern',
                                                          'closed_false_positive')),
  assigned_to TEXT NOT NULL DEFAULT '',
  incident_id INTEGER,
  UNIQUE (device, seq)
))sql";

constexpr std::string_view kQueueOrder =
    "CREATE INDEX alert_cases_ranked ON alert_cases (severity DESC, time, id)";

// An alert case's columns from its event, as the trigger and the first fill both read them.
constexpr std::string_view kCaseSource = R"sql(
CREATE VIEW alert_case_source AS
SELECT device, seq, time, os_user, member,
       CASE type WHEN 16 THEN 'worry' ELSE 'alert' END AS kind,
       CASE type WHEN 16 THEN 5 ELSE COALESCE(json_extract(payload, '$.severity'), 1) END
         AS severity,
       COALESCE(json_extract(payload, '$.category'), '') AS category,
       COALESCE(json_extract(payload, '$.phrase'), '') AS phrase,
       COALESCE(json_extract(payload, '$.rule'), '') AS rule
FROM events WHERE type IN (10, 16))sql";

// Cases are opened as the events are stored: a resent event is not inserted again (the event
// store's ON CONFLICT DO NOTHING), so it opens no second case.
constexpr std::string_view kOpenCaseOnInsert = R"sql(
CREATE TRIGGER alert_case_for_new_event AFTER INSERT ON events
WHEN NEW.type IN (10, 16)
BEGIN
  INSERT OR IGNORE INTO alert_cases (device, seq, time, os_user, member, kind, severity, category,
                                     phrase, rule)
  SELECT * FROM alert_case_source WHERE device = NEW.device AND seq = NEW.seq;
END)sql";

constexpr std::string_view kCasesForEarlierEvents = R"sql(
INSERT INTO alert_cases (device, seq, time, os_user, member, kind, severity, category, phrase,
                         rule)
SELECT * FROM alert_case_source ORDER BY time)sql";

constexpr std::string_view kNoCaseDeleted = R"sql(
CREATE TRIGGER alert_cases_never_deleted BEFORE DELETE ON alert_cases
BEGIN SELECT RAISE(ABORT, 'alert cases are never deleted'); END)sql";

// from_state = to_state for an assignment. note: a close's reason, the assignee, the incident.
constexpr std::string_view kHistory = R"sql(
CREATE TABLE alert_history (
  id         INTEGER PRIMARY KEY,
  alert_id   INTEGER NOT NULL REFERENCES alert_cases (id),
  at         TEXT NOT NULL,
  by         TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state   TEXT NOT NULL,
  note       TEXT NOT NULL
))sql";

constexpr std::string_view kHistoryByAlert =
    "CREATE INDEX alert_history_by_alert ON alert_history (alert_id, id)";

constexpr std::string_view kHistoryNotUpdated = R"sql(
CREATE TRIGGER alert_history_never_updated BEFORE UPDATE ON alert_history
BEGIN SELECT RAISE(ABORT, 'alert history is never changed'); END)sql";

constexpr std::string_view kHistoryNotDeleted = R"sql(
CREATE TRIGGER alert_history_never_deleted BEFORE DELETE ON alert_history
BEGIN SELECT RAISE(ABORT, 'alert history is never deleted'); END)sql";

// Migration 9's access_log allowed only the explorer's 'view' and 'export'; SQLite cannot
// change a CHECK, so the table is copied into one that also allows 'alert' and 'incident'
// (filter: what was looked at, e.g. "alert 12").
constexpr std::string_view kAccessLogRenamed = "ALTER TABLE access_log RENAME TO access_log_9";
constexpr std::string_view kAccessLog = R"sql(
CREATE TABLE access_log (
  id     INTEGER PRIMARY KEY,
  time   TEXT NOT NULL,
  viewer TEXT NOT NULL,
  kind   TEXT NOT NULL CHECK (kind IN ('view', 'export', 'alert', 'incident')),
  filter TEXT NOT NULL,
  rows   BIGINT NOT NULL
))sql";
constexpr std::string_view kAccessLogCopied =
    "INSERT INTO access_log (id, time, viewer, kind, filter, rows) "
    "SELECT id, time, viewer, kind, filter, rows FROM access_log_9";
constexpr std::string_view kAccessLogOldDropped = "DROP TABLE access_log_9";
constexpr std::string_view kAccessLogByTime =
    "CREATE INDEX access_log_by_time ON access_log (time)";

}  // namespace

Migration alertCases() {
  return {
      17,
      "the DSL's alert queue with its history; the access log records alert and incident views",
      {kAlertCases, kQueueOrder, kCaseSource, kOpenCaseOnInsert, kCasesForEarlierEvents,
       kNoCaseDeleted, kHistory, kHistoryByAlert, kHistoryNotUpdated, kHistoryNotDeleted,
       kAccessLogRenamed, kAccessLog, kAccessLogCopied, kAccessLogOldDropped, kAccessLogByTime}};
}

}  // namespace clubsafe::collector
