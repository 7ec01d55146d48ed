#include "collector/storage/migration_event_columns.hpp"

namespace clubsafe::collector {
namespace {

// Each field moves only where stored_event.cpp's toStoredEvent would have moved it: a
// non-empty text, a whole number, a time that reads back as sent (with `.000` for one sent
// without milliseconds). Anything else stays in the payload, so nothing is lost.
constexpr std::string_view kAgentVersionNames = R"sql(
INSERT OR IGNORE INTO rollup_names (name)
SELECT DISTINCT json_extract(payload, '$.agent_version') FROM events
WHERE type = 1 AND json_type(payload, '$.agent_version') = 'text'
  AND json_extract(payload, '$.agent_version') <> '')sql";

constexpr std::string_view kAgentVersions = R"sql(
UPDATE events
SET app = (SELECT id FROM rollup_names WHERE name = json_extract(payload, '$.agent_version')),
    payload = json_remove(payload, '$.agent_version')
WHERE type = 1 AND json_type(payload, '$.agent_version') = 'text'
  AND json_extract(payload, '$.agent_version') <> '')sql";

constexpr std::string_view kQueueDepths = R"sql(
UPDATE events
SET amount = json_extract(payload, '$.queue_depth'), payload = json_remove(payload, '$.queue_depth')
WHERE type = 1 AND json_type(payload, '$.queue_depth') = 'integer')sql";

constexpr std::string_view kVisitTimes = R"sql(
UPDATE events
SET moment = v.milliseconds, payload = json_remove(payload, '$.visited')
FROM (SELECT device, seq, json_extract(payload, '$.visited') AS visited,
             CAST(round((julianday(json_extract(payload, '$.visited')) - 2440587.5) * 86400000)
                  AS INTEGER) AS milliseconds
      FROM events WHERE type = 5 AND json_type(payload, '$.visited') = 'text') v
WHERE events.device = v.device AND events.seq = v.seq
  AND strftime('%Y-%m-%dT%H:%M:%fZ', v.milliseconds / 1000.0, 'unixepoch') =
      CASE length(v.visited) WHEN 24 THEN v.visited WHEN 20 THEN substr(v.visited, 1, 19) || '.000Z'
      END)sql";

constexpr std::string_view kNoEmptyPayloads = R"sql(
UPDATE events SET payload = NULL WHERE (type = 1 OR type = 5) AND payload = '{}')sql";

// Migration 13's view with the moved fields of heartbeats (1) and visits (5) put back.
constexpr std::string_view kEventsAsText = R"sql(
CREATE VIEW events_as_text AS
SELECT dn.name AS device_id, e.seq, t.name AS type,
       strftime('%Y-%m-%dT%H:%M:%fZ', e.time / 1000.0, 'unixepoch') AS time,
       COALESCE(ou.name, '') AS os_user, COALESCE(m.name, '') AS member,
       COALESCE(p.name, '') AS profile,
       CASE e.type
         WHEN 1 THEN json_patch(rest, json_object(
           'agent_version', COALESCE(a.name, json_extract(rest, '$.agent_version')),
           'queue_depth', COALESCE(e.amount, json_extract(rest, '$.queue_depth'))))
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

}  // namespace

Migration heartbeatAndVisitColumns() {
  // A heartbeat's JSON, {"agent_version", "queue_depth", "uptime_seconds"}, was 63 bytes of
  // its row and heartbeats a quarter of all events (docs/PERFORMANCE.md, "A club's year").
  return {25,
          "a heartbeat's agent version and queue depth and a visit's time kept as columns",
          {kAgentVersionNames, kAgentVersions, kQueueDepths, kVisitTimes, kNoEmptyPayloads,
           // dns_minutes reads events_as_text by name, so it reads the new view.
           "DROP VIEW events_as_text", kEventsAsText}};
}

}  // namespace clubsafe::collector
