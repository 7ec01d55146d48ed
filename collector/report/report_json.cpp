#include "collector/report/report_json.hpp"

#include "common/time.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace clubsafe::collector {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string timeText(Timestamp time) {
  return common::formatTimestamp(time);
}

Poco::Dynamic::Var optionalTimeText(const std::optional<Timestamp>& time) {
  return time ? Poco::Dynamic::Var(timeText(*time)) : Poco::Dynamic::Var();
}

template <typename Row, typename ToJson>
Array::Ptr arrayOf(const std::vector<Row>& rows, ToJson toJson) {
  Array::Ptr array = new Array;
  for (const auto& row : rows) array->add(toJson(row));
  return array;
}

Object::Ptr coverageJson(const LaptopCoverage& row) {
  Object::Ptr json = new Object;
  json->set("laptop", row.laptop);
  json->set("last_contact", optionalTimeText(row.lastContact));
  json->set("hours_reporting", row.hoursReporting);
  json->set("events", row.events);
  json->set("revoked", row.revoked);
  return json;
}

Object::Ptr selfTestJson(const LaptopSelfTests& row) {
  Object::Ptr json = new Object;
  json->set("laptop", row.laptop);
  json->set("passed", row.passed);
  json->set("failed", row.failed);
  const auto rate = passRatePercent(row);
  json->set("pass_rate", rate ? Poco::Dynamic::Var(*rate) : Poco::Dynamic::Var());
  return json;
}

Object::Ptr blocksJson(const CategoryBlocks& row) {
  Object::Ptr json = new Object;
  json->set("category", row.category);
  json->set("name", row.name);
  json->set("attempts", row.attempts);
  return json;
}

Object::Ptr overrideJson(const OverrideRecord& row) {
  Object::Ptr json = new Object;
  json->set("time", timeText(row.time));
  json->set("laptop", row.laptop);
  json->set("worker", row.worker);
  json->set("scope", row.scope);
  json->set("target", row.target);
  json->set("minutes", row.minutes);
  json->set("reason", row.reason);
  return json;
}

Object::Ptr decisionJson(const DecisionRecord& row) {
  Object::Ptr json = new Object;
  json->set("decided_at", timeText(row.decidedAt));
  json->set("decided_by", row.decidedBy);
  json->set("domain", row.domain);
  json->set("verdict", row.verdict);
  json->set("scope", row.scope);
  json->set("until", optionalTimeText(row.until));
  json->set("reason", row.reason);
  return json;
}

Object::Ptr newAppJson(const NewApp& row) {
  Object::Ptr json = new Object;
  json->set("app", row.app);
  json->set("first_seen", timeText(row.firstSeen));
  json->set("minutes", row.minutes);
  return json;
}

Object::Ptr changeJson(const AuditEntry& row) {
  Object::Ptr json = new Object;
  json->set("time", timeText(row.time));
  json->set("actor", row.actor);
  json->set("action", row.action);
  json->set("target", row.target);
  json->set("detail", row.detail);
  json->set("reason", row.reason);
  return json;
}

Object::Ptr checkJson(const CheckRecord& row) {
  Object::Ptr json = new Object;
  json->set("id", row.id);
  json->set("checked_at", timeText(row.checkedAt));
  json->set("checked_by", row.checkedBy);
  json->set("what", row.what);
  json->set("actions", row.actions);
  json->set("recorded_by", row.recordedBy);
  json->set("recorded_at", timeText(row.recordedAt));
  return json;
}

Object::Ptr incidentsJson(const IncidentCounts& counts) {
  Object::Ptr json = new Object;
  json->set("alerts", counts.alerts);
  json->set("worries", counts.worries);
  json->set("tamper", counts.tamper);
  json->set("overrides", counts.overrides);
  json->set("review_requests", counts.reviewRequests);
  return json;
}

Object::Ptr noticesJson(const NoticeCounts& counts) {
  Object::Ptr json = new Object;
  json->set("acknowledged", counts.acknowledged);
  json->set("not_acknowledged", counts.notAcknowledged);
  return json;
}

Poco::Dynamic::Var signOffJson(const std::optional<ReportSignOff>& signOff) {
  if (!signOff) return {};
  Object::Ptr json = new Object;
  json->set("name", signOff->name);
  json->set("role", signOff->role);
  json->set("notes", signOff->notes);
  json->set("signed_at", timeText(signOff->signedAt));
  json->set("signed_by", signOff->signedBy);
  return json;
}

}  // namespace

Object::Ptr reportToJson(const AuditReport& report) {
  Object::Ptr json = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  json->set("club_name", report.clubName);
  json->set("time_zone", report.timeZone);
  json->set("from", timeText(report.from));
  json->set("to", timeText(report.to));
  json->set("generated_at", timeText(report.generatedAt));
  json->set("coverage", arrayOf(report.coverage, coverageJson));
  json->set("self_tests", arrayOf(report.selfTests, selfTestJson));
  json->set("blocks", arrayOf(report.blocks, blocksJson));
  json->set("overrides", arrayOf(report.overrides, overrideJson));
  json->set("review_decisions", arrayOf(report.reviewDecisions, decisionJson));
  json->set("new_apps", arrayOf(report.newApps, newAppJson));
  json->set("incidents", incidentsJson(report.incidents));
  json->set("policy_changes", arrayOf(report.policyChanges, changeJson));
  json->set("notices", noticesJson(report.notices));
  json->set("checks", arrayOf(report.checks, checkJson));
  json->set("sign_off", signOffJson(report.signOff));
  return json;
}

std::string reportJsonText(const AuditReport& report) {
  std::ostringstream text;
  Poco::JSON::Stringifier::stringify(reportToJson(report), text);
  return text.str();
}

}  // namespace clubsafe::collector
