#pragma once

#include "common/event.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::collector {

using common::Timestamp;

// Where an alert stands in the DSL's queue (SPEC C8). New -> acknowledged -> escalated into an
// incident, or closed as no concern or as a false positive (a reason required); a closed alert
// can be reopened, with a reason, when something new comes to light. Nothing is deleted.
enum class AlertState { New, Acknowledged, Escalated, ClosedNoConcern, ClosedFalsePositive };

[[nodiscard]] std::string_view alertStateName(AlertState state);
[[nodiscard]] std::optional<AlertState> alertStateFromName(std::string_view name);
[[nodiscard]] constexpr bool isClosed(AlertState state) {
  return state == AlertState::ClosedNoConcern || state == AlertState::ClosedFalsePositive;
}

// A safeguarding alert from the phrase library, or a young person's worry report.
enum class AlertKind { Alert, Worry };

// One item of the queue: what the list shows, never the words themselves.
struct AlertSummary {
  std::int64_t id = 0;
  AlertKind kind = AlertKind::Alert;
  int severity = 0;  // 1 to 5; a worry report counts as 5
  Timestamp time{};  // the event's time on the laptop
  std::string deviceId;
  std::string laptop;  // the device's name, '' when it has none
  std::int64_t sequence = 0;
  std::string osUser;
  std::string member;
  std::string category;  // the phrase library's category; '' for a worry report
  AlertState state = AlertState::New;
  std::string assignedTo;  // a DSL's user name, '' for nobody
  std::optional<std::int64_t> incidentId;
};

// One change to an alert, kept for good (the table's triggers refuse UPDATE and DELETE).
struct AlertHistoryEntry {
  Timestamp at{};
  std::string by;
  AlertState from = AlertState::New;
  AlertState to = AlertState::New;
  std::string note;  // the reason for a close, who it was assigned to, the incident

  friend bool operator==(const AlertHistoryEntry&, const AlertHistoryEntry&) = default;
};

// An alert with what its event said: the payload as stored (JSON text: for an alert its
// phrase, rule, matched words, why, context and source; for a worry report about and message),
// "" when the event has gone past retention.
struct AlertDetail {
  AlertSummary summary;
  std::string payload;
  std::vector<AlertHistoryEntry> history;  // oldest first
};

struct AlertListFilter {
  std::optional<AlertState> state = {};
  std::string assignedTo = {};  // '' for anyone's
};

// How often a phrase-library rule has been closed as a false positive, to tune the library.
struct FalsePositiveCount {
  std::string category;
  std::string phrase;
  std::string rule;
  std::int64_t falsePositives = 0;
  std::int64_t alerts = 0;  // all alerts the rule raised
};

// Why a change was refused; nothing was changed. The message is plain English for the DSL.
class AlertChangeRefused : public std::runtime_error {
 public:
  enum class Reason { NotFound, MissingReason, WrongState };
  AlertChangeRefused(Reason reason, const std::string& message)
      : std::runtime_error(message), reason_(reason) {}
  [[nodiscard]] Reason reason() const { return reason_; }

 private:
  Reason reason_;
};

// The DSL's queue. Every safeguarding_alert and worry_report event is an item, including those
// stored before the queue existed. Each change is one transaction writing the new state and its
// history entry; a refused change throws AlertChangeRefused. Safe to call from many threads.
class AlertQueue {
 public:
  virtual ~AlertQueue() = default;

  // Ranked by severity (highest first), then age (oldest first).
  virtual std::vector<AlertSummary> listAlerts(const AlertListFilter& filter, std::size_t limit,
                                               std::size_t offset) = 0;
  virtual std::optional<AlertDetail> alertDetail(std::int64_t alertId) = 0;

  // new -> acknowledged.
  virtual void acknowledge(std::int64_t alertId, const std::string& by, Timestamp at) = 0;
  // To a DSL (or '' for nobody) in any state but closed.
  virtual void assign(std::int64_t alertId, const std::string& assignee, const std::string& by,
                      Timestamp at) = 0;
  // new or acknowledged -> closed_no_concern or closed_false_positive; `reason` must not be
  // blank (AlertChangeRefused::Reason::MissingReason).
  virtual void close(std::int64_t alertId, AlertState closedAs, const std::string& reason,
                     const std::string& by, Timestamp at) = 0;
  // closed -> acknowledged; `reason` must not be blank (MissingReason). An escalated alert stays
  // with its incident.
  virtual void reopen(std::int64_t alertId, const std::string& reason, const std::string& by,
                      Timestamp at) = 0;
  // new or acknowledged -> escalated, linked to the incident; again for the same incident
  // changes nothing. Refuses a closed alert and one escalated into another incident.
  // The incident log calls this when a DSL escalates alerts into an incident; the history
  // entry is dated now.
  virtual void markEscalated(std::int64_t alertId, std::int64_t incidentId,
                             const std::string& by) = 0;

  // Per phrase-library rule that has raised alerts, most false positives first.
  virtual std::vector<FalsePositiveCount> falsePositiveCounts() = 0;
};

}  // namespace clubsafe::collector
