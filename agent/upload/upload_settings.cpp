#include "agent/upload/upload_settings.hpp"

#include <array>

namespace clubsafe::agent::upload {
namespace {

using common::SettingType;

constexpr std::array<common::SettingSpec, 5> kUploadSettings{{
    {"upload.batch_size", SettingType::Integer, "1000",
     "Most events sent in one batch (the collector accepts up to 1000)."},
    {"upload.interval", SettingType::Seconds, "2",
     "Seconds between looks for new events when everything has been sent."},
    {"upload.backoff_initial", SettingType::Seconds, "1",
     "First wait after a failed upload; each further failure doubles it."},
    {"upload.backoff_max", SettingType::Seconds, "300", "Longest wait between failed uploads."},
    {"upload.timeout", SettingType::Seconds, "30",
     "Seconds to wait for the collector to connect or answer (also for enrol)."},
}};

}  // namespace

std::span<const common::SettingSpec> uploadSettings() {
  return kUploadSettings;
}

}  // namespace clubsafe::agent::upload
