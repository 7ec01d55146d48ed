#include "collector/storage/migration_incidents.hpp"

namespace clubsafe::collector {
namespace {

// An incident's own row changes only to add a review date, to close it or to release its hold;
// what it was opened as stays, and a closed incident stays closed. Its record is never deleted.
// The names in the CHECKs are incident_terms.cpp's.
constexpr std::string_view kIncidents = R"sql(
CREATE TABLE incidents (
  id                  INTEGER PRIMARY KEY,
  category            TEXT NOT NULL CHECK (category IN ('self_generated_images',
                        'online_sexual_abuse', 'indecent_images', 'radicalisation',
                        'cyberbullying', 'online_hate_crime', 'filtering_breach', 'other')),
  title               TEXT NOT NULL CHECK (trim(title) <> ''),
  opened_by           TEXT NOT NULL,
  opened_at           TEXT NOT NULL,
  review_date         TEXT,
  outcome             TEXT NOT NULL DEFAULT '',
  lessons_learnt      TEXT NOT NULL DEFAULT '',
  closed_by           TEXT,
  closed_at           TEXT,
  hold_released_at    TEXT,
  hold_released_by    TEXT,
  hold_release_reason TEXT NOT NULL DEFAULT '',
  CHECK (closed_at IS NULL OR (trim(outcome) <> '' AND trim(lessons_learnt) <> ''
                               AND hold_released_at IS NOT NULL))
))sql";

// kind: 'member' (a young person, as laptops name them), 'staff' or 'laptop' (a device id).
constexpr std::string_view kInvolved = R"sql(
CREATE TABLE incident_involved (
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  kind        TEXT NOT NULL CHECK (kind IN ('member', 'staff', 'laptop')),
  name        TEXT NOT NULL CHECK (name <> ''),
  PRIMARY KEY (incident_id, kind, name)
) WITHOUT ROWID)sql";

// The events an incident is about, as the device API names them (they may be purged once the
// hold ends: the link stays), and the alert queue's items it was opened from.
constexpr std::string_view kLinkedEvents = R"sql(
CREATE TABLE incident_events (
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  device_id   TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  PRIMARY KEY (incident_id, device_id, seq)
) WITHOUT ROWID)sql";

constexpr std::string_view kLinkedAlerts = R"sql(
CREATE TABLE incident_alerts (
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  alert_id    INTEGER NOT NULL,
  PRIMARY KEY (incident_id, alert_id)
) WITHOUT ROWID)sql";

constexpr std::string_view kEntries = R"sql(
CREATE TABLE incident_entries (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  written_at  TEXT NOT NULL,
  written_by  TEXT NOT NULL,
  text        TEXT NOT NULL CHECK (trim(text) <> ''),
  corrects    INTEGER REFERENCES incident_entries (id),
  automatic   INTEGER NOT NULL DEFAULT 0
))sql";

constexpr std::string_view kTicks = R"sql(
CREATE TABLE incident_action_ticks (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  action      TEXT NOT NULL CHECK (action IN ('dsl_notified', 'evidence_secured',
                'risk_assessment', 'vulnerabilities_considered', 'referral_childrens_services',
                'referral_police', 'referral_lado', 'referral_ceop', 'referral_iwf',
                'safeguards', 'parents_informed', 'access_blocked', 'images_isolated')),
  reference   TEXT NOT NULL,
  note        TEXT NOT NULL,
  ticked_by   TEXT NOT NULL,
  ticked_at   TEXT NOT NULL,
  CHECK (action NOT LIKE 'referral\_%' ESCAPE '\' OR trim(reference) <> '')
))sql";

constexpr std::string_view kSharing = R"sql(
CREATE TABLE incident_sharing (
  id           INTEGER PRIMARY KEY,
  incident_id  INTEGER NOT NULL REFERENCES incidents (id),
  shared       INTEGER NOT NULL CHECK (shared IN (0, 1)),
  what         TEXT NOT NULL CHECK (trim(what) <> ''),
  with_whom    TEXT NOT NULL CHECK (trim(with_whom) <> ''),
  purpose      TEXT NOT NULL CHECK (trim(purpose) <> ''),
  lawful_basis TEXT NOT NULL,
  reason       TEXT NOT NULL CHECK (trim(reason) <> ''),
  decided_by   TEXT NOT NULL,
  decided_at   TEXT NOT NULL,
  CHECK (shared = 0 OR trim(lawful_basis) <> '')
))sql";

// What the retention purge skips (sqlite_event_store.cpp): the events of incidents whose hold
// is on, and every event of their members, as the events table numbers them.
constexpr std::string_view kHeldEvents = R"sql(
CREATE VIEW held_events AS
SELECT n.id AS device, l.seq FROM incident_events l
JOIN incidents i ON i.id = l.incident_id AND i.hold_released_at IS NULL
JOIN rollup_names n ON n.name = l.device_id)sql";

constexpr std::string_view kHeldMembers = R"sql(
CREATE VIEW held_members AS
SELECT DISTINCT n.id AS member FROM incident_involved p
JOIN incidents i ON i.id = p.incident_id AND i.hold_released_at IS NULL
JOIN rollup_names n ON n.name = p.name
WHERE p.kind = 'member')sql";

}  // namespace

Migration incidentLog() {
  return {
      18,
      "the incident log: incidents, chronology, checklist, information sharing, legal hold",
      {
          kIncidents,
          kInvolved,
          kLinkedEvents,
          kLinkedAlerts,
          kEntries,
          kTicks,
          kSharing,
          "CREATE INDEX incident_entries_by_incident ON incident_entries (incident_id, id)",
          "CREATE INDEX incident_ticks_by_incident ON incident_action_ticks (incident_id, id)",
          "CREATE INDEX incident_sharing_by_incident ON incident_sharing (incident_id, id)",
          R"sql(
CREATE TRIGGER incidents_kept BEFORE DELETE ON incidents
BEGIN SELECT RAISE(ABORT, 'an incident cannot be deleted'); END)sql",
          R"sql(
CREATE TRIGGER incidents_opened_as_kept
BEFORE UPDATE OF id, category, title, opened_by, opened_at ON incidents
BEGIN SELECT RAISE(ABORT, 'what an incident was opened as cannot be changed'); END)sql",
          R"sql(
CREATE TRIGGER incidents_closed_kept BEFORE UPDATE ON incidents WHEN OLD.closed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a closed incident cannot be changed'); END)sql",
          R"sql(
CREATE TRIGGER incident_involved_kept BEFORE DELETE ON incident_involved
BEGIN SELECT RAISE(ABORT, 'who an incident involves cannot be taken out'); END)sql",
          R"sql(
CREATE TRIGGER incident_events_kept BEFORE DELETE ON incident_events
BEGIN SELECT RAISE(ABORT, 'an incident''s events cannot be taken out'); END)sql",
          R"sql(
CREATE TRIGGER incident_entries_kept_update BEFORE UPDATE ON incident_entries
BEGIN SELECT RAISE(ABORT, 'a chronology entry cannot be changed: add a correction'); END)sql",
          R"sql(
CREATE TRIGGER incident_entries_kept_delete BEFORE DELETE ON incident_entries
BEGIN SELECT RAISE(ABORT, 'a chronology entry cannot be deleted'); END)sql",
          R"sql(
CREATE TRIGGER incident_ticks_kept_update BEFORE UPDATE ON incident_action_ticks
BEGIN SELECT RAISE(ABORT, 'a ticked action cannot be changed'); END)sql",
          R"sql(
CREATE TRIGGER incident_ticks_kept_delete BEFORE DELETE ON incident_action_ticks
BEGIN SELECT RAISE(ABORT, 'a ticked action cannot be deleted'); END)sql",
          R"sql(
CREATE TRIGGER incident_sharing_kept_update BEFORE UPDATE ON incident_sharing
BEGIN SELECT RAISE(ABORT, 'a sharing decision cannot be changed'); END)sql",
          R"sql(
CREATE TRIGGER incident_sharing_kept_delete BEFORE DELETE ON incident_sharing
BEGIN SELECT RAISE(ABORT, 'a sharing decision cannot be deleted'); END)sql",
          kHeldEvents,
          kHeldMembers,
      },
  };
}

}  // namespace clubsafe::collector
