#pragma once

#include "collector/auth/device_auth.hpp"
#include "collector/http/router.hpp"
#include "collector/storage/storage.hpp"
#include "common/batch_codec.hpp"

namespace clubsafe::collector {

// The API agents call: enrol, send event batches, fetch the policy (see docs/ARCHITECTURE.md).
class DeviceApi {
 public:
  DeviceApi(Storage& storage, DeviceAuth& deviceAuth, common::BatchLimits limits)
      : storage_(storage), deviceAuth_(deviceAuth), limits_(limits) {}

  void addRoutes(Router& router);

 private:
  void enrol(Request& request);
  void receiveEvents(Request& request);
  void sendPolicy(Request& request);
  [[nodiscard]] std::string authenticatedDevice(Request& request);

  Storage& storage_;
  DeviceAuth& deviceAuth_;
  common::BatchLimits limits_;
};

}  // namespace clubsafe::collector
