#pragma once

#include "agent/notices/block_notifier.hpp"
#include "agent/notices/notice_service.hpp"
#include "agent/sources/source.hpp"

#include <chrono>

namespace clubsafe::agent::notices {

// The notices' clock, on a scheduler of its own: what is blocked goes to the notice programs
// (N3) within about half a second, and the service does what is due (a missing acknowledgement,
// a sign-out at session end, an expired unlock's state).
class NoticeTicker final : public sources::Source {
 public:
  NoticeTicker(NoticeService& service, BlockNotifier& blocked,
               std::chrono::milliseconds interval = std::chrono::milliseconds(500))
      : service_(service), blocked_(blocked), interval_(interval) {}

  [[nodiscard]] std::string_view name() const override { return "notices"; }
  [[nodiscard]] std::chrono::milliseconds interval() const override { return interval_; }
  // The service appends its own events; none come back from here.
  [[nodiscard]] std::vector<common::Event> poll() override {
    if (service_.anyoneListening()) {
      for (const auto& site : blocked_.drain()) {
        service_.pushBlocked(site.domain, site.category, site.reason);
      }
    } else {
      blocked_.discard();
    }
    service_.tick();
    return {};
  }

 private:
  NoticeService& service_;
  BlockNotifier& blocked_;
  std::chrono::milliseconds interval_;
};

}  // namespace clubsafe::agent::notices
