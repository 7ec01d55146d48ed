#pragma once

#include "common/settings.hpp"

#include <string>

namespace clubsafe::agent::protection {

// The service's privileged steps around the agent (packaging/systemd/clubsafe-agent.service,
// ExecStartPre and ExecStopPost with "+"), which let the agent itself run with /etc read-only
// but for the folders it writes (docs/ARCHITECTURE.md, "Agent files").

// Whether the DNS filter is the one the system's programs are to use: on, on port 53 (a
// resolv.conf cannot name another port). The demo and the tests run it on a high port, leaving
// the machine's resolver, packet filter and browsers alone.
[[nodiscard]] bool filtersForTheSystem(const common::Settings& settings);

// Whether the agent makes its DNS filter the system's resolver: filtersForTheSystem and
// dns.take_over_resolver.
[[nodiscard]] bool takesOverResolver(const common::Settings& settings);

// Before the agent starts, under `root` ("/" on a laptop): the browser policy folders and the
// resolver drop-in folders it writes exist (so the service can open them to it), and, when it
// takes over the resolver, resolv.conf is the link to the agent's file. Throws
// platform::FileError saying what failed.
void prepareSystem(const std::string& root, bool takeOverResolver);

// After the agent stops: resolv.conf given back when it is still the link (the agent cannot
// do it itself from inside the service's sandbox). Throws platform::FileError.
void giveBackSystem(const std::string& root);

}  // namespace clubsafe::agent::protection
