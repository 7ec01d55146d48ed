#include "agent/assembly/notices_assembly.hpp"

#include "agent/dns/dns_settings.hpp"
#include "agent/notices/notice_ticker.hpp"

#include <spdlog/spdlog.h>

namespace clubsafe::agent::assembly {

NoticesAssembly::NoticesAssembly(const AgentCore& core, PolicyAssembly& policy,
                                 platform::LoginSessions& loginSessions, upload::Uploader& uploader)
    : core_(core),
      policy_(policy),
      blockNotifier_(policy.filter(), policy.indexInForce()),
      overrides_(core.stateDir, policy.profileFilter()),
      reports_(core.outbox, {}),
      service_({.acknowledgeTimeout = core.settings.duration("notices.acknowledge_timeout"),
                .staffSignInLimit = core.settings.duration("notices.staff_sign_in_limit"),
                .withoutLogind = !core.settings.text("notices.allowed_users").empty()},
               core.outbox, policy.profileFilter(), policy.activeProfile(), loginSessions,
               policy.workerPins(), overrides_,
               [&policy](std::string_view domain) {
                 const auto why =
                     notices::whyBlocked(policy.filter(), policy.indexInForce(), domain);
                 return why ? why->category : std::string();
               }),
      scheduler_(core.outbox),
      socketOwners_(platform::makeSocketOwners()) {
  const auto& settings = core.settings;
  service_.setReportLimiter(&reports_);
  // Before any other thread appends: from here every event names the member signed in.
  core.outbox.setStamp(service_.stamp());
  // A safeguarding alert or a worry report goes to the collector at once (issue 12, item 4).
  core.outbox.setOnCritical([&uploader] { uploader.sendSoon(); });
  if (settings.flag("notices.enabled")) {
    try {
      server_.emplace(
          notices::NoticeServerOptions{
              .socketPath = settings.text("notices.socket_path"),
              .allowedUsers = dns::commaSeparated(settings.text("notices.allowed_users"))},
          service_, loginSessions);
    } catch (const notices::NoticeSocketError& error) {
      spdlog::error("{}", error.what());
    }
  }
  if (server_) scheduler_.add(std::make_unique<notices::NoticeTicker>(service_, blockNotifier_));
  openBlockPage();
}

void NoticesAssembly::openBlockPage() {
  const auto& settings = core_.settings;
  if (!settings.flag("blockpage.enabled")) return;
  const auto port = settings.integer("blockpage.port");
  if (port < 1 || port > 65535) {
    spdlog::error(
        "The setting blockpage.port is {}, but it should be a port from 1 to 65535; "
        "blocked sites open no block page.",
        port);
    return;
  }
  try {
    blockPage_.emplace(notices::BlockPageOptions{.address = settings.text("blockpage.address"),
                                                 .port = static_cast<std::uint16_t>(port)},
                       policy_.filter(), policy_.indexInForce(), reports_, *socketOwners_);
  } catch (const notices::BlockPageError& error) {
    spdlog::error("{}", error.what());
  }
}

const dns::FilterDecision& NoticesAssembly::answering() const {
  return server_ ? static_cast<const dns::FilterDecision&>(blockNotifier_) : policy_.filter();
}

void NoticesAssembly::addServices(runtime::ServiceGroup& group) {
  const auto stuckAfter = core_.stuckAfter();
  core_.progress.watch("report folding", reports_.heartbeat(), stuckAfter);
  // The block page stops first, then what is still folded is written.
  group.addThread(
      "the block page's reports", [this] { reports_.run(); },
      [this] {
        if (blockPage_) blockPage_->stop();
        reports_.stop();
      });
  if (!server_) return;
  core_.progress.watch("notice socket", server_->heartbeat(), stuckAfter);
  group.addThread(
      "the notice socket", [this] { server_->run(); }, [this] { server_->stop(); });
  group.addThread(
      "the notice ticker", [this] { scheduler_.run(); }, [this] { scheduler_.stop(); });
}

}  // namespace clubsafe::agent::assembly
