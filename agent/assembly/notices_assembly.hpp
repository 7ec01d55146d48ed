#pragma once

#include "agent/assembly/agent_core.hpp"
#include "agent/assembly/policy_assembly.hpp"
#include "agent/notices/block_notifier.hpp"
#include "agent/notices/block_page_server.hpp"
#include "agent/notices/notice_server.hpp"
#include "agent/notices/notice_service.hpp"
#include "agent/notices/overrides.hpp"
#include "agent/notices/report_limiter.hpp"
#include "agent/platform/login_sessions.hpp"
#include "agent/platform/socket_owner.hpp"
#include "agent/runtime/service.hpp"
#include "agent/sources/source_scheduler.hpp"
#include "agent/upload/uploader.hpp"

#include <memory>
#include <optional>

namespace clubsafe::agent::assembly {

// On-laptop notices (notices.*, blockpage.*): the notice programs' socket, sign-in and
// overrides, block notifications and the block page, and the reports they all send.
class NoticesAssembly {
 public:
  // From here on every event names the member signed in, and an alert or a worry report is
  // sent at once by `uploader`.
  NoticesAssembly(const AgentCore& core, PolicyAssembly& policy,
                  platform::LoginSessions& loginSessions, upload::Uploader& uploader);

  // What the DNS filter answers with: the policy's filter, telling the person at the laptop of
  // the names it blocks (N3) when the notice socket is open.
  [[nodiscard]] const dns::FilterDecision& answering() const;
  [[nodiscard]] notices::BlockNotifier& blockNotifier() { return blockNotifier_; }
  [[nodiscard]] const sources::SourceScheduler& scheduler() const { return scheduler_; }

  void addServices(runtime::ServiceGroup& group);

 private:
  void openBlockPage();

  const AgentCore& core_;
  PolicyAssembly& policy_;
  notices::BlockNotifier blockNotifier_;
  notices::Overrides overrides_;
  // One allowance per account for reports, wherever they come from (issue 14).
  notices::ReportLimiter reports_;
  notices::NoticeService service_;
  std::optional<notices::NoticeServer> server_;
  sources::SourceScheduler scheduler_;
  std::unique_ptr<platform::SocketOwners> socketOwners_;
  std::optional<notices::BlockPageServer> blockPage_;
};

}  // namespace clubsafe::agent::assembly
