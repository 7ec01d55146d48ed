#pragma once

#include "collector/http/router.hpp"

namespace clubsafe::collector {

// Serves the console's embedded files; "/" is index.html.
void serveConsoleFile(Request& request);

}  // namespace clubsafe::collector
