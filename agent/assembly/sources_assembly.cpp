#include "agent/assembly/sources_assembly.hpp"

#include "agent/history/history_source.hpp"
#include "agent/platform/browser_profiles.hpp"
#include "agent/sources/app_list_source.hpp"
#include "agent/sources/heartbeat_source.hpp"
#include "agent/sources/session_source.hpp"
#include "agent/tamper/slow_test_source.hpp"
#include "agent/tamper/stuck_source_watch.hpp"
#include "common/time.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <vector>

namespace clubsafe::agent::assembly {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kSecond{1000};
constexpr std::chrono::seconds kStuckCheckInterval{10};

history::HistoryDetail historyDetail(const common::Settings& settings) {
  const auto detail = history::parseHistoryDetail(settings.text("history.detail"));
  if (!detail) {
    throw ConfigError("history.detail must be domain, url or url_and_title, not \"" +
                      settings.text("history.detail") + "\".");
  }
  return *detail;
}

std::unique_ptr<sources::AppUsageSource> appUsageSource(const AgentCore& core,
                                                        platform::LoginSessions& sessions,
                                                        platform::ForegroundWindow& window,
                                                        const recording::PhraseMatcher& matcher) {
  const auto& settings = core.settings;
  return std::make_unique<sources::AppUsageSource>(
      sources::AppUsageSettings{
          .merge = {.sampleInterval = std::max(settings.duration("apps.sample_interval"), kSecond),
                    .idleThreshold = settings.duration("apps.idle_threshold"),
                    .longestInterval =
                        std::max(settings.duration("apps.longest_interval"), milliseconds(60000))},
          .recordTitles = settings.flag("apps.record_titles"),
          .modesFile = core.stateDir + "/app_usage_modes.json"},
      sessions, window, matcher, [] { return common::nowUtc(); });
}

}  // namespace

SourcesAssembly::SourcesAssembly(const AgentCore& core)
    : core_(core),
      processes_(platform::makeProcessLister()),
      loginSessions_(platform::makeLoginSessions()),
      foregroundWindow_(platform::makeForegroundWindow()),
      checks_(core.outbox),
      appList_(core.outbox),
      desktop_(core.outbox),
      history_(core.outbox) {
  const auto& settings = core.settings;
  const auto detail = historyDetail(settings);
  phrases_.addStarterLibraries();
  phraseMatcher_ = std::make_unique<recording::PhraseMatcher>(phrases_);

  checks_.add(std::make_unique<sources::HeartbeatSource>(
      settings.duration("heartbeat.interval"), [&outbox = core.outbox] { return outbox.depth(); }));
  checks_.add(std::make_unique<sources::SessionSource>(
      std::max(settings.duration("sessions.poll_interval"), kSecond), *loginSessions_));

  std::vector<std::filesystem::path> homes;
  for (const auto& home : platform::localUserHomes()) homes.push_back(home.home);
  desktopApplications_ =
      platform::makeDesktopApplications(platform::desktopEntryDirectories(homes));
  // Threads of their own for what reads users' files: a hostile one stops only its source.
  appList_.add(std::make_unique<sources::AppListSource>(settings.duration("apps.scan_interval"),
                                                        *processes_, *desktopApplications_));
  auto appUsage = appUsageSource(core, *loginSessions_, *foregroundWindow_, *phraseMatcher_);
  appUsage_ = appUsage.get();
  desktop_.add(std::move(appUsage));

  const auto statePath = history::historyStatePath(core.stateDir);
  try {
    history_.add(std::make_unique<history::HistorySource>(
        history::HistorySourceOptions{.interval = settings.duration("history.scan_interval"),
                                      .detail = detail,
                                      .statePath = statePath},
        [] { return platform::findBrowserProfiles(platform::localUserHomes()); }, *phraseMatcher_));
  } catch (const outbox::SqliteError& error) {
    spdlog::error("Browser history is not recorded: {} cannot be opened ({}).", statePath,
                  error.what());
  }
  if (const auto stuckFor = settings.duration("recording.test_stuck_for"); stuckFor.count() > 0) {
    history_.add(std::make_unique<tamper::SlowTestSource>(stuckFor));
  }
}

void SourcesAssembly::watchStuckSources(const sources::SourceScheduler& alsoWatched) {
  checks_.add(std::make_unique<tamper::StuckSourceWatch>(
      std::vector<const sources::SourceScheduler*>{&appList_, &history_, &desktop_, &alsoWatched},
      core_.stuckAfter(), kStuckCheckInterval,
      [&progress = core_.progress] { progress.feedIfAllProgressing(); }));
}

void SourcesAssembly::addServices(runtime::ServiceGroup& group) {
  // Stopped after every recording thread: the app-usage intervals still open end then.
  group.addAction(
      "app usage", [] {},
      [this] {
        for (auto& event : appUsage_->finish()) (void)core_.outbox.append(event);
      });
  const std::array<std::pair<const char*, sources::SourceScheduler*>, 4> schedulers{{
      {"the recording checks", &checks_},
      {"app usage recording", &desktop_},
      {"the app list", &appList_},
      {"browser history recording", &history_},
  }};
  for (const auto& [name, scheduler] : schedulers) {
    group.addThread(
        name, [scheduler] { scheduler->run(); }, [scheduler] { scheduler->stop(); });
  }
}

}  // namespace clubsafe::agent::assembly
