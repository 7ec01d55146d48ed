#include "collector/storage/sqlite_alert_queue.hpp"

#include "collector/storage/sqlite_names.hpp"
#include "collector/storage/sqlite_query.hpp"
#include "common/time.hpp"

#include <Poco/Nullable.h>
#include <Poco/Tuple.h>

#include <algorithm>
#include <cctype>

namespace clubsafe::collector {
namespace {

using namespace sqlite;
using Poco::Int64;
using Poco::Data::Session;

AlertState readState(const std::string& stored) {
  const auto state = alertStateFromName(stored);
  if (!state) {
    throw std::runtime_error("The alert queue holds a state it does not know (\"" + stored +
                             "\"); the file may be damaged.");
  }
  return *state;
}

using SummaryRow =
    Poco::Tuple<Int64, std::string, int, Int64, std::string, std::string, Int64, std::string,
                std::string, std::string, std::string, std::string, Poco::Nullable<Int64>>;

std::string selectSummaries() {
  return "SELECT a.id, a.kind, a.severity, a.time, " + nameOf("a.device") +
         ", COALESCE(d.name, ''), a.seq, " + nameOf("a.os_user") + ", " + nameOf("a.member") +
         ", a.category, a.state, a.assigned_to, a.incident_id FROM alert_cases a "
         "LEFT JOIN devices d ON d.id = " +
         nameOf("a.device");
}

AlertSummary toSummary(const SummaryRow& row) {
  const auto& incident = row.get<12>();
  return {.id = row.get<0>(),
          .kind = row.get<1>() == "worry" ? AlertKind::Worry : AlertKind::Alert,
          .severity = row.get<2>(),
          .time = timeFromMilliseconds(row.get<3>()),
          .deviceId = row.get<4>(),
          .laptop = row.get<5>(),
          .sequence = row.get<6>(),
          .osUser = row.get<7>(),
          .member = row.get<8>(),
          .category = row.get<9>(),
          .state = readState(row.get<10>()),
          .assignedTo = row.get<11>(),
          .incidentId = incident.isNull() ? std::nullopt : std::optional(incident.value())};
}

using HistoryRow = Poco::Tuple<std::string, std::string, std::string, std::string, std::string>;

AlertHistoryEntry toHistory(const HistoryRow& row) {
  return {.at = readTime(row.get<0>()),
          .by = row.get<1>(),
          .from = readState(row.get<2>()),
          .to = readState(row.get<3>()),
          .note = row.get<4>()};
}

// The alert's state now; refuses an alert there is none of.
AlertState currentState(Session& session, std::int64_t alertId) {
  const auto states =
      query<std::string>(session, "SELECT state FROM alert_cases WHERE id = ?", Int64{alertId});
  if (states.empty()) {
    throw AlertChangeRefused(AlertChangeRefused::Reason::NotFound,
                             "There is no alert " + std::to_string(alertId) + ".");
  }
  return readState(states.front());
}

void refuseWhenClosed(AlertState state, std::string_view change) {
  if (isClosed(state)) {
    throw AlertChangeRefused(AlertChangeRefused::Reason::WrongState,
                             "This alert is closed, so it cannot be " + std::string(change) + ".");
  }
}

void writeHistory(Session& session, std::int64_t alertId, Timestamp at, const std::string& by,
                  AlertState from, AlertState to, const std::string& note) {
  execute(session,
          "INSERT INTO alert_history (alert_id, at, by, from_state, to_state, note) "
          "VALUES (?, ?, ?, ?, ?, ?)",
          Int64{alertId}, text(at), by, std::string(alertStateName(from)),
          std::string(alertStateName(to)), note);
}

void changeState(Session& session, std::int64_t alertId, AlertState from, AlertState to,
                 Timestamp at, const std::string& by, const std::string& note) {
  execute(session, "UPDATE alert_cases SET state = ? WHERE id = ?", std::string(alertStateName(to)),
          Int64{alertId});
  writeHistory(session, alertId, at, by, from, to, note);
}

bool isBlank(const std::string& text) {
  return std::ranges::all_of(text, [](unsigned char c) { return std::isspace(c) != 0; });
}

}  // namespace

std::vector<AlertSummary> SqliteAlertQueue::listAlerts(const AlertListFilter& filter,
                                                       std::size_t limit, std::size_t offset) {
  const std::string state = filter.state ? std::string(alertStateName(*filter.state)) : "";
  return database_.read("list the alert queue", [&](Session& session) {
    return convertAll(
        query<SummaryRow>(session,
                          selectSummaries() +
                              " WHERE (? = '' OR a.state = ?) AND (? = '' OR a.assigned_to = ?)"
                              " ORDER BY a.severity DESC, a.time, a.id LIMIT ? OFFSET ?",
                          state, state, filter.assignedTo, filter.assignedTo,
                          static_cast<Int64>(limit), static_cast<Int64>(offset)),
        toSummary);
  });
}

std::optional<AlertDetail> SqliteAlertQueue::alertDetail(std::int64_t alertId) {
  return database_.read("read an alert", [&](Session& session) -> std::optional<AlertDetail> {
    const auto summary = convertFirst(
        query<SummaryRow>(session, selectSummaries() + " WHERE a.id = ?", Int64{alertId}),
        toSummary);
    if (!summary) return std::nullopt;
    const auto payloads =
        query<std::string>(session,
                           "SELECT COALESCE(e.payload, '') FROM alert_cases a JOIN events e "
                           "ON e.device = a.device AND e.seq = a.seq WHERE a.id = ?",
                           Int64{alertId});
    return AlertDetail{
        .summary = *summary,
        .payload = payloads.empty() ? "" : payloads.front(),
        .history = convertAll(query<HistoryRow>(session,
                                                "SELECT at, by, from_state, to_state, note "
                                                "FROM alert_history WHERE alert_id = ? ORDER BY id",
                                                Int64{alertId}),
                              toHistory)};
  });
}

void SqliteAlertQueue::acknowledge(std::int64_t alertId, const std::string& by, Timestamp at) {
  database_.write("acknowledge an alert", [&](Session& session) {
    const auto state = currentState(session, alertId);
    if (state != AlertState::New) {
      throw AlertChangeRefused(AlertChangeRefused::Reason::WrongState,
                               "Only a new alert can be acknowledged; this one is " +
                                   std::string(alertStateName(state)) + ".");
    }
    changeState(session, alertId, state, AlertState::Acknowledged, at, by, "");
  });
}

void SqliteAlertQueue::assign(std::int64_t alertId, const std::string& assignee,
                              const std::string& by, Timestamp at) {
  database_.write("assign an alert", [&](Session& session) {
    const auto state = currentState(session, alertId);
    refuseWhenClosed(state, "assigned");
    execute(session, "UPDATE alert_cases SET assigned_to = ? WHERE id = ?", assignee,
            Int64{alertId});
    writeHistory(session, alertId, at, by, state, state,
                 assignee.empty() ? "assigned to nobody" : "assigned to " + assignee);
  });
}

void SqliteAlertQueue::close(std::int64_t alertId, AlertState closedAs, const std::string& reason,
                             const std::string& by, Timestamp at) {
  if (!isClosed(closedAs)) {
    throw AlertChangeRefused(AlertChangeRefused::Reason::WrongState,
                             "An alert is closed as no concern or as a false positive.");
  }
  if (isBlank(reason)) {
    throw AlertChangeRefused(AlertChangeRefused::Reason::MissingReason,
                             "Say why the alert is closed: a reason is required.");
  }
  database_.write("close an alert", [&](Session& session) {
    const auto state = currentState(session, alertId);
    if (state != AlertState::New && state != AlertState::Acknowledged) {
      throw AlertChangeRefused(AlertChangeRefused::Reason::WrongState,
                               "Only a new or acknowledged alert can be closed; this one is " +
                                   std::string(alertStateName(state)) + ".");
    }
    changeState(session, alertId, state, closedAs, at, by, reason);
  });
}

void SqliteAlertQueue::reopen(std::int64_t alertId, const std::string& reason,
                              const std::string& by, Timestamp at) {
  if (isBlank(reason)) {
    throw AlertChangeRefused(AlertChangeRefused::Reason::MissingReason,
                             "Say why the alert is reopened: a reason is required.");
  }
  database_.write("reopen an alert", [&](Session& session) {
    const auto state = currentState(session, alertId);
    if (!isClosed(state)) {
      throw AlertChangeRefused(AlertChangeRefused::Reason::WrongState,
                               "Only a closed alert can be reopened; this one is " +
                                   std::string(alertStateName(state)) + ".");
    }
    changeState(session, alertId, state, AlertState::Acknowledged, at, by, reason);
  });
}

void SqliteAlertQueue::markEscalated(std::int64_t alertId, std::int64_t incidentId,
                                     const std::string& by) {
  const auto at = common::nowUtc();
  database_.write("escalate an alert", [&](Session& session) {
    const auto state = currentState(session, alertId);
    refuseWhenClosed(state, "escalated");
    if (state == AlertState::Escalated) {
      const auto linked = query<Int64>(
          session, "SELECT incident_id FROM alert_cases WHERE id = ? AND incident_id = ?",
          Int64{alertId}, Int64{incidentId});
      if (!linked.empty()) return;
      throw AlertChangeRefused(AlertChangeRefused::Reason::WrongState,
                               "This alert is already escalated into another incident.");
    }
    execute(session, "UPDATE alert_cases SET incident_id = ? WHERE id = ?", Int64{incidentId},
            Int64{alertId});
    changeState(session, alertId, state, AlertState::Escalated, at, by,
                "incident " + std::to_string(incidentId));
  });
}

std::vector<FalsePositiveCount> SqliteAlertQueue::falsePositiveCounts() {
  using CountRow = Poco::Tuple<std::string, std::string, std::string, Int64, Int64>;
  return database_.read("count false positives", [&](Session& session) {
    return convertAll(
        query<CountRow>(session,
                        "SELECT category, phrase, rule, "
                        "SUM(state = 'closed_false_positive'), COUNT(*) FROM alert_cases "
                        "WHERE kind = 'alert' GROUP BY category, phrase, rule "
                        "ORDER BY 4 DESC, 5 DESC, category, phrase"),
        [](const CountRow& row) {
          return FalsePositiveCount{.category = row.get<0>(),
                                    .phrase = row.get<1>(),
                                    .rule = row.get<2>(),
                                    .falsePositives = row.get<3>(),
                                    .alerts = row.get<4>()};
        });
  });
}

}  // namespace clubsafe::collector
