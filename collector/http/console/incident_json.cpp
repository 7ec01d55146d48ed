#include "collector/http/console/incident_json.hpp"

#include "collector/http/console/console_http.hpp"
#include "common/time.hpp"

#include <Poco/JSON/Array.h>

namespace clubsafe::collector {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Array::Ptr textsJson(const std::vector<std::string>& texts) {
  Array::Ptr array = new Array;
  for (const auto& text : texts) array->add(text);
  return array;
}

Object::Ptr involvedJson(const IncidentInvolved& involved) {
  Object::Ptr json = new Object;
  json->set("members", textsJson(involved.members));
  json->set("staff", textsJson(involved.staff));
  json->set("laptops", textsJson(involved.laptops));
  Array::Ptr events = new Array;
  for (const auto& event : involved.events) {
    Object::Ptr linked = new Object;
    linked->set("device_id", event.deviceId);
    linked->set("seq", event.sequence);
    events->add(linked);
  }
  json->set("events", events);
  Array::Ptr alerts = new Array;
  for (const auto alert : involved.alerts) alerts->add(alert);
  json->set("alerts", alerts);
  return json;
}

Array::Ptr chronologyJson(const std::vector<ChronologyEntry>& entries) {
  Array::Ptr array = new Array;
  for (const auto& entry : entries) {
    Object::Ptr json = new Object;
    json->set("id", entry.id);
    json->set("time", common::formatTimestamp(entry.time));
    json->set("author", entry.author);
    json->set("text", entry.text);
    json->set("corrects",
              entry.corrects ? Poco::Dynamic::Var(*entry.corrects) : Poco::Dynamic::Var());
    json->set("automatic", entry.automatic);
    array->add(json);
  }
  return array;
}

Array::Ptr ticksJson(const std::vector<ActionTick>& ticks) {
  Array::Ptr array = new Array;
  for (const auto& tick : ticks) {
    Object::Ptr json = new Object;
    json->set("id", tick.id);
    json->set("action", tick.action);
    json->set("label", std::string(incidentLabel(tick.action)));
    json->set("reference", tick.reference);
    json->set("note", tick.note);
    json->set("ticked_by", tick.tickedBy);
    json->set("ticked_at", common::formatTimestamp(tick.tickedAt));
    array->add(json);
  }
  return array;
}

Array::Ptr sharingJson(const std::vector<SharingDecision>& decisions) {
  Array::Ptr array = new Array;
  for (const auto& decision : decisions) {
    Object::Ptr json = new Object;
    json->set("id", decision.id);
    json->set("shared", decision.shared);
    json->set("what", decision.what);
    json->set("with_whom", decision.withWhom);
    json->set("purpose", decision.purpose);
    json->set("lawful_basis", decision.lawfulBasis);
    json->set("reason", decision.reason);
    json->set("decided_by", decision.decidedBy);
    json->set("decided_at", common::formatTimestamp(decision.decidedAt));
    array->add(json);
  }
  return array;
}

Array::Ptr termsJson(std::span<const IncidentTerm> terms) {
  Array::Ptr array = new Array;
  for (const auto& term : terms) {
    Object::Ptr json = new Object;
    json->set("name", std::string(term.name));
    json->set("label", std::string(term.label));
    json->set("referral", isReferral(term.name));
    array->add(json);
  }
  return array;
}

}  // namespace

Object::Ptr incidentSummaryJson(const IncidentSummary& summary) {
  Object::Ptr json = new Object;
  json->set("id", summary.id);
  json->set("category", summary.category);
  json->set("category_label", std::string(incidentLabel(summary.category)));
  json->set("title", summary.title);
  json->set("opened_by", summary.openedBy);
  json->set("opened_at", common::formatTimestamp(summary.openedAt));
  json->set("closed_at", optionalTime(summary.closedAt));
  json->set("review_date",
            summary.reviewDate ? Poco::Dynamic::Var(*summary.reviewDate) : Poco::Dynamic::Var());
  json->set("held", summary.held);
  return json;
}

Object::Ptr incidentJson(const Incident& incident) {
  auto json = incidentSummaryJson(incident.summary);
  json->set("involved", involvedJson(incident.involved));
  if (incident.closure) {
    json->set("outcome", incident.closure->outcome);
    json->set("lessons_learnt", incident.closure->lessonsLearnt);
    json->set("closed_by", incident.closure->closedBy);
  }
  json->set("hold_released_at", optionalTime(incident.holdReleasedAt));
  json->set("hold_release_reason", incident.holdReleaseReason);
  json->set("chronology", chronologyJson(incident.chronology));
  json->set("ticks", ticksJson(incident.ticks));
  json->set("sharing", sharingJson(incident.sharing));
  return json;
}

Object::Ptr incidentTermsJson() {
  Object::Ptr json = new Object;
  json->set("categories", termsJson(incidentCategories()));
  json->set("actions", termsJson(incidentActions()));
  return json;
}

}  // namespace clubsafe::collector
