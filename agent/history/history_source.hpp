#pragma once

#include "agent/history/history_database.hpp"
#include "agent/history/history_snapshot.hpp"
#include "agent/history/history_state.hpp"
#include "agent/history/visit_events.hpp"
#include "agent/platform/browser_profiles.hpp"
#include "agent/recording/phrase_matcher.hpp"
#include "agent/sources/source.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace clubsafe::agent::history {

struct HistorySourceOptions {
  std::chrono::milliseconds interval{60'000};
  HistoryDetail detail = HistoryDetail::Url;
  std::string statePath;  // historyStatePath(agent.state_dir)
  // A profile seen for the first time is read from visits this recent: older history was made
  // before this agent watched the laptop (and before anyone was told it was monitored).
  std::chrono::microseconds firstScanWindow = std::chrono::hours(24);
  // Most visits read from one profile per poll; the rest follow at the next polls.
  std::size_t maxVisitsPerPoll = 10'000;
  // Visits younger than this are left for the next poll: browsers store a page's title after
  // the visit itself, once the page has loaded.
  std::chrono::microseconds settleTime = std::chrono::seconds(10);
};

// Browser history (SPEC R3) as a recording source: on each poll, every profile whose files
// changed is copied, its new visits become browser_visit, search_term and safeguarding_alert
// events, and where it stopped is remembered.
//
// Where a profile stopped is saved at the start of the next poll and when the source goes away,
// after the scheduler has committed the events to the outbox: an agent killed in between reads
// that poll's visits again (a duplicate), never skips them.
class HistorySource : public sources::Source {
 public:
  using ProfileFinder = std::function<std::vector<platform::BrowserProfile>()>;

  // Throws outbox::SqliteError when the state file cannot be opened.
  HistorySource(HistorySourceOptions options, ProfileFinder findProfiles,
                const recording::PhraseMatcher& matcher);
  ~HistorySource() override;
  HistorySource(const HistorySource&) = delete;
  HistorySource& operator=(const HistorySource&) = delete;

  [[nodiscard]] std::string_view name() const override { return "history"; }
  [[nodiscard]] std::chrono::milliseconds interval() const override { return options_.interval; }
  [[nodiscard]] std::vector<common::Event> poll() override;

 private:
  struct Profile {
    std::optional<Cursor> cursor;  // as of the last poll, not yet saved while `unsaved`
    bool unsaved = false;
    std::optional<FileFingerprint> readAt;      // files as last read to the end
    std::optional<HistoryError::Kind> problem;  // the one last logged
  };

  void saveCursors();
  void read(const platform::BrowserProfile& found, Profile& profile,
            std::vector<common::Event>& events);
  void reportProblem(const platform::BrowserProfile& found, Profile& profile,
                     const HistoryError& error);

  HistorySourceOptions options_;
  ProfileFinder findProfiles_;
  const recording::PhraseMatcher& matcher_;
  HistoryState state_;
  std::map<std::string, Profile> profiles_;  // by profileKey
};

// The state key of a profile: its browser and database path.
[[nodiscard]] std::string profileKey(const platform::BrowserProfile& profile);

}  // namespace clubsafe::agent::history
