#pragma once

#include "common/event.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::collector {

using common::Timestamp;

// One of the kinds of incident the club's policy names (appendix 2's six, and the filtering
// breach of section 8), by its stored name, e.g. "cyberbullying".
struct IncidentTerm {
  std::string_view name;   // as stored and sent
  std::string_view label;  // in plain English, for the console and the printed summary
};

// The categories an incident may have; "other" is last.
[[nodiscard]] std::span<const IncidentTerm> incidentCategories();
// Appendix 2's actions, in the policy's order, as the incident's checklist.
[[nodiscard]] std::span<const IncidentTerm> incidentActions();
// Whether an action is a referral to an agency, which needs the agency's reference number.
[[nodiscard]] bool isReferral(std::string_view action);
// The label of a category's or action's name; the name itself when it is none of them.
[[nodiscard]] std::string_view incidentLabel(std::string_view name);

// An event the incident is about, as the device API names it.
struct LinkedEvent {
  std::string deviceId;
  std::int64_t sequence = 0;
  friend bool operator==(const LinkedEvent&, const LinkedEvent&) = default;
};

// Who and what are involved: members (young people, as the laptops name them), staff, laptops
// (device ids), the events and the alert queue's items the incident was opened from.
struct IncidentInvolved {
  std::vector<std::string> members = {};
  std::vector<std::string> staff = {};
  std::vector<std::string> laptops = {};
  std::vector<LinkedEvent> events = {};
  std::vector<std::int64_t> alerts = {};
};

struct NewIncident {
  std::string category;  // a name of incidentCategories()
  std::string title;
  IncidentInvolved involved;
  std::optional<std::string> reviewDate;  // YYYY-MM-DD
  std::string openedBy;
  Timestamp openedAt{};
  std::string firstEntry;  // what happened, as the first chronology entry; may be ""
};

// A chronology entry. Entries are never changed: a correction is a new entry naming the one it
// corrects. Automatic entries record each change made through the store.
struct ChronologyEntry {
  std::int64_t id = 0;
  Timestamp time{};
  std::string author;
  std::string text;
  std::optional<std::int64_t> corrects = {};
  bool automatic = false;
};

// A tick on the checklist: who did the action and when they recorded it. Ticks are kept as
// written; ticking again (a second referral, a reference that came later) adds a tick.
struct ActionTick {
  std::int64_t id = 0;
  std::string action;          // a name of incidentActions()
  std::string reference = {};  // the agency's reference for a referral; "" otherwise
  std::string note = {};
  std::string tickedBy;
  Timestamp tickedAt{};
};

// A decision to share information, or not to (appendix 1, rule 7). Kept as written.
struct SharingDecision {
  std::int64_t id = 0;
  bool shared = false;
  std::string what;      // the information shared, or asked for and not shared
  std::string withWhom;  // the person or agency
  std::string purpose;
  std::string lawfulBasis = {};  // the lawful basis, or the consent given
  std::string reason;            // why it was decided so
  std::string decidedBy;
  Timestamp decidedAt{};
};

struct IncidentClosure {
  std::string outcome;
  std::string lessonsLearnt;
  std::string closedBy;
  Timestamp closedAt{};
};

// An incident as the list shows it.
struct IncidentSummary {
  std::int64_t id = 0;
  std::string category;
  std::string title;
  std::string openedBy;
  Timestamp openedAt{};
  std::optional<Timestamp> closedAt;
  std::optional<std::string> reviewDate;
  bool held = false;  // its events and people are kept from retention purges
};

struct Incident {
  IncidentSummary summary;
  IncidentInvolved involved;
  std::optional<IncidentClosure> closure;
  std::optional<Timestamp> holdReleasedAt;
  std::string holdReleaseReason;
  std::vector<ChronologyEntry> chronology;  // oldest first
  std::vector<ActionTick> ticks;            // oldest first
  std::vector<SharingDecision> sharing;     // oldest first
};

struct IncidentLogCounts {
  std::int64_t open = 0;
  std::int64_t closed = 0;
};

// Why the store refused a change; it changed nothing.
class IncidentRefused : public std::runtime_error {
 public:
  enum class Reason { NotFound, Closed, Invalid };
  IncidentRefused(Reason reason, const std::string& message)
      : std::runtime_error(message), reason_(reason) {}
  [[nodiscard]] Reason reason() const { return reason_; }

 private:
  Reason reason_;
};

// The incident log (SPEC C9; docs/ARCHITECTURE.md, "Incidents and legal hold"). Chronology
// entries, ticks and sharing decisions are append-only (the database refuses to change or
// delete them); every change also writes an automatic chronology entry in the same
// transaction. An open incident holds its linked events and its members' events from the
// retention purge until it is closed or its hold is released. Every change throws
// IncidentRefused for an incident that does not exist, is closed, or for bad values. Safe to
// call from many threads.
class IncidentStore {
 public:
  virtual ~IncidentStore() = default;

  // Returns the new incident's id.
  virtual std::int64_t openIncident(const NewIncident& incident) = 0;
  // Newest first.
  virtual std::vector<IncidentSummary> listIncidents() = 0;
  virtual std::optional<Incident> findIncident(std::int64_t id) = 0;
  virtual IncidentLogCounts countIncidents() = 0;

  // Adds people, laptops, events and alerts to an open incident (those it has already are
  // skipped); while its hold is on, they are held too.
  virtual void addInvolved(std::int64_t incidentId, const IncidentInvolved& added,
                           const std::string& by, Timestamp at) = 0;
  // Returns the entry's id. `corrects`, when given, must be an entry of the same incident.
  virtual std::int64_t addEntry(std::int64_t incidentId, const ChronologyEntry& entry) = 0;
  virtual std::int64_t tickAction(std::int64_t incidentId, const ActionTick& tick) = 0;
  virtual std::int64_t recordSharing(std::int64_t incidentId, const SharingDecision& decision) = 0;
  // Needs an outcome and lessons learnt; releases the legal hold.
  virtual void closeIncident(std::int64_t incidentId, const IncidentClosure& closure) = 0;
  // Releases the hold of an open incident, with the reason.
  virtual void releaseHold(std::int64_t incidentId, const std::string& by, Timestamp at,
                           const std::string& reason) = 0;
};

}  // namespace clubsafe::collector
