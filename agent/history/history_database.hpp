#pragma once

#include "agent/outbox/sqlite.hpp"
#include "agent/platform/browser_profiles.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace clubsafe::agent::history {

// Where reading a profile's history stopped: the highest visit id and the latest visit time
// seen. A visit is new when it has a higher id or a later time, so ids a browser reuses after
// history was cleared (Firefox) and a clock set back are both still read.
struct Cursor {
  std::int64_t lastVisitId = 0;
  std::int64_t lastVisitMicros = 0;  // microseconds since 1970, UTC

  bool operator==(const Cursor&) const = default;
};

struct Visit {
  std::int64_t id = 0;
  std::int64_t micros = 0;  // since 1970, UTC
  std::string url;          // as the browser stored it
  std::string title;
  // What the browser itself recorded as typed into a search engine for this URL (Chromium's
  // keyword_search_terms), or empty.
  std::string searchTerms;
};

// Chromium counts microseconds from 1601-01-01; this many lie between then and 1970.
inline constexpr std::int64_t kChromiumEpochOffsetMicros = 11'644'473'600'000'000;

// Reads visits from a copy of a browser's history database (HistorySnapshot). The copy is the
// agent's own, so SQLite may roll back a journal or replay a WAL in it; the browser's file is
// never opened. The file is a young person's to write, so it is hostile input: its history
// tables must be plain tables (not views, which could run any query), and a statement that
// runs past kLongestRead is stopped. Throws HistoryError (Damaged, UnfamiliarSchema) naming
// `original`.
class HistoryDatabase {
 public:
  static constexpr std::chrono::seconds kLongestRead{10};

  HistoryDatabase(const std::filesystem::path& copy, platform::Browser browser,
                  std::string original);

  // Up to `limit` visits after `cursor`, in id order: the pages a person was shown, leaving out
  // the first steps of a redirect chain and pages embedded in others.
  [[nodiscard]] std::vector<Visit> visitsAfter(const Cursor& cursor, std::size_t limit);

  // Where to start in a profile seen for the first time: after every visit before `micros`.
  [[nodiscard]] Cursor cursorAt(std::int64_t micros);

 private:
  template <typename Action>
  auto guarded(Action&& action);

  platform::Browser browser_;
  std::string original_;
  outbox::Database db_;
  std::chrono::steady_clock::time_point deadline_;  // of the statement running now
};

}  // namespace clubsafe::agent::history
