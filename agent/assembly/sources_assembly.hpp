#pragma once

#include "agent/assembly/agent_core.hpp"
#include "agent/platform/desktop_applications.hpp"
#include "agent/platform/foreground_window.hpp"
#include "agent/platform/login_sessions.hpp"
#include "agent/platform/process_lister.hpp"
#include "agent/recording/phrase_library.hpp"
#include "agent/recording/phrase_matcher.hpp"
#include "agent/runtime/service.hpp"
#include "agent/sources/app_usage_source.hpp"
#include "agent/sources/source_scheduler.hpp"

#include <memory>

namespace clubsafe::agent::assembly {

// Recording: heartbeats, sessions, the app list, app usage and browser history (heartbeat.*,
// apps.*, sessions.*, history.*, recording.*). Sources that read users' files or wait on their X
// server run on schedulers of their own; checks() is the scheduler the other subsystems add
// their periodic checks to.
class SourcesAssembly {
 public:
  // Throws ConfigError when history.detail is not one of its words.
  explicit SourcesAssembly(const AgentCore& core);

  [[nodiscard]] sources::SourceScheduler& checks() { return checks_; }
  [[nodiscard]] platform::LoginSessions& loginSessions() { return *loginSessions_; }

  // Reports a source stuck on any of the recording schedulers or on `alsoWatched`, and feeds
  // systemd's watchdog only while none is and the progress board says every thread moves.
  void watchStuckSources(const sources::SourceScheduler& alsoWatched);
  void addServices(runtime::ServiceGroup& group);

 private:
  const AgentCore& core_;
  recording::PhraseLibrary phrases_;
  std::unique_ptr<recording::PhraseMatcher> phraseMatcher_;
  std::unique_ptr<platform::ProcessLister> processes_;
  std::unique_ptr<platform::DesktopApplications> desktopApplications_;
  std::unique_ptr<platform::LoginSessions> loginSessions_;
  std::unique_ptr<platform::ForegroundWindow> foregroundWindow_;
  sources::SourceScheduler checks_;
  sources::SourceScheduler appList_;
  // Its own thread: an X server that stops answering stalls app usage, not the other sources.
  sources::SourceScheduler desktop_;
  sources::SourceScheduler history_;
  sources::AppUsageSource* appUsage_ = nullptr;  // owned by desktop_
};

}  // namespace clubsafe::agent::assembly
