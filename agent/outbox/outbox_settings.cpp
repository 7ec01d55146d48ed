#include "agent/outbox/outbox_settings.hpp"

#include <array>

namespace clubsafe::agent::outbox {
namespace {

using common::SettingType;

constexpr std::array<common::SettingSpec, 1> kOutboxSettings{{
    {"outbox.max_bytes", SettingType::Integer, "209715200",
     "Most bytes of events kept waiting to be sent (200 MB; the file is about a third larger on "
     "disk). When it is full the oldest DNS records, heartbeats and application lists go first, "
     "then browsing records, and how many went is sent as an outbox_gap event. Alerts, tamper "
     "evidence, reports and review requests are never dropped. 0: no cap."},
}};

}  // namespace

std::span<const common::SettingSpec> outboxSettings() {
  return kOutboxSettings;
}

}  // namespace clubsafe::agent::outbox
