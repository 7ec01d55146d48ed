#pragma once

#include "agent/platform/private_file.hpp"
#include "agent/platform/resolver_settings.hpp"

#include <string>
#include <string_view>

namespace clubsafe::agent::protection {

// While the agent is the system's resolver, /etc/resolv.conf is a link to the file the agent
// writes, /run/clubsafe/resolv.conf (docs/DNS.md, "Taking over the system resolver"). The
// service makes and removes the link in privileged steps before it starts and after it stops
// (clubsafe-agent resolver-link and resolver-unlink), so the agent itself runs with /etc
// read-only but for the drop-in and browser policy folders it writes.

// The first line of every resolv.conf the agent writes, by which it knows its own.
inline constexpr std::string_view kAgentResolvConfHeader = "# Written by clubsafe-agent";
[[nodiscard]] bool isAgentsResolvConf(std::string_view text);

// The error for resolv.conf naming the filter with no backup to say what the system had.
[[nodiscard]] platform::FileError systemResolvConfLost(const platform::ResolverPaths& paths);

// Whether resolv.conf is the link to the agent's file.
[[nodiscard]] bool isResolvConfLinked(const platform::ResolverPaths& paths);

// Keeps the system's resolv.conf as the backup (a link stays a link) and replaces it with a
// link to the agent's file, which gets the same text: nothing the system reads changes. When
// already linked, only remakes the agent's file from the backup if it is missing (/run is
// emptied at boot). Throws platform::FileError saying what failed and what to do.
void linkResolvConf(const platform::ResolverPaths& paths);

// Gives the system its resolv.conf back in place of the link: the backup when it is a link
// (systemd-resolved's), else a file with the agent's file's text when that is the system's
// (the agent writes the network's own there when it stops), else the backup's. Returns false,
// changing nothing, when resolv.conf is not the link. Throws platform::FileError.
bool unlinkResolvConf(const platform::ResolverPaths& paths);

}  // namespace clubsafe::agent::protection
