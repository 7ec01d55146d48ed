#pragma once

#include "collector/auth/device_auth.hpp"
#include "collector/http/router.hpp"
#include "collector/storage/device_store.hpp"
#include "collector/storage/event_store.hpp"
#include "collector/storage/filtering_store.hpp"
#include "common/batch_codec.hpp"

#include <filesystem>
#include <string>

namespace clubsafe::collector {

// The API agents call: enrol, send event batches, fetch the policy and the domain index it
// names (see docs/ARCHITECTURE.md and docs/POLICY.md). Index files are read from `indexFolder`.
class DeviceApi {
 public:
  // `testRefuseMarker` (ingest.test_refuse_marker, for tests only, empty otherwise): batches
  // holding an event whose payload contains it are refused as malformed.
  DeviceApi(DeviceStore& devices, EventStore& events, FilteringStore& filtering,
            DeviceAuth& deviceAuth, common::BatchLimits limits, std::filesystem::path indexFolder,
            std::string testRefuseMarker = {})
      : devices_(devices),
        events_(events),
        filtering_(filtering),
        deviceAuth_(deviceAuth),
        limits_(limits),
        indexFolder_(std::move(indexFolder)),
        testRefuseMarker_(std::move(testRefuseMarker)) {}

  void addRoutes(Router& router);

 private:
  void enrol(Request& request);
  void receiveEvents(Request& request);
  void sendPolicy(Request& request);
  void sendIndex(Request& request);
  [[nodiscard]] std::string authenticatedDevice(Request& request);
  void refuseMarkedEvents(const common::Batch& batch) const;

  DeviceStore& devices_;
  EventStore& events_;
  FilteringStore& filtering_;
  DeviceAuth& deviceAuth_;
  common::BatchLimits limits_;
  std::filesystem::path indexFolder_;
  std::string testRefuseMarker_;
};

}  // namespace clubsafe::collector
