#include "agent/tamper/tamper_settings.hpp"

#include <array>

namespace clubsafe::agent::tamper {
namespace {

using common::SettingType;

constexpr std::array<common::SettingSpec, 3> kTamperSettings{{
    {"tamper.check_interval", SettingType::Seconds, "30",
     "Seconds between tamper checks: the hosts file, the wall clock, and the mark that tells a "
     "kill or power cut from a clean stop."},
    {"tamper.clock_jump_threshold", SettingType::Seconds, "120",
     "Smallest change of the wall clock, against the time since boot, reported as the clock "
     "being set (closing the lid is not one)."},
    {"tamper.hosts_file", SettingType::Text, "/etc/hosts",
     "The hosts file watched for changes; a copy is kept in the state directory to compare."},
}};

}  // namespace

std::span<const common::SettingSpec> tamperSettings() {
  return kTamperSettings;
}

}  // namespace clubsafe::agent::tamper
