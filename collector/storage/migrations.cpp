#include "collector/storage/migrations.hpp"

#include "collector/storage/migration_alert_cases.hpp"
#include "collector/storage/migration_event_columns.hpp"
#include "collector/storage/migration_event_indexes.hpp"
#include "collector/storage/migration_event_receipts.hpp"
#include "collector/storage/migration_events_compact.hpp"
#include "collector/storage/migration_incidents.hpp"
#include "collector/storage/migration_notifications.hpp"
#include "collector/storage/migration_totp.hpp"

#include "common/time.hpp"

#include <Poco/Data/Statement.h>
#include <Poco/Data/Transaction.h>

#include <set>
#include <stdexcept>
#include <string>

namespace clubsafe::collector {
namespace {

namespace db = Poco::Data::Keywords;

// Conventions for every table: times are UTC text from common::formatTimestamp, which has a
// fixed width, so comparing them as text orders them in time; booleans are 0 or 1; a NULL
// time means "never".
const std::vector<Migration> kSqliteMigrations = {
    {1,
     "devices, enrolment tokens and events",
     {R"sql(
CREATE TABLE devices (
  id                TEXT PRIMARY KEY,
  secret_hash       TEXT NOT NULL,
  name              TEXT NOT NULL,
  hostname          TEXT NOT NULL,
  os                TEXT NOT NULL,
  agent_version     TEXT NOT NULL,
  enrolled_at       TEXT NOT NULL,
  last_seen         TEXT,
  highest_seq       BIGINT NOT NULL DEFAULT 0,
  backlog           BIGINT NOT NULL DEFAULT 0,
  queue_lag_seconds BIGINT NOT NULL DEFAULT 0,
  revoked_at        TEXT
))sql",
      // used_by_device is checked at commit, so enrolment can consume the token before it
      // inserts the device it names.
      R"sql(
CREATE TABLE enrolment_tokens (
  id             INTEGER PRIMARY KEY,
  token_hash     TEXT NOT NULL UNIQUE,
  label          TEXT NOT NULL,
  created_by     TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  expires_at     TEXT NOT NULL,
  used_at        TEXT,
  used_by_device TEXT REFERENCES devices (id) DEFERRABLE INITIALLY DEFERRED,
  revoked_at     TEXT
))sql",
      R"sql(
CREATE TABLE events (
  device_id   TEXT NOT NULL REFERENCES devices (id),
  seq         BIGINT NOT NULL,
  type        TEXT NOT NULL,
  time        TEXT NOT NULL,
  os_user     TEXT NOT NULL,
  member      TEXT NOT NULL,
  profile     TEXT NOT NULL,
  payload     TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (device_id, seq)
))sql"}},
    {2,
     "console users and sessions",
     {R"sql(
CREATE TABLE console_users (
  id                   INTEGER PRIMARY KEY,
  username             TEXT NOT NULL UNIQUE,
  role                 TEXT NOT NULL,
  password_hash        TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  failed_logins        INTEGER NOT NULL DEFAULT 0,
  locked_until         TEXT
))sql",
      R"sql(
CREATE TABLE console_sessions (
  id_hash      TEXT PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES console_users (id) ON DELETE CASCADE,
  csrf_token   TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  last_used_at TEXT NOT NULL
))sql",
      "CREATE INDEX console_sessions_by_user ON console_sessions (user_id)",
      "CREATE INDEX console_sessions_by_last_use ON console_sessions (last_used_at)"}},
    {3,
     "policy documents and audit log",
     {R"sql(
CREATE TABLE policy_documents (
  version    INTEGER PRIMARY KEY,
  body       TEXT NOT NULL,
  etag       TEXT NOT NULL,
  created_at TEXT NOT NULL
))sql",
      R"sql(
CREATE TABLE audit_log (
  id     INTEGER PRIMARY KEY,
  time   TEXT NOT NULL,
  actor  TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT NOT NULL
))sql"}},
    {4,
     "events by type and time, for retention",
     {"CREATE INDEX events_by_type_time ON events (type, time)"}},
    {5,
     "filter lists, profiles and the policy's index",
     {R"sql(
CREATE TABLE filter_lists (
  id          INTEGER PRIMARY KEY,
  category    TEXT NOT NULL,
  source      TEXT NOT NULL,
  format      TEXT NOT NULL,
  content     BLOB NOT NULL,
  sha256      TEXT NOT NULL,
  bytes       BIGINT NOT NULL,
  lines       BIGINT NOT NULL,
  names       BIGINT NOT NULL,
  ignored     BIGINT NOT NULL,
  unsupported BIGINT NOT NULL,
  bad         TEXT NOT NULL,
  imported_by TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  UNIQUE (category, source)
))sql",
      // List fields hold JSON arrays (schedule: of {days, from, to} objects), as the policy
      // document has them.
      R"sql(
CREATE TABLE filter_profiles (
  id                 TEXT PRIMARY KEY,
  name               TEXT NOT NULL,
  age_bands          TEXT NOT NULL,
  blocked_categories TEXT NOT NULL,
  allow_list         TEXT NOT NULL,
  block_list         TEXT NOT NULL,
  safe_search        TEXT NOT NULL,
  schedule           TEXT NOT NULL
))sql",
      R"sql(
CREATE TABLE filter_settings (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  default_profile TEXT NOT NULL REFERENCES filter_profiles (id)
))sql",
      "ALTER TABLE policy_documents ADD COLUMN index_sha256 TEXT NOT NULL DEFAULT ''",
      "ALTER TABLE policy_documents ADD COLUMN index_bytes BIGINT NOT NULL DEFAULT 0",
      "ALTER TABLE audit_log ADD COLUMN reason TEXT NOT NULL DEFAULT ''",
      // A club starts with profiles by age band, blocking UT1's categories (by their UT1
      // names: agressif is UT1's violence, drogue its drugs) and circumvention (doh, vpn,
      // redirector is UT1's proxy list). The manager changes them in the console.
      R"sql(
INSERT INTO filter_profiles (id, name, age_bands, blocked_categories, allow_list, block_list,
                             safe_search, schedule) VALUES
  ('juniors', 'Juniors (8 to 12)', '["8-12"]',
   '["adult","agressif","arjel","chat","cryptojacking","dangerous_material","dating","ddos",
    "dialer","doh","drogue","dynamic-dns","gambling","hacking","lingerie","malware",
    "mixed_adult","phishing","redirector","remote-control","residential-proxies","sect",
    "social_networks","stalkerware","strict_redirector","vpn","warez"]',
   '[]', '[]', 'strict', '[]'),
  ('seniors', 'Seniors (13 to 15)', '["13-15"]',
   '["adult","agressif","arjel","cryptojacking","dangerous_material","dating","ddos","dialer",
    "doh","drogue","dynamic-dns","gambling","hacking","lingerie","malware","mixed_adult",
    "phishing","redirector","remote-control","residential-proxies","sect","stalkerware",
    "strict_redirector","vpn","warez"]',
   '[]', '[]', 'strict', '[]'),
  ('young_adults', 'Young adults (16 to 25)', '["16-17","18-25"]',
   '["adult","agressif","arjel","cryptojacking","dangerous_material","dating","ddos","dialer",
    "doh","drogue","gambling","hacking","lingerie","malware","mixed_adult","phishing",
    "redirector","residential-proxies","sect","stalkerware","strict_redirector","vpn",
    "warez"]',
   '[]', '[]', 'moderate', '[]'),
  ('staff', 'Staff and volunteers', '["staff"]',
   '["cryptojacking","ddos","dialer","doh","malware","phishing","stalkerware"]',
   '[]', '[]', 'off', '[]'))sql",
      "INSERT INTO filter_settings (id, default_profile) VALUES (1, 'juniors')"}},
    {6,
     "the monitoring notice and worker PINs",
     // No notice row yet: the collector writes the default one on its next start, in the words
     // of its settings (the club's name, how long records are kept), and publishes it.
     {R"sql(
CREATE TABLE notice_text (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  club_name  TEXT NOT NULL,
  paragraphs TEXT NOT NULL,
  policy_url TEXT NOT NULL
))sql",
      // NOCASE: "sam" and "Sam" would be the same person to whoever reads the audit.
      R"sql(
CREATE TABLE worker_pins (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  pin_hash   TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
))sql"}},
    {7,
     "DNS decisions per minute",
     // The read model of dns_decision events (docs/DNS.md): an agent writes a minute's counts in
     // several partial events, added up here as they are stored. category is '' for none. The
     // key leads with device and minute, the console's audit reads; retention deletes by minute.
     {R"sql(
CREATE TABLE dns_minutes (
  device_id TEXT NOT NULL REFERENCES devices (id),
  minute    TEXT NOT NULL,
  domain    TEXT NOT NULL,
  action    TEXT NOT NULL,
  category  TEXT NOT NULL,
  os_user   TEXT NOT NULL,
  member    TEXT NOT NULL,
  profile   TEXT NOT NULL,
  count     BIGINT NOT NULL,
  PRIMARY KEY (device_id, minute, domain, action, category, os_user, member, profile)
) WITHOUT ROWID)sql",
      "CREATE INDEX dns_minutes_by_minute ON dns_minutes (minute)",
      // What was stored before this version, added up once.
      R"sql(
INSERT INTO dns_minutes (device_id, minute, domain, action, category, os_user, member, profile,
                         count)
SELECT device_id, json_extract(payload, '$.minute'), json_extract(payload, '$.domain'),
       json_extract(payload, '$.action'), COALESCE(json_extract(payload, '$.category'), ''),
       os_user, member, profile, SUM(json_extract(payload, '$.count'))
FROM events WHERE type = 'dns_decision'
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8)sql"}},
    {8,
     "read model: rollups per hour",
     // The dashboard's read model (sqlite_rollups.cpp; docs/ARCHITECTURE.md, "The read model"),
     // added up as events are stored. hour is whole hours since 1970 UTC (local days are worked
     // out when read); times in rollup_devices are milliseconds since 1970 UTC. Each key leads
     // with the hour, so a period reads one range and retention deletes one; WITHOUT ROWID keeps
     // each row once, in its key's order. Names of sites and apps, long and repeated, are kept
     // once in rollup_names.
     {R"sql(
CREATE TABLE rollup_names (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
))sql",
      R"sql(
CREATE TABLE rollup_dns (
  hour      INTEGER NOT NULL,
  device_id TEXT NOT NULL,
  member    TEXT NOT NULL,
  profile   TEXT NOT NULL,
  category  TEXT NOT NULL,
  action    INTEGER NOT NULL,
  count     INTEGER NOT NULL,
  PRIMARY KEY (hour, device_id, member, profile, category, action)
) WITHOUT ROWID)sql",
      R"sql(
CREATE TABLE rollup_dns_domains (
  hour     INTEGER NOT NULL,
  action   INTEGER NOT NULL,
  domain   INTEGER NOT NULL,
  category TEXT NOT NULL,
  count    INTEGER NOT NULL,
  PRIMARY KEY (hour, action, domain, category)
) WITHOUT ROWID)sql",
      R"sql(
CREATE TABLE rollup_apps (
  hour      INTEGER NOT NULL,
  device_id TEXT NOT NULL,
  member    TEXT NOT NULL,
  app       INTEGER NOT NULL,
  seconds   INTEGER NOT NULL,
  PRIMARY KEY (hour, device_id, member, app)
) WITHOUT ROWID)sql",
      R"sql(
CREATE TABLE rollup_counts (
  hour      INTEGER NOT NULL,
  device_id TEXT NOT NULL,
  kind      INTEGER NOT NULL,
  member    TEXT NOT NULL,
  count     INTEGER NOT NULL,
  PRIMARY KEY (hour, device_id, kind, member)
) WITHOUT ROWID)sql",
      R"sql(
CREATE TABLE rollup_devices (
  device_id         TEXT PRIMARY KEY,
  last_event_at     INTEGER NOT NULL,
  heartbeat_at      INTEGER,
  agent_version     TEXT,
  queue_depth       INTEGER,
  selftest_at       INTEGER,
  selftest_passed   INTEGER,
  selftest_failures TEXT,
  member_at         INTEGER,
  member            TEXT,
  os_user_at        INTEGER,
  os_user           TEXT,
  app_at            INTEGER,
  app               TEXT
))sql",
      // What was stored before this version, added up once (an app's seconds all in the hour
      // it started; from now on they are split between hours).
      R"sql(
INSERT INTO rollup_dns (hour, device_id, member, profile, category, action, count)
SELECT CAST(strftime('%s', minute) AS INTEGER) / 3600, device_id, member, profile, category,
       CASE action WHEN 'allowed' THEN 1 WHEN 'blocked' THEN 2 WHEN 'rewritten' THEN 3
                   WHEN 'nxdomain' THEN 4 ELSE 0 END, SUM(count)
FROM dns_minutes GROUP BY 1, 2, 3, 4, 5, 6)sql",
      R"sql(
INSERT INTO rollup_names (name)
SELECT DISTINCT domain FROM dns_minutes
UNION SELECT DISTINCT json_extract(payload, '$.application') FROM events WHERE type = 'app_usage')sql",
      R"sql(
INSERT INTO rollup_dns_domains (hour, action, domain, category, count)
SELECT CAST(strftime('%s', minute) AS INTEGER) / 3600,
       CASE action WHEN 'allowed' THEN 1 WHEN 'blocked' THEN 2 WHEN 'rewritten' THEN 3
                   WHEN 'nxdomain' THEN 4 ELSE 0 END, n.id, category, SUM(count)
FROM dns_minutes JOIN rollup_names n ON n.name = domain GROUP BY 1, 2, 3, 4)sql",
      R"sql(
INSERT INTO rollup_apps (hour, device_id, member, app, seconds)
SELECT CAST(strftime('%s', json_extract(payload, '$.started')) AS INTEGER) / 3600, device_id,
       member, n.id, SUM(json_extract(payload, '$.seconds'))
FROM events JOIN rollup_names n ON n.name = json_extract(payload, '$.application')
WHERE type = 'app_usage' GROUP BY 1, 2, 3, 4)sql",
      R"sql(
INSERT INTO rollup_counts (hour, device_id, kind, member, count)
SELECT hour, device_id, kind, member, SUM(amount) FROM (
  SELECT CAST(strftime('%s', time) AS INTEGER) / 3600 AS hour, device_id, member, 1 AS kind,
         1 AS amount FROM events
  UNION ALL
  SELECT CAST(strftime('%s', time) AS INTEGER) / 3600, device_id, member,
         CASE type
           WHEN 'session' THEN CASE json_extract(payload, '$.action') WHEN 'login' THEN 2 END
           WHEN 'member_sign_in' THEN 3 WHEN 'search_term' THEN 4 WHEN 'browser_visit' THEN 5
           WHEN 'notice_acknowledged' THEN
             CASE json_extract(payload, '$.acknowledged') WHEN 1 THEN 6 ELSE 7 END
           WHEN 'filter_self_test' THEN
             CASE json_extract(payload, '$.passed') WHEN 1 THEN 8 ELSE 9 END
           WHEN 'override' THEN 10 WHEN 'tamper' THEN 11 WHEN 'review_request' THEN 12
           WHEN 'safeguarding_alert' THEN 13 WHEN 'outbox_gap' THEN 14 WHEN 'block_notice' THEN 15
           WHEN 'rejected' THEN 16 END,
         CASE type WHEN 'outbox_gap' THEN json_extract(payload, '$.dropped')
                   WHEN 'rejected' THEN json_extract(payload, '$.count') ELSE 1 END
  FROM events WHERE type <> 'heartbeat')
WHERE kind IS NOT NULL GROUP BY 1, 2, 3, 4)sql",
      R"sql(
INSERT INTO rollup_devices (device_id, last_event_at)
SELECT device_id, MAX(CAST(strftime('%s', time) AS INTEGER)) * 1000 FROM events
GROUP BY device_id)sql"}},
    {9,
     "the usage explorer's indexes and the access log",
     // Each filter of the explorer (sqlite_event_query.cpp) reads one of these in time order;
     // time and device break ties by the table's key. The expressions are those of the explorer's
     // query, character for character, or SQLite would not use them. Partial: rows without the
     // value (system events, other types) take no room.
     {"CREATE INDEX events_by_time ON events (time)",
      "CREATE INDEX events_by_device_time ON events (device_id, time)",
      "CREATE INDEX events_by_member_time ON events (member, time) WHERE member <> ''",
      "CREATE INDEX events_by_os_user_time ON events (os_user, time) WHERE os_user <> ''",
      R"sql(
CREATE INDEX events_by_site_time ON events (CASE WHEN type = 'browser_visit' THEN lower(substr(substr(json_extract(payload, '$.url'), instr(json_extract(payload, '$.url'), '://') + 3), 1, instr(substr(json_extract(payload, '$.url'), instr(json_extract(payload, '$.url'), '://') + 3) || '/', '/') - 1)) ELSE json_extract(payload, '$.domain') END, time)
WHERE CASE WHEN type = 'browser_visit' THEN lower(substr(substr(json_extract(payload, '$.url'), instr(json_extract(payload, '$.url'), '://') + 3), 1, instr(substr(json_extract(payload, '$.url'), instr(json_extract(payload, '$.url'), '://') + 3) || '/', '/') - 1)) ELSE json_extract(payload, '$.domain') END IS NOT NULL)sql",
      R"sql(
CREATE INDEX events_by_app_time ON events (json_extract(payload, '$.application'), time)
WHERE json_extract(payload, '$.application') IS NOT NULL)sql",
      R"sql(
CREATE INDEX events_by_category_time ON events (json_extract(payload, '$.category'), time)
WHERE json_extract(payload, '$.category') IS NOT NULL)sql",
      // Who looked at records naming a person: kind is 'view' or 'export'; filter is the
      // explorer's query string.
      R"sql(
CREATE TABLE access_log (
  id     INTEGER PRIMARY KEY,
  time   TEXT NOT NULL,
  viewer TEXT NOT NULL,
  kind   TEXT NOT NULL CHECK (kind IN ('view', 'export')),
  filter TEXT NOT NULL,
  rows   BIGINT NOT NULL
))sql"}},
    {10,
     "audit reports: the record of checks and signed-off reports",
     // The manager's audit report (sqlite_report_store.cpp; docs/REPORT.md). A signed-off
     // report is frozen: its JSON and PDF with their SHA-256, never changed or deleted (the
     // triggers refuse it), so no purge or later change alters what was signed. Checks are
     // kept as written, too: a correction is a new check.
     {R"sql(
CREATE TABLE report_checks (
  id          INTEGER PRIMARY KEY,
  checked_at  TEXT NOT NULL,
  checked_by  TEXT NOT NULL,
  what        TEXT NOT NULL,
  actions     TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded_at TEXT NOT NULL
))sql",
      "CREATE INDEX report_checks_by_time ON report_checks (checked_at)",
      R"sql(
CREATE TABLE report_sign_offs (
  id          INTEGER PRIMARY KEY,
  period_from TEXT NOT NULL,
  period_to   TEXT NOT NULL,
  name        TEXT NOT NULL,
  role        TEXT NOT NULL,
  notes       TEXT NOT NULL,
  signed_at   TEXT NOT NULL,
  signed_by   TEXT NOT NULL,
  report_json TEXT NOT NULL,
  json_sha256 TEXT NOT NULL,
  report_pdf  BLOB NOT NULL,
  pdf_sha256  TEXT NOT NULL
))sql",
      R"sql(
CREATE TRIGGER report_sign_offs_frozen_update BEFORE UPDATE ON report_sign_offs
BEGIN SELECT RAISE(ABORT, 'a signed-off report cannot be changed'); END)sql",
      R"sql(
CREATE TRIGGER report_sign_offs_frozen_delete BEFORE DELETE ON report_sign_offs
BEGIN SELECT RAISE(ABORT, 'a signed-off report cannot be deleted'); END)sql",
      R"sql(
CREATE TRIGGER report_checks_kept_update BEFORE UPDATE ON report_checks
BEGIN SELECT RAISE(ABORT, 'a recorded check cannot be changed'); END)sql",
      R"sql(
CREATE TRIGGER report_checks_kept_delete BEFORE DELETE ON report_checks
BEGIN SELECT RAISE(ABORT, 'a recorded check cannot be deleted'); END)sql"}},
    {11,
     "list subscriptions",
     // A list the collector downloads by itself (subscription_store.hpp). etag, last_modified
     // and sha256 are those of the last good copy, which is the list imported last into
     // filter_lists under (category, source); failure is '' when the last try worked.
     {R"sql(
CREATE TABLE list_subscriptions (
  id             INTEGER PRIMARY KEY,
  url            TEXT NOT NULL,
  format         TEXT NOT NULL,
  category       TEXT NOT NULL,
  source         TEXT NOT NULL,
  refresh_hours  INTEGER NOT NULL,
  max_bytes      INTEGER NOT NULL,
  created_by     TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  etag           TEXT NOT NULL DEFAULT '',
  last_modified  TEXT NOT NULL DEFAULT '',
  sha256         TEXT NOT NULL DEFAULT '',
  checked_at     TEXT,
  succeeded_at   TEXT,
  changed_at     TEXT,
  failure        TEXT NOT NULL DEFAULT '',
  failing_since  TEXT,
  UNIQUE (category, source)
))sql"}},
    {12,
     "filtering review decisions",
     // A manager's decision on a site in the review queue (review_store.hpp). holds is a JSON
     // array of the profile ids whose allow entry for the domain this allow keeps; until is NULL
     // for good; ended_at is set when the collector removes a timed allow at its end.
     {R"sql(
CREATE TABLE review_decisions (
  id             INTEGER PRIMARY KEY,
  decided_at     TEXT NOT NULL,
  decided_by     TEXT NOT NULL,
  domain         TEXT NOT NULL,
  category       TEXT NOT NULL,
  verdict        TEXT NOT NULL CHECK (verdict IN ('allow', 'keep_blocked')),
  scope          TEXT NOT NULL,
  until          TEXT,
  holds          TEXT NOT NULL,
  reason         TEXT NOT NULL,
  policy_version INTEGER,
  ended_at       TEXT
))sql",
      "CREATE INDEX review_decisions_by_domain ON review_decisions (domain, decided_at)",
      R"sql(
CREATE INDEX review_decisions_in_force ON review_decisions (id)
WHERE verdict = 'allow' AND ended_at IS NULL)sql"}},
    eventsStoredCompactly(),
    {14,
     "console users' roles, several each, and disabled users",
     // A user holds one or more of the roles of collector/http/console/roles.hpp (SPEC C4); the
     // single role column each user had becomes their first row here. A disabled user
     // (disabled_at set) cannot sign in and keeps no session; nothing of theirs is deleted, so
     // the audit log's names stay meaningful.
     {R"sql(
CREATE TABLE console_user_roles (
  user_id INTEGER NOT NULL REFERENCES console_users (id) ON DELETE CASCADE,
  role    TEXT NOT NULL,
  PRIMARY KEY (user_id, role)
) WITHOUT ROWID)sql",
      "INSERT INTO console_user_roles (user_id, role) SELECT id, role FROM console_users",
      "ALTER TABLE console_users DROP COLUMN role",
      "ALTER TABLE console_users ADD COLUMN disabled_at TEXT"}},
    {16,
     "read model: totals per UTC day",
     // What the dashboard reads over long periods (sqlite_day_rollups.cpp; docs/ARCHITECTURE.md,
     // "The read model"): the hourly rollups added up per UTC day (day d holds hours 24d to
     // 24d + 23), for the whole club where the dashboard needs no laptop or member, and the
     // sites also per span of 16 days (span s holds days 16s to 16s + 15). Per laptop
     // and day, reported_hours and used_hours are masks of the day's hours (bit h: hour 24d + h)
     // in which it sent anything and in which someone used it. Filled here from the hourly rows.
     {R"sql(
CREATE TABLE rollup_day_dns (
  day      INTEGER NOT NULL,
  action   INTEGER NOT NULL,
  category TEXT NOT NULL,
  count    INTEGER NOT NULL,
  PRIMARY KEY (day, action, category)
) WITHOUT ROWID)sql",
      R"sql(
CREATE TABLE rollup_day_dns_domains (
  day      INTEGER NOT NULL,
  action   INTEGER NOT NULL,
  domain   INTEGER NOT NULL,
  category TEXT NOT NULL,
  count    INTEGER NOT NULL,
  PRIMARY KEY (day, action, domain, category)
) WITHOUT ROWID)sql",
      R"sql(
CREATE TABLE rollup_span_dns_domains (
  span     INTEGER NOT NULL,
  action   INTEGER NOT NULL,
  domain   INTEGER NOT NULL,
  category TEXT NOT NULL,
  count    INTEGER NOT NULL,
  PRIMARY KEY (span, action, domain, category)
) WITHOUT ROWID)sql",
      R"sql(
CREATE TABLE rollup_day_apps (
  day     INTEGER NOT NULL,
  app     INTEGER NOT NULL,
  seconds INTEGER NOT NULL,
  PRIMARY KEY (day, app)
) WITHOUT ROWID)sql",
      R"sql(
CREATE TABLE rollup_day_counts (
  day       INTEGER NOT NULL,
  device_id TEXT NOT NULL,
  kind      INTEGER NOT NULL,
  count     INTEGER NOT NULL,
  PRIMARY KEY (day, device_id, kind)
) WITHOUT ROWID)sql",
      R"sql(
CREATE TABLE rollup_day_devices (
  day            INTEGER NOT NULL,
  device_id      TEXT NOT NULL,
  reported_hours INTEGER NOT NULL,
  used_hours     INTEGER NOT NULL,
  PRIMARY KEY (day, device_id)
) WITHOUT ROWID)sql",
      R"sql(
INSERT INTO rollup_day_dns (day, action, category, count)
SELECT hour / 24, action, category, SUM(count) FROM rollup_dns GROUP BY 1, 2, 3)sql",
      R"sql(
INSERT INTO rollup_day_dns_domains (day, action, domain, category, count)
SELECT hour / 24, action, domain, category, SUM(count) FROM rollup_dns_domains
GROUP BY 1, 2, 3, 4)sql",
      R"sql(
INSERT INTO rollup_span_dns_domains (span, action, domain, category, count)
SELECT day / 16, action, domain, category, SUM(count) FROM rollup_day_dns_domains
GROUP BY 1, 2, 3, 4)sql",
      R"sql(
INSERT INTO rollup_day_apps (day, app, seconds)
SELECT hour / 24, app, SUM(seconds) FROM rollup_apps GROUP BY 1, 2)sql",
      R"sql(
INSERT INTO rollup_day_counts (day, device_id, kind, count)
SELECT hour / 24, device_id, kind, SUM(count) FROM rollup_counts GROUP BY 1, 2, 3)sql",
      // Each hour's bit once per mask: a SUM(DISTINCT) of distinct powers of two is their OR.
      R"sql(
INSERT INTO rollup_day_devices (day, device_id, reported_hours, used_hours)
SELECT hour / 24, device_id,
       COALESCE(SUM(DISTINCT CASE WHEN reported THEN 1 << (hour % 24) END), 0),
       COALESCE(SUM(DISTINCT CASE WHEN used THEN 1 << (hour % 24) END), 0)
FROM (SELECT hour, device_id, MAX(kind = 1) AS reported, MAX(kind BETWEEN 2 AND 5) AS used
      FROM rollup_counts GROUP BY hour, device_id
      UNION ALL
      SELECT DISTINCT hour, device_id, 0, 1 FROM rollup_apps)
GROUP BY 1, 2)sql"}},
    alertCases(),
    incidentLog(),
    twoStepSignIn(),
    notifications(),
    partialEventIndexes(),
    // Issue 14: the register a sign-in's age band is checked against on the laptops. Only a
    // first name or member code and a band: nothing else about a young person.
    {23, "the member register", {R"sql(
CREATE TABLE members (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  age_band   TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
))sql"}},
    notificationTriggerByComparisons(),
    heartbeatAndVisitColumns(),
    uptimeAndBatchReceipts(),
};

std::set<int> appliedVersions(Poco::Data::Session& session) {
  std::vector<int> versions;
  session << "SELECT version FROM schema_migrations", db::into(versions), db::now;
  return {versions.begin(), versions.end()};
}

}  // namespace

const std::vector<Migration>& sqliteMigrations() {
  return kSqliteMigrations;
}

std::size_t applyMigrations(Poco::Data::Session& session, std::span<const Migration> migrations,
                            common::Timestamp now) {
  session << "CREATE TABLE IF NOT EXISTS schema_migrations ("
             "version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
      db::now;

  std::set<int> known;
  for (const auto& migration : migrations) known.insert(migration.version);
  const std::set<int> done = appliedVersions(session);
  for (const int version : done) {
    if (!known.contains(version)) {
      throw std::runtime_error("The database has schema version " + std::to_string(version) +
                               ", which this collector does not know: it was written by a newer "
                               "clubsafe-collector. Install that version again.");
    }
  }

  std::size_t applied = 0;
  const std::string appliedAt = common::formatTimestamp(now);
  for (const auto& migration : migrations) {
    if (done.contains(migration.version)) continue;
    // Should a second collector apply the same migration at the same moment, one of the two
    // fails on schema_migrations' primary key and rolls back: none is applied twice.
    Poco::Data::Transaction transaction(session);
    for (const auto statement : migration.statements) {
      session << std::string(statement), db::now;
    }
    session << "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
        db::bind(migration.version), db::bind(appliedAt), db::now;
    transaction.commit();
    ++applied;
  }
  return applied;
}

}  // namespace clubsafe::collector
