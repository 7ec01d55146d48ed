#include "agent/sources/app_usage_source.hpp"

#include "agent/platform/private_file.hpp"
#include "agent/recording/alert_events.hpp"
#include "agent/recording/utf8.hpp"
#include "common/time.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <sstream>

namespace clubsafe::agent::sources {
namespace {

using std::chrono::milliseconds;

constexpr std::size_t kMaxApplicationBytes = 200;
constexpr std::size_t kMaxTitleBytes = 500;
// Shorter than this is a glance while switching, not use.
constexpr milliseconds kShortestInterval{1000};

// A missed sample or two (a busy moment) continue the interval; a longer gap (suspend, a stalled
// agent) ends it where it was last seen.
milliseconds gapTolerance(const MergeSettings& settings) {
  return 2 * settings.sampleInterval + milliseconds(1000);
}

std::string cleanText(std::string_view text, std::size_t maxBytes) {
  std::string clean;
  recording::appendCleanUtf8(text, clean);
  clean.resize(recording::utf8BoundaryBefore(clean, std::min(maxBytes, clean.size())));
  return clean;
}

bool sameUse(const AppInterval& interval, const AppSample& sample) {
  return interval.user == sample.user && interval.application == *sample.application &&
         interval.title == sample.title;
}

}  // namespace

void IntervalMerger::close(Open& open, common::Timestamp at, std::vector<AppInterval>& closed) {
  const auto end = std::max(at, open.interval.started);
  open.interval.length = std::chrono::duration_cast<milliseconds>(end - open.interval.started);
  if (open.interval.length >= kShortestInterval) closed.push_back(open.interval);
}

std::vector<AppInterval> IntervalMerger::add(const std::string& session, const AppSample& sample,
                                             common::Timestamp now) {
  std::vector<AppInterval> closed;
  const auto found = open_.find(session);
  // A threshold of 0 turns idle detection off rather than counting everyone idle.
  const bool idle =
      settings_.idleThreshold > milliseconds(0) && sample.idle >= settings_.idleThreshold;
  if (idle || !sample.application) {
    if (found != open_.end()) {
      // Idle time is left out: the interval ended at the last input.
      close(found->second, idle ? now - sample.idle : now, closed);
      open_.erase(found);
    }
    return closed;
  }
  if (found != open_.end()) {
    auto& current = found->second;
    const bool continuous = now - current.lastSeen <= gapTolerance(settings_);
    if (continuous && sameUse(current.interval, sample)) {
      current.lastSeen = now;
      if (now - current.interval.started >= settings_.longestInterval) {
        close(current, now, closed);
        current.interval.started = now;
      }
      return closed;
    }
    close(current, continuous ? now : current.lastSeen, closed);
    open_.erase(found);
  }
  open_[session] = {{sample.user, *sample.application, sample.title, now, milliseconds(0)}, now};
  return closed;
}

std::vector<AppInterval> IntervalMerger::end(const std::string& session, common::Timestamp now) {
  std::vector<AppInterval> closed;
  const auto found = open_.find(session);
  if (found == open_.end()) return closed;
  const bool continuous = now - found->second.lastSeen <= gapTolerance(settings_);
  close(found->second, continuous ? now : found->second.lastSeen, closed);
  open_.erase(found);
  return closed;
}

std::vector<AppInterval> IntervalMerger::endAll(common::Timestamp now) {
  std::vector<AppInterval> closed;
  for (const auto& session : sessions()) {
    auto ended = end(session, now);
    closed.insert(closed.end(), ended.begin(), ended.end());
  }
  return closed;
}

std::vector<std::string> IntervalMerger::sessions() const {
  std::vector<std::string> names;
  for (const auto& [session, open] : open_) names.push_back(session);
  return names;
}

common::Event appUsageEvent(const AppInterval& interval) {
  common::Event event;
  event.type = common::EventType::AppUsage;
  event.time = interval.started + interval.length;
  event.osUser = interval.user;
  event.payload->set("application", cleanText(interval.application, kMaxApplicationBytes));
  event.payload->set(
      "seconds",
      static_cast<std::int64_t>(std::chrono::round<std::chrono::seconds>(interval.length).count()));
  event.payload->set("started", common::formatTimestamp(interval.started));
  if (!interval.title.empty())
    event.payload->set("title", cleanText(interval.title, kMaxTitleBytes));
  return event;
}

namespace {

std::string modesJson(const std::vector<SessionMode>& modes) {
  Poco::JSON::Array::Ptr sessions = new Poco::JSON::Array;
  for (const auto& mode : modes) {
    Poco::JSON::Object::Ptr entry = new Poco::JSON::Object;
    entry->set("session", mode.session);
    entry->set("user", mode.user);
    entry->set("mode", mode.mode);
    entry->set("detail", mode.detail);
    sessions->add(entry);
  }
  Poco::JSON::Object document;
  document.set("sessions", sessions);
  std::ostringstream out;
  document.stringify(out);
  return out.str();
}

std::vector<common::Event> toEvents(const std::vector<AppInterval>& intervals) {
  std::vector<common::Event> events;
  events.reserve(intervals.size());
  for (const auto& interval : intervals) events.push_back(appUsageEvent(interval));
  return events;
}

}  // namespace

AppUsageSource::AppUsageSource(AppUsageSettings settings, platform::LoginSessions& sessions,
                               platform::ForegroundWindow& window,
                               const recording::PhraseMatcher& matcher, Clock clock)
    : settings_(std::move(settings)),
      sessions_(sessions),
      window_(window),
      matcher_(matcher),
      clock_(std::move(clock)),
      merger_(settings.merge) {}

std::vector<common::Event> AppUsageSource::poll() {
  const auto now = clock_();
  std::vector<AppInterval> closed;
  std::vector<SessionMode> modes;
  std::map<std::string, std::string> displays;
  std::map<std::string, std::string> titles;
  std::vector<common::Event> alerts;
  for (const auto& session : sessions_.list()) {
    const bool graphical =
        session.type == "x11" || session.type == "wayland" || session.type == "mir";
    if (!graphical || session.remote || session.state == "closing") continue;
    SessionMode mode{session.id, session.user, "running-applications", ""};
    std::optional<platform::ForegroundSample> sample;
    if (session.type != "x11" || session.display.empty()) {
      mode.detail = "a " + session.type + " session tells no program which window has the focus";
    } else {
      // The title is always read, for safeguarding alerts; it is stored only when recordTitles.
      sample = window_.sample(session.display, session.uid, true);
      displays[session.id] = session.display;
      if (sample->outcome == platform::DisplayOutcome::Unreachable) {
        mode.detail = "display " + session.display + ": " + sample->problem;
        sample.reset();
      } else {
        mode.mode = "foreground-window";
        mode.detail = "display " + session.display;
      }
    }
    if (sample) {
      const auto previous = titles_.find(session.id);
      if (sample->outcome == platform::DisplayOutcome::Window) {
        if (previous == titles_.end() || previous->second != sample->title) {
          const std::array<recording::AlertText, 1> texts{{{"window_title", sample->title}}};
          auto found = recording::safeguardingAlerts(matcher_, texts, now, session.user);
          std::move(found.begin(), found.end(), std::back_inserter(alerts));
        }
        titles[session.id] = sample->title;
      } else if (previous != titles_.end()) {
        // A moment with no focused window is not a new title.
        titles[session.id] = previous->second;
      }
      AppSample app{session.user, std::nullopt, settings_.recordTitles ? sample->title : "",
                    sample->idle.value_or(milliseconds(0))};
      if (sample->outcome == platform::DisplayOutcome::Window)
        app.application = sample->application;
      auto ended = merger_.add(session.id, app, now);
      closed.insert(closed.end(), ended.begin(), ended.end());
    } else {
      auto ended = merger_.end(session.id, now);
      closed.insert(closed.end(), ended.begin(), ended.end());
    }
    modes.push_back(std::move(mode));
  }
  // Sessions that ended (logout) close their interval and their connection.
  for (const auto& previous : displays_) {
    if (displays.contains(previous.first)) continue;
    auto ended = merger_.end(previous.first, now);
    closed.insert(closed.end(), ended.begin(), ended.end());
    if (std::none_of(displays.begin(), displays.end(),
                     [&](const auto& open) { return open.second == previous.second; })) {
      window_.forget(previous.second);
    }
  }
  displays_ = std::move(displays);
  titles_ = std::move(titles);

  {
    const std::lock_guard lock(modesMutex_);
    const bool anyChange = modesJson(modes) != modesJson(modes_);
    for (const auto& mode : modes) {
      const bool changed = std::none_of(modes_.begin(), modes_.end(), [&](const SessionMode& old) {
        return old.session == mode.session && old.mode == mode.mode;
      });
      if (changed) {
        spdlog::info("App usage in session {} is recorded by {}: {}.", mode.session,
                     mode.mode == "foreground-window"
                         ? "the foreground window"
                         : "the applications running (app_list events)",
                     mode.detail);
      }
    }
    modes_ = std::move(modes);
    if (anyChange && !settings_.modesFile.empty()) {
      try {
        platform::writePrivateFile(settings_.modesFile, modesJson(modes_));
      } catch (const platform::FileError& error) {
        spdlog::warn("clubsafe-agent status cannot show how app usage is recorded: {}",
                     error.what());
      }
    }
  }
  auto events = toEvents(closed);
  std::move(alerts.begin(), alerts.end(), std::back_inserter(events));
  return events;
}

std::vector<common::Event> AppUsageSource::finish() {
  return toEvents(merger_.endAll(clock_()));
}

std::string appUsageStatus(const std::string& modesFile) {
  std::optional<std::string> content;
  try {
    content = platform::readFileIfExists(modesFile);
  } catch (const platform::FileError& error) {
    return std::string("App usage: unknown (") + error.what() + ")\n";
  }
  if (!content) return "App usage: not recorded yet (the agent has not run with app usage on).\n";
  try {
    const auto sessions =
        Poco::JSON::Parser().parse(*content).extract<Poco::JSON::Object::Ptr>()->getArray(
            "sessions");
    if (!sessions || sessions->size() == 0) return "App usage: nobody is logged in graphically.\n";
    std::string report;
    for (std::size_t i = 0; i < sessions->size(); ++i) {
      const auto entry = sessions->getObject(static_cast<unsigned>(i));
      if (!entry) throw Poco::DataFormatException("not an object");
      const bool window = entry->getValue<std::string>("mode") == "foreground-window";
      report += "App usage in session " + entry->getValue<std::string>("session") + " (" +
                entry->getValue<std::string>("user") + "): " +
                (window ? "the foreground window and time in it"
                        : "only the applications running, no foreground window") +
                "; " + entry->getValue<std::string>("detail") + "\n";
    }
    return report;
  } catch (const Poco::Exception&) {
    return "App usage: unknown (" + modesFile +
           " is damaged; the agent rewrites it when a session changes).\n";
  }
}

std::vector<SessionMode> AppUsageSource::modes() const {
  const std::lock_guard lock(modesMutex_);
  return modes_;
}

}  // namespace clubsafe::agent::sources
