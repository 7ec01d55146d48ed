#pragma once

#include "collector/storage/incident_store.hpp"

#include <Poco/JSON/Object.h>

namespace clubsafe::collector {

// The incident log as the console API writes it. Every text is sent as the DSL typed it; the
// console shows it as text, never as markup.
[[nodiscard]] Poco::JSON::Object::Ptr incidentSummaryJson(const IncidentSummary& summary);
[[nodiscard]] Poco::JSON::Object::Ptr incidentJson(const Incident& incident);
// The categories and checklist actions with their labels: {"categories": [...], "actions": [...]}.
[[nodiscard]] Poco::JSON::Object::Ptr incidentTermsJson();

}  // namespace clubsafe::collector
