#include "agent/notices/notice_settings.hpp"

#include <array>

namespace clubsafe::agent::notices {
namespace {

using common::SettingType;

constexpr std::array<common::SettingSpec, 8> kNoticeSettings{{
    {"notices.enabled", SettingType::Boolean, "true",
     "Talk to each person's notice program (clubsafe-notice): the monitoring notice and its "
     "acknowledgement, signing in, block notifications, Report a worry and workers' unlocks "
     "(docs/NOTICES.md)."},
    {"notices.socket_path", SettingType::Text, "/run/clubsafe/notice.sock",
     "The Unix socket the notice programs connect to."},
    {"notices.allowed_users", SettingType::Text, "",
     "Login names let in to the notice socket, separated by commas; empty: whoever has a login "
     "session open now (systemd-logind). Only for machines without logind."},
    {"notices.acknowledge_timeout", SettingType::Seconds, "600",
     "Seconds the monitoring notice may wait for \"I understand\" before an event records that "
     "it was not acknowledged."},
    {"notices.staff_sign_in_limit", SettingType::Seconds, "7200",
     "Seconds a youth worker's PIN sign-in lasts before the laptop goes back to the profile it "
     "had; it also ends when their login session ends."},
    {"blockpage.enabled", SettingType::Boolean, "true",
     "Serve the block page (plain HTTP) on blockpage.address, the address blocked names get."},
    {"blockpage.address", SettingType::Text, "127.0.0.2",
     "Loopback address of the block page; dns.block_address_v4 should be the same."},
    {"blockpage.port", SettingType::Integer, "80",
     "Port of the block page; 80, where browsers go for http:// addresses."},
}};

}  // namespace

std::span<const common::SettingSpec> noticeSettings() {
  return kNoticeSettings;
}

}  // namespace clubsafe::agent::notices
