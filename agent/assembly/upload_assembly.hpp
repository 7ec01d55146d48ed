#pragma once

#include "agent/assembly/agent_core.hpp"
#include "agent/runtime/service.hpp"
#include "agent/upload/https_batch_sender.hpp"
#include "agent/upload/uploader.hpp"

namespace clubsafe::agent::assembly {

// Uploading: the outbox's events sent to the collector (upload.*).
class UploadAssembly {
 public:
  explicit UploadAssembly(const AgentCore& core);

  [[nodiscard]] upload::Uploader& uploader() { return uploader_; }
  void addServices(runtime::ServiceGroup& group);

 private:
  const AgentCore& core_;
  upload::HttpsBatchSender sender_;
  upload::Uploader uploader_;
};

}  // namespace clubsafe::agent::assembly
