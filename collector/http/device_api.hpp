#pragma once

#include "collector/auth/device_auth.hpp"
#include "collector/http/router.hpp"
#include "collector/storage/storage.hpp"
#include "common/batch_codec.hpp"

#include <filesystem>

namespace clubsafe::collector {

// The API agents call: enrol, send event batches, fetch the policy and the domain index it
// names (see docs/ARCHITECTURE.md and docs/POLICY.md). Index files are read from `indexFolder`.
class DeviceApi {
 public:
  DeviceApi(Storage& storage, DeviceAuth& deviceAuth, common::BatchLimits limits,
            std::filesystem::path indexFolder)
      : storage_(storage), deviceAuth_(deviceAuth), limits_(limits),
        indexFolder_(std::move(indexFolder)) {}

  void addRoutes(Router& router);

 private:
  void enrol(Request& request);
  void receiveEvents(Request& request);
  void sendPolicy(Request& request);
  void sendIndex(Request& request);
  [[nodiscard]] std::string authenticatedDevice(Request& request);

  Storage& storage_;
  DeviceAuth& deviceAuth_;
  common::BatchLimits limits_;
  std::filesystem::path indexFolder_;
};

}  // namespace clubsafe::collector
