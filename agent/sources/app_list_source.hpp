#pragma once

#include "agent/platform/desktop_applications.hpp"
#include "agent/platform/process_lister.hpp"
#include "agent/sources/source.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace clubsafe::agent::sources {

// App usage where no foreground window can be read (SPEC R1's fallback): which graphical
// applications each person's account runs, that is the programs the desktop offers as
// applications (shells, services and helpers left out). An app_list event goes out for a user
// only when their list changed since the last one, and once with an empty list when they have
// nothing running any more (logged out).
class AppListSource : public Source {
 public:
  AppListSource(std::chrono::milliseconds interval, platform::ProcessLister& processes,
                platform::DesktopApplications& applications);

  [[nodiscard]] std::string_view name() const override { return "apps"; }
  [[nodiscard]] std::chrono::milliseconds interval() const override { return interval_; }
  [[nodiscard]] std::vector<common::Event> poll() override;

 private:
  struct UserApps {
    std::string user;
    std::vector<std::string> applications;  // sorted, distinct

    bool operator==(const UserApps&) const = default;
  };

  std::chrono::milliseconds interval_;
  platform::ProcessLister& processes_;
  platform::DesktopApplications& applications_;
  std::map<std::uint32_t, UserApps> lastSent_;
};

// People's accounts: system accounts (below 1000) and nobody (65534) are not someone using
// the laptop.
[[nodiscard]] bool isHumanUser(std::uint32_t uid);

}  // namespace clubsafe::agent::sources
