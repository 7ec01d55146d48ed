#pragma once

#include "collector/report/audit_report.hpp"

#include <string>

namespace clubsafe::collector {

// The report as an A4 PDF (pdf_document.hpp), times in the club's time zone. Throws
// std::runtime_error when the PDF cannot be made.
[[nodiscard]] std::string renderReportPdf(const AuditReport& report);

}  // namespace clubsafe::collector
