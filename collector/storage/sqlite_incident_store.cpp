#include "collector/storage/sqlite_incident_store.hpp"

#include "collector/storage/sqlite_query.hpp"

#include <Poco/Tuple.h>

#include <algorithm>
#include <chrono>

namespace clubsafe::collector {
namespace {

using namespace sqlite;
using Poco::Int64;
using Poco::Tuple;
using Poco::Data::Session;
using Reason = IncidentRefused::Reason;
using NullableId = Poco::Nullable<Int64>;

bool blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

void requireText(const std::string& text, const std::string& what) {
  if (blank(text)) throw IncidentRefused(Reason::Invalid, "Give " + what + ".");
}

bool isTerm(std::span<const IncidentTerm> terms, const std::string& name) {
  return std::ranges::any_of(terms, [&](const auto& term) { return term.name == name; });
}

// A review date as YYYY-MM-DD, a real day.
bool isDay(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (const auto at : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[at] < '0' || text[at] > '9') return false;
  }
  const std::chrono::year_month_day day(std::chrono::year(std::stoi(text.substr(0, 4))),
                                        std::chrono::month(std::stoul(text.substr(5, 2))),
                                        std::chrono::day(std::stoul(text.substr(8, 2))));
  return day.ok();
}

void checkInvolved(const IncidentInvolved& involved) {
  for (const auto* names : {&involved.members, &involved.staff, &involved.laptops}) {
    if (std::ranges::any_of(*names, blank)) {
      throw IncidentRefused(Reason::Invalid, "A name of someone or something involved is empty.");
    }
  }
}

// "Added: young people Sam, Alex; alerts 7" for the chronology.
std::string involvedText(const IncidentInvolved& added) {
  std::string text;
  const auto part = [&](const char* what, const std::vector<std::string>& names) {
    if (names.empty()) return;
    text += std::string(text.empty() ? "" : "; ") + what;
    for (std::size_t i = 0; i < names.size(); ++i) text += (i == 0 ? " " : ", ") + names[i];
  };
  part("young people", added.members);
  part("staff", added.staff);
  part("laptops", added.laptops);
  std::vector<std::string> events;
  for (const auto& event : added.events) {
    events.push_back(event.deviceId + " #" + std::to_string(event.sequence));
  }
  part("events", events);
  std::vector<std::string> alerts;
  for (const auto alert : added.alerts) alerts.push_back(std::to_string(alert));
  part("alerts", alerts);
  return "Added to the incident: " + text;
}

void checkNewIncident(const NewIncident& incident) {
  if (!isTerm(incidentCategories(), incident.category)) {
    throw IncidentRefused(Reason::Invalid, "Choose one of the policy's incident categories.");
  }
  requireText(incident.title, "a short title for the incident");
  if (incident.reviewDate && !isDay(*incident.reviewDate)) {
    throw IncidentRefused(Reason::Invalid, "Give the review date as a day, e.g. 2026-12-24.");
  }
  checkInvolved(incident.involved);
}

// Throws unless the incident exists and is open.
void requireOpen(Session& session, std::int64_t incidentId) {
  const auto closed = query<NullableText>(session, "SELECT closed_at FROM incidents WHERE id = ?",
                                          Int64{incidentId});
  if (closed.empty()) throw IncidentRefused(Reason::NotFound, "There is no such incident.");
  if (!closed.front().isNull()) {
    throw IncidentRefused(Reason::Closed, "The incident is closed; its record cannot change.");
  }
}

std::int64_t insertEntry(Session& session, std::int64_t incidentId, const ChronologyEntry& entry) {
  return query<Int64>(session,
                      "INSERT INTO incident_entries (incident_id, written_at, written_by, text, "
                      "corrects, automatic) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                      Int64{incidentId}, text(entry.time), entry.author, entry.text,
                      entry.corrects ? NullableId(*entry.corrects) : NullableId(),
                      Int64{entry.automatic ? 1 : 0})
      .at(0);
}

// The chronology's record of a change made through the store.
void recordChange(Session& session, std::int64_t incidentId, const std::string& by, Timestamp at,
                  const std::string& what) {
  (void)insertEntry(session, incidentId,
                    {.time = at, .author = by, .text = what, .corrects = {}, .automatic = true});
}

void insertInvolved(Session& session, std::int64_t incidentId, const IncidentInvolved& involved) {
  const auto insert = [&](const char* kind, const std::vector<std::string>& names) {
    for (const auto& name : names) {
      execute(session,
              "INSERT OR IGNORE INTO incident_involved (incident_id, kind, name) VALUES (?, ?, ?)",
              Int64{incidentId}, std::string(kind), name);
    }
  };
  insert("member", involved.members);
  insert("staff", involved.staff);
  insert("laptop", involved.laptops);
  for (const auto& event : involved.events) {
    execute(session,
            "INSERT OR IGNORE INTO incident_events (incident_id, device_id, seq) VALUES (?, ?, ?)",
            Int64{incidentId}, event.deviceId, Int64{event.sequence});
  }
  for (const auto alert : involved.alerts) {
    execute(session, "INSERT OR IGNORE INTO incident_alerts (incident_id, alert_id) VALUES (?, ?)",
            Int64{incidentId}, Int64{alert});
  }
}

const std::string kSelectIncidents =
    "SELECT id, category, title, opened_by, opened_at, review_date, closed_at, "
    "hold_released_at IS NULL FROM incidents";
using SummaryRow = Tuple<Int64, std::string, std::string, std::string, std::string, NullableText,
                         NullableText, Int64>;

IncidentSummary toSummary(const SummaryRow& row) {
  const auto& review = row.get<5>();
  return {.id = row.get<0>(),
          .category = row.get<1>(),
          .title = row.get<2>(),
          .openedBy = row.get<3>(),
          .openedAt = readTime(row.get<4>()),
          .closedAt = readOptionalTime(row.get<6>()),
          .reviewDate = review.isNull() ? std::nullopt : std::optional(review.value()),
          .held = row.get<7>() != 0};
}

using EntryRow = Tuple<Int64, std::string, std::string, std::string, NullableId, Int64>;

ChronologyEntry toEntry(const EntryRow& row) {
  const auto& corrects = row.get<4>();
  return {.id = row.get<0>(),
          .time = readTime(row.get<1>()),
          .author = row.get<2>(),
          .text = row.get<3>(),
          .corrects = corrects.isNull() ? std::nullopt : std::optional(corrects.value()),
          .automatic = row.get<5>() != 0};
}

using TickRow = Tuple<Int64, std::string, std::string, std::string, std::string, std::string>;

ActionTick toTick(const TickRow& row) {
  return {.id = row.get<0>(),
          .action = row.get<1>(),
          .reference = row.get<2>(),
          .note = row.get<3>(),
          .tickedBy = row.get<4>(),
          .tickedAt = readTime(row.get<5>())};
}

using SharingRow = Tuple<Int64, Int64, std::string, std::string, std::string, std::string,
                         std::string, std::string, std::string>;

SharingDecision toSharing(const SharingRow& row) {
  return {.id = row.get<0>(),
          .shared = row.get<1>() != 0,
          .what = row.get<2>(),
          .withWhom = row.get<3>(),
          .purpose = row.get<4>(),
          .lawfulBasis = row.get<5>(),
          .reason = row.get<6>(),
          .decidedBy = row.get<7>(),
          .decidedAt = readTime(row.get<8>())};
}

IncidentInvolved readInvolved(Session& session, Int64 id) {
  IncidentInvolved involved;
  using NameRow = Tuple<std::string, std::string>;
  for (const auto& row : query<NameRow>(session,
                                        "SELECT kind, name FROM incident_involved "
                                        "WHERE incident_id = ? ORDER BY kind, name",
                                        id)) {
    auto& names = row.get<0>() == "member"  ? involved.members
                  : row.get<0>() == "staff" ? involved.staff
                                            : involved.laptops;
    names.push_back(row.get<1>());
  }
  using EventRow = Tuple<std::string, Int64>;
  involved.events =
      convertAll(query<EventRow>(session,
                                 "SELECT device_id, seq FROM incident_events WHERE incident_id = ? "
                                 "ORDER BY device_id, seq",
                                 id),
                 [](const EventRow& row) {
                   return LinkedEvent{row.get<0>(), row.get<1>()};
                 });
  for (const auto alert : query<Int64>(
           session, "SELECT alert_id FROM incident_alerts WHERE incident_id = ? ORDER BY 1", id)) {
    involved.alerts.push_back(alert);
  }
  return involved;
}

using ClosureRow =
    Tuple<std::string, std::string, NullableText, NullableText, NullableText, std::string>;

void readClosure(Session& session, Int64 id, Incident& incident) {
  const auto row = query<ClosureRow>(session,
                                     "SELECT outcome, lessons_learnt, closed_by, closed_at, "
                                     "hold_released_at, hold_release_reason "
                                     "FROM incidents WHERE id = ?",
                                     id)
                       .at(0);
  if (!row.get<3>().isNull()) {
    incident.closure = IncidentClosure{.outcome = row.get<0>(),
                                       .lessonsLearnt = row.get<1>(),
                                       .closedBy = row.get<2>().value(),
                                       .closedAt = readTime(row.get<3>().value())};
  }
  incident.holdReleasedAt = readOptionalTime(row.get<4>());
  incident.holdReleaseReason = row.get<5>();
}

}  // namespace

std::int64_t SqliteIncidentStore::openIncident(const NewIncident& incident) {
  checkNewIncident(incident);
  return database_.write("open an incident", [&](Session& session) {
    const auto id =
        query<Int64>(session,
                     "INSERT INTO incidents (category, title, opened_by, opened_at, review_date) "
                     "VALUES (?, ?, ?, ?, ?) RETURNING id",
                     incident.category, incident.title, incident.openedBy, text(incident.openedAt),
                     incident.reviewDate ? NullableText(*incident.reviewDate) : NullableText())
            .at(0);
    insertInvolved(session, id, incident.involved);
    recordChange(session, id, incident.openedBy, incident.openedAt,
                 "Incident opened: " + std::string(incidentLabel(incident.category)) + ". " +
                     incident.title);
    if (!blank(incident.firstEntry)) {
      (void)insertEntry(session, id,
                        {.time = incident.openedAt,
                         .author = incident.openedBy,
                         .text = incident.firstEntry,
                         .corrects = {},
                         .automatic = false});
    }
    return id;
  });
}

std::vector<IncidentSummary> SqliteIncidentStore::listIncidents() {
  return database_.read("list incidents", [&](Session& session) {
    return convertAll(query<SummaryRow>(session, kSelectIncidents + " ORDER BY id DESC"),
                      toSummary);
  });
}

std::optional<Incident> SqliteIncidentStore::findIncident(std::int64_t id) {
  return database_.read("read an incident", [&](Session& session) -> std::optional<Incident> {
    const Int64 key{id};
    const auto summary = convertFirst(
        query<SummaryRow>(session, kSelectIncidents + " WHERE id = ?", key), toSummary);
    if (!summary) return std::nullopt;
    Incident incident;
    incident.summary = *summary;
    incident.involved = readInvolved(session, key);
    readClosure(session, key, incident);
    incident.chronology =
        convertAll(query<EntryRow>(session,
                                   "SELECT id, written_at, written_by, text, corrects, automatic "
                                   "FROM incident_entries WHERE incident_id = ? ORDER BY id",
                                   key),
                   toEntry);
    incident.ticks =
        convertAll(query<TickRow>(session,
                                  "SELECT id, action, reference, note, ticked_by, ticked_at "
                                  "FROM incident_action_ticks WHERE incident_id = ? ORDER BY id",
                                  key),
                   toTick);
    incident.sharing =
        convertAll(query<SharingRow>(session,
                                     "SELECT id, shared, what, with_whom, purpose, lawful_basis, "
                                     "reason, decided_by, decided_at FROM incident_sharing "
                                     "WHERE incident_id = ? ORDER BY id",
                                     key),
                   toSharing);
    return incident;
  });
}

IncidentLogCounts SqliteIncidentStore::countIncidents() {
  return database_.read("count incidents", [&](Session& session) {
    using Row = Tuple<Int64, Int64>;
    const auto row = query<Row>(session,
                                "SELECT COUNT(*) FILTER (WHERE closed_at IS NULL), "
                                "COUNT(*) FILTER (WHERE closed_at IS NOT NULL) FROM incidents")
                         .at(0);
    return IncidentLogCounts{.open = row.get<0>(), .closed = row.get<1>()};
  });
}

void SqliteIncidentStore::addInvolved(std::int64_t incidentId, const IncidentInvolved& added,
                                      const std::string& by, Timestamp at) {
  checkInvolved(added);
  const auto nothing = added.members.empty() && added.staff.empty() && added.laptops.empty() &&
                       added.events.empty() && added.alerts.empty();
  if (nothing) throw IncidentRefused(Reason::Invalid, "Name someone or something to add.");
  database_.write("add to who and what an incident involves", [&](Session& session) {
    requireOpen(session, incidentId);
    insertInvolved(session, incidentId, added);
    recordChange(session, incidentId, by, at, involvedText(added));
  });
}

std::int64_t SqliteIncidentStore::addEntry(std::int64_t incidentId, const ChronologyEntry& entry) {
  requireText(entry.text, "what happened or was done");
  return database_.write("add to an incident's chronology", [&](Session& session) {
    requireOpen(session, incidentId);
    if (entry.corrects &&
        query<Int64>(session, "SELECT 1 FROM incident_entries WHERE id = ? AND incident_id = ?",
                     Int64{*entry.corrects}, Int64{incidentId})
            .empty()) {
      throw IncidentRefused(Reason::Invalid,
                            "The entry to correct is not in this incident's chronology.");
    }
    auto written = entry;
    written.automatic = false;
    return insertEntry(session, incidentId, written);
  });
}

std::int64_t SqliteIncidentStore::tickAction(std::int64_t incidentId, const ActionTick& tick) {
  if (!isTerm(incidentActions(), tick.action)) {
    throw IncidentRefused(Reason::Invalid, "Choose one of the checklist's actions.");
  }
  if (isReferral(tick.action)) {
    requireText(tick.reference, "the reference number the agency gave for the referral");
  }
  return database_.write("tick an incident's action", [&](Session& session) {
    requireOpen(session, incidentId);
    const auto id = query<Int64>(session,
                                 "INSERT INTO incident_action_ticks (incident_id, action, "
                                 "reference, note, ticked_by, ticked_at) "
                                 "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                                 Int64{incidentId}, tick.action, tick.reference, tick.note,
                                 tick.tickedBy, text(tick.tickedAt))
                        .at(0);
    recordChange(session, incidentId, tick.tickedBy, tick.tickedAt,
                 "Checklist: " + std::string(incidentLabel(tick.action)) +
                     (tick.reference.empty() ? "" : " (reference " + tick.reference + ")") +
                     (blank(tick.note) ? "" : ". " + tick.note));
    return id;
  });
}

std::int64_t SqliteIncidentStore::recordSharing(std::int64_t incidentId,
                                                const SharingDecision& decision) {
  requireText(decision.what, "what information the decision is about");
  requireText(decision.withWhom, "who it was, or would have been, shared with");
  requireText(decision.purpose, "the purpose of sharing");
  requireText(decision.reason, "the reason for the decision");
  if (decision.shared) requireText(decision.lawfulBasis, "the lawful basis or the consent given");
  return database_.write("record an information-sharing decision", [&](Session& session) {
    requireOpen(session, incidentId);
    const auto id = query<Int64>(session,
                                 "INSERT INTO incident_sharing (incident_id, shared, what, "
                                 "with_whom, purpose, lawful_basis, reason, decided_by, "
                                 "decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                 Int64{incidentId}, Int64{decision.shared ? 1 : 0}, decision.what,
                                 decision.withWhom, decision.purpose, decision.lawfulBasis,
                                 decision.reason, decision.decidedBy, text(decision.decidedAt))
                        .at(0);
    recordChange(session, incidentId, decision.decidedBy, decision.decidedAt,
                 std::string(decision.shared ? "Decided to share" : "Decided not to share") +
                     " with " + decision.withWhom + ": " + decision.what);
    return id;
  });
}

void SqliteIncidentStore::closeIncident(std::int64_t incidentId, const IncidentClosure& closure) {
  requireText(closure.outcome, "the outcome");
  requireText(closure.lessonsLearnt, "the lessons learnt");
  database_.write("close an incident", [&](Session& session) {
    requireOpen(session, incidentId);
    recordChange(session, incidentId, closure.closedBy, closure.closedAt,
                 "Incident closed. Outcome: " + closure.outcome +
                     " Lessons learnt: " + closure.lessonsLearnt);
    // A hold released earlier keeps its own reason.
    execute(session,
            "UPDATE incidents SET outcome = ?, lessons_learnt = ?, closed_by = ?, closed_at = ?, "
            "hold_release_reason = CASE WHEN hold_released_at IS NULL "
            "THEN 'the incident was closed' ELSE hold_release_reason END, "
            "hold_released_by = COALESCE(hold_released_by, ?), "
            "hold_released_at = COALESCE(hold_released_at, ?) WHERE id = ?",
            closure.outcome, closure.lessonsLearnt, closure.closedBy, text(closure.closedAt),
            closure.closedBy, text(closure.closedAt), Int64{incidentId});
  });
}

void SqliteIncidentStore::releaseHold(std::int64_t incidentId, const std::string& by, Timestamp at,
                                      const std::string& reason) {
  requireText(reason, "the reason for releasing the hold");
  database_.write("release an incident's legal hold", [&](Session& session) {
    requireOpen(session, incidentId);
    if (execute(session,
                "UPDATE incidents SET hold_released_at = ?, hold_released_by = ?, "
                "hold_release_reason = ? WHERE id = ? AND hold_released_at IS NULL",
                text(at), by, reason, Int64{incidentId}) == 0) {
      throw IncidentRefused(Reason::Invalid, "The incident's hold was released already.");
    }
    recordChange(session, incidentId, by, at, "Legal hold released: " + reason);
  });
}

}  // namespace clubsafe::collector
