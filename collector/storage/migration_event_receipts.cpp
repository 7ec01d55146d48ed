#include "collector/storage/migration_event_receipts.hpp"

#include "collector/storage/migration_events_compact.hpp"
#include "collector/storage/migration_notifications.hpp"

namespace clubsafe::collector {
namespace {

// Where storeEvents writes a batch's arrival: one row per run of consecutive sequence numbers
// the batch added (one for a whole batch as laptops send them), so the runs never overlap and
// an event's row is the one with the greatest first_seq at or below its own.
constexpr std::string_view kReceipts = R"sql(
CREATE TABLE event_receipts (
  device      INTEGER NOT NULL,
  first_seq   INTEGER NOT NULL,
  last_seq    INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (device, first_seq)
) WITHOUT ROWID)sql";

// The events stored before, a run being consecutive sequence numbers received at one time.
constexpr std::string_view kReceiptsOfEarlierEvents = R"sql(
INSERT INTO event_receipts (device, first_seq, last_seq, received_at)
SELECT device, MIN(seq), MAX(seq), received_at
FROM (SELECT device, seq, received_at, SUM(starts) OVER (PARTITION BY device ORDER BY seq) AS run
      FROM (SELECT device, seq, received_at,
                   received_at IS NOT LAG(received_at) OVER w OR seq <> LAG(seq) OVER w + 1
                     AS starts
            FROM events WINDOW w AS (PARTITION BY device ORDER BY seq)))
GROUP BY device, run)sql";

// As stored_event.cpp's toStoredEvent moved it when this migration was written: a whole number
// of seconds, up to a century (common::kMostSecondsCountedBack then).
constexpr std::string_view kUptimes = R"sql(
UPDATE events
SET moment = time - json_extract(payload, '$.uptime_seconds') * 1000,
    payload = json_remove(payload, '$.uptime_seconds')
WHERE type = 1 AND moment IS NULL AND json_type(payload, '$.uptime_seconds') = 'integer'
  AND json_extract(payload, '$.uptime_seconds') BETWEEN 0 AND 3162240000)sql";

constexpr std::string_view kNoEmptyPayloads = R"sql(
UPDATE events SET payload = NULL WHERE type = 1 AND payload = '{}')sql";

// Migration 25's view with a heartbeat's uptime put back and the batch's arrival looked up.
constexpr std::string_view kEventsAsText = R"sql(
CREATE VIEW events_as_text AS
SELECT dn.name AS device_id, e.seq, t.name AS type,
       strftime('%Y-%m-%dT%H:%M:%fZ', e.time / 1000.0, 'unixepoch') AS time,
       COALESCE(ou.name, '') AS os_user, COALESCE(m.name, '') AS member,
       COALESCE(p.name, '') AS profile,
       CASE e.type
         WHEN 1 THEN json_patch(rest, json_object(
           'agent_version', COALESCE(a.name, json_extract(rest, '$.agent_version')),
           'queue_depth', COALESCE(e.amount, json_extract(rest, '$.queue_depth')),
           'uptime_seconds', COALESCE((e.time - e.moment) / 1000,
                                      json_extract(rest, '$.uptime_seconds'))))
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
         WHEN 5 THEN json_patch(rest, json_object(
           'visited', COALESCE(strftime('%Y-%m-%dT%H:%M:%fZ', e.moment / 1000.0, 'unixepoch'),
                               json_extract(rest, '$.visited'))))
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
       strftime('%Y-%m-%dT%H:%M:%fZ',
                (SELECT r.received_at FROM event_receipts r
                 WHERE r.device = e.device AND r.first_seq <= e.seq AND r.last_seq >= e.seq
                 ORDER BY r.first_seq DESC LIMIT 1) / 1000.0, 'unixepoch') AS received_at
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

}  // namespace

Migration uptimeAndBatchReceipts() {
  // A heartbeat's {"uptime_seconds": …} was 23 bytes of its row and received_at 7 bytes of
  // every row (docs/PERFORMANCE.md, "A club's year").
  return {26,
          "a heartbeat's uptime kept as its agent's start, a batch's arrival kept once per batch",
          {kReceipts, kReceiptsOfEarlierEvents, kUptimes, kNoEmptyPayloads,
           // SQLite drops a column only when every view and trigger still reads without it.
           "DROP VIEW dns_minutes", "DROP VIEW events_as_text",
           "DROP TRIGGER notification_for_new_event", "ALTER TABLE events DROP COLUMN received_at",
           kEventsAsText, dnsMinutesView(), raiseOnInsertAtLastSeen()}};
}

}  // namespace clubsafe::collector
