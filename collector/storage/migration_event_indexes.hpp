#pragma once

#include "collector/storage/migrations.hpp"

namespace clubsafe::collector {

// Migration 21: the events' indexes made partial. The explorer's (time, laptop, member, OS
// account, site, app, category) leave out the types it never shows (heartbeats, safeguarding
// alerts, worry reports); the type index leaves out the commonest types (app time, DNS
// decisions, visits), whose one-type reads go by the time index. stored_event.hpp's
// kExplorerIndexesTerm and kTypeIndexTerm are these conditions, word for word.
[[nodiscard]] Migration partialEventIndexes();

}  // namespace clubsafe::collector
