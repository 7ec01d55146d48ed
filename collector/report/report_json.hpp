#pragma once

#include "collector/report/audit_report.hpp"

#include <Poco/JSON/Object.h>

#include <string>

namespace clubsafe::collector {

// The report as the console's page shows it: times as the API writes them (UTC), names as they
// are, figures as numbers. What a sign-off freezes is reportJsonText of the report signed.
[[nodiscard]] Poco::JSON::Object::Ptr reportToJson(const AuditReport& report);
[[nodiscard]] std::string reportJsonText(const AuditReport& report);

}  // namespace clubsafe::collector
