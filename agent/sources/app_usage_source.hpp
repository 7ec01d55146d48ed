#pragma once

#include "agent/platform/foreground_window.hpp"
#include "agent/platform/login_sessions.hpp"
#include "agent/recording/phrase_matcher.hpp"
#include "agent/sources/source.hpp"

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace clubsafe::agent::sources {

// What one look at a session found: the foreground application (none when nobody is at the
// screen or no window has the focus) and the time since the last input.
struct AppSample {
  std::string user;
  std::optional<std::string> application;
  std::string title;  // empty unless titles are recorded
  std::chrono::milliseconds idle{0};
};

// Time spent in one application, idle time left out.
struct AppInterval {
  std::string user;
  std::string application;
  std::string title;
  common::Timestamp started{};
  std::chrono::milliseconds length{0};
};

struct MergeSettings {
  std::chrono::milliseconds sampleInterval{1000};
  // Input older than this means nobody is at the screen: the interval ends at the last input.
  // 0: idle time is not left out.
  std::chrono::milliseconds idleThreshold{120000};
  // A long interval is written out in pieces of this length, so a crash loses little.
  std::chrono::milliseconds longestInterval{600000};
};

// Merges samples into intervals, like ActivityWatch's heartbeats: consecutive samples of the
// same (user, application, title) in one session make one interval, which ends on a switch,
// on idle time, when the session ends, or when it reaches the longest length.
class IntervalMerger {
 public:
  explicit IntervalMerger(MergeSettings settings) : settings_(settings) {}

  // The intervals the sample closed.
  [[nodiscard]] std::vector<AppInterval> add(const std::string& session, const AppSample& sample,
                                             common::Timestamp now);
  // Closes the session's interval at `now` (logout, or the session stopped being observable).
  [[nodiscard]] std::vector<AppInterval> end(const std::string& session, common::Timestamp now);
  [[nodiscard]] std::vector<AppInterval> endAll(common::Timestamp now);
  [[nodiscard]] std::vector<std::string> sessions() const;

 private:
  struct Open {
    AppInterval interval;
    common::Timestamp lastSeen{};
  };
  static void close(Open& open, common::Timestamp at, std::vector<AppInterval>& closed);

  MergeSettings settings_;
  std::map<std::string, Open> open_;
};

// How app usage is observed in one session, for `clubsafe-agent status`.
struct SessionMode {
  std::string session;
  std::string user;
  std::string mode;    // "foreground-window", "running-applications"
  std::string detail;  // why, in words
};

struct AppUsageSettings {
  MergeSettings merge;
  bool recordTitles = false;
  // Where the modes are kept for `clubsafe-agent status` (owner-only JSON, rewritten when they
  // change); empty: nowhere.
  std::string modesFile;
};

// App usage (SPEC R1): samples the foreground application of every local graphical session at
// apps.sample_interval and writes one app_usage event per merged interval. X11 sessions are
// sampled through their display; sessions with no foreground window to ask for (Wayland, or an
// X server that refuses us) are in "running-applications" mode, where AppListSource's app_list
// events are the record. Each new foreground window title of a session is looked at for
// safeguarding phrases (SPEC R5), whether or not titles are recorded, and a phrase found is a
// safeguarding_alert event with source "window_title".
class AppUsageSource : public Source {
 public:
  using Clock = std::function<common::Timestamp()>;

  AppUsageSource(AppUsageSettings settings, platform::LoginSessions& sessions,
                 platform::ForegroundWindow& window, const recording::PhraseMatcher& matcher,
                 Clock clock);

  [[nodiscard]] std::string_view name() const override { return "app_usage"; }
  [[nodiscard]] std::chrono::milliseconds interval() const override {
    return settings_.merge.sampleInterval;
  }
  [[nodiscard]] std::vector<common::Event> poll() override;

  // Closes every open interval (the agent is stopping); the events it returns are the last.
  [[nodiscard]] std::vector<common::Event> finish();

  // Safe from any thread.
  [[nodiscard]] std::vector<SessionMode> modes() const;

 private:
  AppUsageSettings settings_;
  platform::LoginSessions& sessions_;
  platform::ForegroundWindow& window_;
  const recording::PhraseMatcher& matcher_;
  Clock clock_;
  IntervalMerger merger_;
  std::map<std::string, std::string> displays_;  // open session -> its X display
  // Open session -> the title last looked at for phrases, so a title alerts once until it changes.
  std::map<std::string, std::string> titles_;
  mutable std::mutex modesMutex_;
  std::vector<SessionMode> modes_;
};

// What `clubsafe-agent status` says about app usage, from the modes file AppUsageSource keeps:
// one line per graphical session with its mode and why.
[[nodiscard]] std::string appUsageStatus(const std::string& modesFile);

// The app_usage event of one interval; names and titles are cut to a bounded, valid UTF-8 length.
[[nodiscard]] common::Event appUsageEvent(const AppInterval& interval);

}  // namespace clubsafe::agent::sources
