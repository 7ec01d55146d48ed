#pragma once

#include <string>

namespace clubsafe::collector {

// Root running one of the collector's commands (create-enrolment-token, import-list, …) on a
// state folder owned by the service's own user becomes that user first, so the files the
// command makes (the domain index, the database's write-ahead log) stay the service's. Anyone
// else, or a folder root owns, is left as it is. Throws when the switch fails.
void actAsStateOwner(const std::string& stateDir);

}  // namespace clubsafe::collector
