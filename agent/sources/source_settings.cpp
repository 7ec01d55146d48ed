#include "agent/sources/source_settings.hpp"

#include <array>

namespace clubsafe::agent::sources {
namespace {

using common::SettingType;

constexpr std::array<common::SettingSpec, 11> kSourceSettings{{
    {"heartbeat.interval", SettingType::Seconds, "60",
     "Seconds between heartbeats, which tell the console this laptop is on and reporting."},
    {"apps.scan_interval", SettingType::Seconds, "60",
     "Seconds between looks at which applications each person is running."},
    {"apps.sample_interval", SettingType::Seconds, "1",
     "Seconds between looks at which application has the focus in each person's X11 session "
     "(at least 1); once a second costs about 0.02% of one core."},
    {"apps.idle_threshold", SettingType::Seconds, "120",
     "Seconds without a key press or mouse movement after which nobody counts as using the "
     "laptop; app usage then stops at the last input."},
    {"apps.longest_interval", SettingType::Seconds, "600",
     "Longest time in one application written as one app_usage event; longer use is written in "
     "pieces this long, so a crash loses little."},
    {"apps.record_titles", SettingType::Boolean, "false",
     "Also record window titles with app usage; only where the club's policy asks for them."},
    {"sessions.poll_interval", SettingType::Seconds, "5",
     "Seconds between looks at who is logged in, for the login and logout events."},
    {"history.scan_interval", SettingType::Seconds, "60",
     "Seconds between looks for new browser history (Firefox, Chromium, Chrome) of every "
     "account on this laptop."},
    {"recording.stuck_after", SettingType::Seconds, "120",
     "Seconds a recording source (browser history, the app list, app usage, notices) may take "
     "over one look before a source_stuck tamper event reports it; the others keep running."},
    {"recording.test_stuck_for", SettingType::Seconds, "0",
     "For tests only: adds a recording source whose every look takes this long (0: none), to "
     "see the source_stuck report and the service's watchdog work."},
    {"history.detail", SettingType::Text, "url",
     "How much of each page visited is recorded: domain (the site only, no search terms), url "
     "(the full address and search terms) or url_and_title (also the page title). Safeguarding "
     "alerts look at the whole address and title whatever this says."},
}};

}  // namespace

std::span<const common::SettingSpec> sourceSettings() {
  return kSourceSettings;
}

}  // namespace clubsafe::agent::sources
