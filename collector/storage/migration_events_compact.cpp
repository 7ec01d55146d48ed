#include "collector/storage/migration_events_compact.hpp"

namespace clubsafe::collector {
namespace {

// The event types' stored numbers (stored_event.cpp's kStoredTypes; a test checks they agree).
constexpr std::string_view kEventTypes = R"sql(
CREATE TABLE event_types (
  code INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
))sql";
constexpr std::string_view kEventTypeRows = R"sql(
INSERT INTO event_types (code, name) VALUES
  (1, 'heartbeat'), (2, 'app_list'), (3, 'app_usage'), (4, 'dns_decision'),
  (5, 'browser_visit'), (6, 'search_term'), (7, 'session'), (8, 'member_sign_in'),
  (9, 'member_sign_out'), (10, 'safeguarding_alert'), (11, 'outbox_gap'), (12, 'tamper'),
  (13, 'notice_acknowledged'), (14, 'block_notice'), (15, 'review_request'),
  (16, 'worry_report'), (17, 'override'), (18, 'filter_self_test'), (19, 'rejected'))sql";

// Every name is a rollup_names number; times are milliseconds since 1970 UTC; a column a type
// does not have is NULL. WITHOUT ROWID: the key (device, sequence) is the table's order, and
// each index holds its key and those two small numbers.
constexpr std::string_view kEventsTable = R"sql(
CREATE TABLE events (
  device      INTEGER NOT NULL,
  seq         INTEGER NOT NULL,
  time        INTEGER NOT NULL,
  type        INTEGER NOT NULL,
  os_user     INTEGER,
  member      INTEGER,
  profile     INTEGER,
  site        INTEGER,
  app         INTEGER,
  category    INTEGER,
  action      INTEGER,
  amount      INTEGER,
  moment      INTEGER,
  payload     TEXT,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (device, seq)
) WITHOUT ROWID)sql";

// The events stored before, their payload fields moved into columns as stored_event.cpp's
// kMovedFields does; a visit's site is its URL's host as migration 9 worked it out.
constexpr std::string_view kOldEventsWithColumns = R"sql(
CREATE TEMP VIEW old_events AS
SELECT o.*, t.code,
       CASE WHEN o.type IN ('dns_decision', 'block_notice', 'review_request')
              THEN NULLIF(json_extract(o.payload, '$.domain'), '')
            WHEN o.type = 'browser_visit'
              THEN NULLIF(lower(substr(substr(json_extract(o.payload, '$.url'), instr(json_extract(o.payload, '$.url'), '://') + 3), 1, instr(substr(json_extract(o.payload, '$.url'), instr(json_extract(o.payload, '$.url'), '://') + 3) || '/', '/') - 1)), '')
       END AS site_name,
       CASE WHEN o.type = 'app_usage' THEN NULLIF(json_extract(o.payload, '$.application'), '')
       END AS app_name,
       CASE WHEN o.type IN ('dns_decision', 'block_notice', 'review_request')
              THEN NULLIF(json_extract(o.payload, '$.category'), '')
       END AS category_name,
       CASE WHEN o.type IN ('dns_decision', 'session')
              THEN NULLIF(json_extract(o.payload, '$.action'), '')
       END AS action_name,
       CASE o.type WHEN 'dns_decision' THEN json_extract(o.payload, '$.count')
                   WHEN 'app_usage' THEN json_extract(o.payload, '$.seconds')
       END AS amount,
       CAST(round((julianday(CASE o.type WHEN 'dns_decision' THEN json_extract(o.payload, '$.minute')
                                         WHEN 'app_usage' THEN json_extract(o.payload, '$.started')
                                         END) - 2440587.5) * 86400000) AS INTEGER) AS moment,
       CASE o.type
         WHEN 'dns_decision' THEN json_remove(o.payload, '$.domain', '$.action', '$.category',
                                              '$.count', '$.minute')
         WHEN 'app_usage' THEN json_remove(o.payload, '$.application', '$.seconds', '$.started')
         WHEN 'session' THEN json_remove(o.payload, '$.action')
         WHEN 'block_notice' THEN json_remove(o.payload, '$.domain', '$.category')
         WHEN 'review_request' THEN json_remove(o.payload, '$.domain', '$.category')
         ELSE json(o.payload)
       END AS rest
FROM events_before_13 o JOIN event_types t ON t.name = o.type)sql";

constexpr std::string_view kOldNames = R"sql(
INSERT OR IGNORE INTO rollup_names (name)
SELECT name FROM (
  SELECT device_id AS name FROM old_events UNION SELECT os_user FROM old_events
  UNION SELECT member FROM old_events UNION SELECT profile FROM old_events
  UNION SELECT site_name FROM old_events UNION SELECT app_name FROM old_events
  UNION SELECT category_name FROM old_events UNION SELECT action_name FROM old_events)
WHERE name <> '')sql";

constexpr std::string_view kCopyOldEvents = R"sql(
INSERT INTO events (device, seq, time, type, os_user, member, profile, site, app, category,
                    action, amount, moment, payload, received_at)
SELECT (SELECT id FROM rollup_names WHERE name = device_id), seq,
       CAST(round((julianday(time) - 2440587.5) * 86400000) AS INTEGER), code,
       (SELECT id FROM rollup_names WHERE name = NULLIF(os_user, '')),
       (SELECT id FROM rollup_names WHERE name = NULLIF(member, '')),
       (SELECT id FROM rollup_names WHERE name = NULLIF(profile, '')),
       (SELECT id FROM rollup_names WHERE name = site_name),
       (SELECT id FROM rollup_names WHERE name = app_name),
       (SELECT id FROM rollup_names WHERE name = category_name),
       (SELECT id FROM rollup_names WHERE name = action_name),
       amount, moment, NULLIF(rest, '{}'),
       COALESCE(CAST(round((julianday(received_at) - 2440587.5) * 86400000) AS INTEGER),
                CAST(round((julianday(time) - 2440587.5) * 86400000) AS INTEGER))
FROM old_events)sql";

// For reading by hand with the sqlite3 shell (and for tests): the events as they were stored
// before, names and times as text and the payload whole. json_patch drops a member whose value
// is null, so a column without a value gives back the payload's own member, if any.
constexpr std::string_view kEventsAsText = R"sql(
CREATE VIEW events_as_text AS
SELECT dn.name AS device_id, e.seq, t.name AS type,
       strftime('%Y-%m-%dT%H:%M:%fZ', e.time / 1000.0, 'unixepoch') AS time,
       COALESCE(ou.name, '') AS os_user, COALESCE(m.name, '') AS member,
       COALESCE(p.name, '') AS profile,
       CASE e.type
         WHEN 3 THEN json_patch(rest, json_object(
           'application', COALESCE(a.name, json_extract(rest, '$.application')),
           'seconds', COALESCE(e.amount, json_extract(rest, '$.seconds')),
           'started', COALESCE(strftime('%Y-%m-%dT%H:%M:%fZ', e.moment / 1000.0, 'unixepoch'),
                               json_extract(rest, '$.started'))))
         WHEN 4 THEN json_patch(rest, json_object(
           'domain', COALESCE(s.name, json_extract(rest, '$.domain')),
           'action', COALESCE(ac.name, json_extract(rest, '$.action')),
           'category', COALESCE(c.name, json_extract(rest, '$.category')),
           'count', COALESCE(e.amount, json_extract(rest, '$.count')),
           'minute', COALESCE(strftime('%Y-%m-%dT%H:%M:%fZ', e.moment / 1000.0, 'unixepoch'),
                              json_extract(rest, '$.minute'))))
         WHEN 7 THEN json_patch(rest, json_object(
           'action', COALESCE(ac.name, json_extract(rest, '$.action'))))
         WHEN 14 THEN json_patch(rest, json_object(
           'domain', COALESCE(s.name, json_extract(rest, '$.domain')),
           'category', COALESCE(c.name, json_extract(rest, '$.category'))))
         WHEN 15 THEN json_patch(rest, json_object(
           'domain', COALESCE(s.name, json_extract(rest, '$.domain')),
           'category', COALESCE(c.name, json_extract(rest, '$.category'))))
         ELSE rest
       END
         AS payload,
       strftime('%Y-%m-%dT%H:%M:%fZ', e.received_at / 1000.0, 'unixepoch') AS received_at
FROM (SELECT *, COALESCE(payload, '{}') AS rest FROM events) e
JOIN event_types t ON t.code = e.type
JOIN rollup_names dn ON dn.id = e.device
LEFT JOIN rollup_names ou ON ou.id = e.os_user
LEFT JOIN rollup_names m ON m.id = e.member
LEFT JOIN rollup_names p ON p.id = e.profile
LEFT JOIN rollup_names s ON s.id = e.site
LEFT JOIN rollup_names a ON a.id = e.app
LEFT JOIN rollup_names c ON c.id = e.category
LEFT JOIN rollup_names ac ON ac.id = e.action)sql";

// Migration 7's table added the partial events of a minute up as they were stored; the
// events now serve the same reads, and this view keeps its shape for the sqlite3 shell.
constexpr std::string_view kDnsMinutesView = R"sql(
CREATE VIEW dns_minutes AS
SELECT device_id, json_extract(payload, '$.minute') AS minute,
       json_extract(payload, '$.domain') AS domain, json_extract(payload, '$.action') AS action,
       COALESCE(json_extract(payload, '$.category'), '') AS category, os_user, member, profile,
       SUM(json_extract(payload, '$.count')) AS count
FROM events_as_text WHERE type = 'dns_decision' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8)sql";

}  // namespace

std::string_view dnsMinutesView() {
  return kDnsMinutesView;
}

Migration eventsStoredCompactly() {
  return {
      13,
      "events kept compactly: names as numbers, times as integers, payload fields as columns",
      {
          "ALTER TABLE events RENAME TO events_before_13",
          kEventTypes,
          kEventTypeRows,
          kEventsTable,
          kOldEventsWithColumns,
          kOldNames,
          kCopyOldEvents,
          "DROP VIEW old_events",
          "DROP TABLE events_before_13",
          "DROP TABLE dns_minutes",
          // Each filter of the explorer (sqlite_event_query.cpp) reads one of these in time
          // order; the type's serves retention and the report's reads of one type. Partial:
          // events without the value take no room.
          "CREATE INDEX events_by_time ON events (time)",
          "CREATE INDEX events_by_device_time ON events (device, time)",
          "CREATE INDEX events_by_type_time ON events (type, time)",
          "CREATE INDEX events_by_member_time ON events (member, time) WHERE member IS NOT NULL",
          "CREATE INDEX events_by_os_user_time ON events (os_user, time) "
          "WHERE os_user IS NOT NULL",
          "CREATE INDEX events_by_site_time ON events (site, time) WHERE site IS NOT NULL",
          "CREATE INDEX events_by_app_time ON events (app, time) WHERE app IS NOT NULL",
          "CREATE INDEX events_by_category_time ON events (category, time) "
          "WHERE category IS NOT NULL",
          kEventsAsText,
          kDnsMinutesView,
      },
  };
}

}  // namespace clubsafe::collector
