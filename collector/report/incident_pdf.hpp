#pragma once

#include "collector/storage/incident_store.hpp"

#include <string>

namespace clubsafe::collector {

// An incident's summary for a referral, as an A4 PDF (PdfDocument): what happened, who and
// what was involved, the chronology, appendix 2's checklist, the information-sharing record,
// the outcome and lessons learnt. Times in the club's zone `timeZone`; `printedAt` in the
// footer. Throws std::runtime_error when cairo cannot make the PDF.
[[nodiscard]] std::string renderIncidentPdf(const Incident& incident, const std::string& timeZone,
                                            Timestamp printedAt);

}  // namespace clubsafe::collector
