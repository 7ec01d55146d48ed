#pragma once

#include "agent/client/collector_client.hpp"
#include "agent/upload/batch_sender.hpp"

#include <chrono>
#include <string>

namespace clubsafe::agent::upload {

// POSTs batches to the collector's /api/device/v1/events with the device's credential.
class HttpsBatchSender : public BatchSender {
 public:
  HttpsBatchSender(const std::string& serverUrl, const common::ServerTrust& trust,
                   std::chrono::milliseconds timeout, const std::string& deviceId,
                   const std::string& deviceSecret);

  [[nodiscard]] SendResult send(const std::string& batchJson) override;

 private:
  client::CollectorClient client_;
  std::string bearerToken_;
};

}  // namespace clubsafe::agent::upload
