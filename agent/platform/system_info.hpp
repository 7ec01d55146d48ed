#pragma once

#include <string>

namespace clubsafe::agent::platform {

// The operating system as its vendor names it, e.g. "Debian GNU/Linux 12 (bookworm)", for the
// console's device list; "unknown" when it cannot be told.
[[nodiscard]] std::string operatingSystemName();

// This machine's host name.
[[nodiscard]] std::string hostName();

}  // namespace clubsafe::agent::platform
