#include "agent/history/history_source.hpp"

#include "common/time.hpp"

#include <spdlog/spdlog.h>

namespace clubsafe::agent::history {
namespace {

std::int64_t nowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// What to tell the person looking after the laptop, once per profile and problem.
std::string_view adviceFor(HistoryError::Kind kind) {
  using Kind = HistoryError::Kind;
  switch (kind) {
    case Kind::Missing:
      return "It is looked for again at the next scan.";
    case Kind::Empty:
      return "It is read once the browser has written to it.";
    case Kind::Unreadable:
      return "Check the file's permissions; until then this profile's history is not recorded.";
    case Kind::TooLarge:
      return "Clear that browser's history to have it recorded again.";
    case Kind::Changing:
      return "It is copied again at the next scan.";
    case Kind::Damaged:
      return "The browser usually repairs or replaces it; until then this profile's history is "
             "not recorded.";
    case Kind::UnfamiliarSchema:
      return "This browser version may be newer than the agent knows; update clubsafe to have "
             "its history recorded.";
  }
  return "";
}

}  // namespace

std::string profileKey(const platform::BrowserProfile& profile) {
  return std::string(platform::browserName(profile.browser)) + ":" + profile.database.string();
}

HistorySource::HistorySource(HistorySourceOptions options, ProfileFinder findProfiles,
                             const recording::PhraseMatcher& matcher)
    : options_(std::move(options)),
      findProfiles_(std::move(findProfiles)),
      matcher_(matcher),
      state_(options_.statePath) {}

HistorySource::~HistorySource() {
  try {
    saveCursors();
  } catch (const std::exception& error) {
    spdlog::warn(
        "Where browser history was read up to could not be saved ({}); the last visits "
        "are recorded again after the restart.",
        error.what());
  }
}

void HistorySource::saveCursors() {
  for (auto& [key, profile] : profiles_) {
    if (!profile.unsaved) continue;
    state_.save(key, *profile.cursor);
    profile.unsaved = false;
  }
}

std::vector<common::Event> HistorySource::poll() {
  // The scheduler committed the last poll's events before calling again.
  saveCursors();
  std::vector<common::Event> events;
  for (const auto& found : findProfiles_()) {
    read(found, profiles_[profileKey(found)], events);
  }
  return events;
}

void HistorySource::read(const platform::BrowserProfile& found, Profile& profile,
                         std::vector<common::Event>& events) {
  const auto key = profileKey(found);
  if (profile.readAt && *profile.readAt == fingerprintOf(found.database)) return;
  try {
    const HistorySnapshot snapshot(found.database, found.owner);
    HistoryDatabase database(snapshot.path(), found.browser, found.database.string());
    if (!profile.cursor) profile.cursor = state_.cursor(key);
    if (!profile.cursor) {
      profile.cursor = database.cursorAt(
          nowMicros() -
          std::chrono::duration_cast<std::chrono::microseconds>(options_.firstScanWindow).count());
      profile.unsaved = true;
    }
    const auto visits = database.visitsAfter(*profile.cursor, options_.maxVisitsPerPoll);
    const VisitOrigin origin{found.browser, found.osUser, options_.detail};
    const auto now = nowMicros();
    const auto settle = options_.settleTime.count();
    bool heldBack = false;
    for (const auto& visit : visits) {
      // A visit dated far ahead (a clock that was wrong) is read at once, or it would hold
      // back every visit after it for as long.
      if (visit.micros > now - settle && visit.micros < now + settle) {
        heldBack = true;
        break;
      }
      appendVisitEvents(visit, origin, matcher_, events);
      profile.cursor->lastVisitId = std::max(profile.cursor->lastVisitId, visit.id);
      profile.cursor->lastVisitMicros = std::max(profile.cursor->lastVisitMicros, visit.micros);
      profile.unsaved = true;
    }
    // A full page or a visit held back leaves more to read at the next poll, whether or not the
    // files change.
    if (!heldBack && visits.size() < options_.maxVisitsPerPoll) {
      profile.readAt = snapshot.fingerprint();
    } else {
      profile.readAt.reset();
    }
    if (profile.problem) {
      spdlog::info("The {} history of {} is read again.", platform::browserName(found.browser),
                   found.osUser);
      profile.problem.reset();
    }
    spdlog::debug("{} new visits in {}.", visits.size(), found.database.string());
  } catch (const HistoryError& error) {
    reportProblem(found, profile, error);
  }
}

void HistorySource::reportProblem(const platform::BrowserProfile& found, Profile& profile,
                                  const HistoryError& error) {
  profile.readAt.reset();
  if (profile.problem == error.kind()) return;
  profile.problem = error.kind();
  const auto browser = platform::browserName(found.browser);
  if (error.kind() == HistoryError::Kind::Empty || error.kind() == HistoryError::Kind::Missing ||
      error.kind() == HistoryError::Kind::Changing) {
    spdlog::info("The {} history of {} is not read this time: {}. {}", browser, found.osUser,
                 error.what(), adviceFor(error.kind()));
  } else {
    spdlog::warn("The {} history of {} cannot be read: {}. {}", browser, found.osUser, error.what(),
                 adviceFor(error.kind()));
  }
}

}  // namespace clubsafe::agent::history
