#include "collector/storage/migration_event_indexes.hpp"

namespace clubsafe::collector {

Migration partialEventIndexes() {
  // Heartbeats are a quarter of all events and DNS decisions more than half: every index entry
  // they no longer make is a B-tree insert less at ingest and about 20 bytes less on disk.
  // Comparisons, not NOT IN: SQLite builds a NOT IN list's table again for every row it
  // checks, which made each insert three times as slow.
  return {
      21,
      "events indexed only where read: the explorer's indexes without the types it hides, the "
      "type index without the commonest types",
      {
          "DROP INDEX events_by_time",
          "DROP INDEX events_by_device_time",
          "DROP INDEX events_by_type_time",
          "DROP INDEX events_by_member_time",
          "DROP INDEX events_by_os_user_time",
          "DROP INDEX events_by_site_time",
          "DROP INDEX events_by_app_time",
          "DROP INDEX events_by_category_time",
          "CREATE INDEX events_by_time ON events (time) WHERE type <> 1 AND type <> 10 AND type <> "
          "16",
          "CREATE INDEX events_by_device_time ON events (device, time) "
          "WHERE type <> 1 AND type <> 10 AND type <> 16",
          "CREATE INDEX events_by_type_time ON events (type, time) WHERE type <> 3 AND type <> 4 "
          "AND type <> 5",
          "CREATE INDEX events_by_member_time ON events (member, time) "
          "WHERE member IS NOT NULL AND type <> 1 AND type <> 10 AND type <> 16",
          "CREATE INDEX events_by_os_user_time ON events (os_user, time) "
          "WHERE os_user IS NOT NULL AND type <> 1 AND type <> 10 AND type <> 16",
          "CREATE INDEX events_by_site_time ON events (site, time) "
          "WHERE site IS NOT NULL AND type <> 1 AND type <> 10 AND type <> 16",
          "CREATE INDEX events_by_app_time ON events (app, time) "
          "WHERE app IS NOT NULL AND type <> 1 AND type <> 10 AND type <> 16",
          "CREATE INDEX events_by_category_time ON events (category, time) "
          "WHERE category IS NOT NULL AND type <> 1 AND type <> 10 AND type <> 16",
      },
  };
}

}  // namespace clubsafe::collector
