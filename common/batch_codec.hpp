#pragma once

#include "common/event.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::common {

inline constexpr int kBatchVersion = 1;

struct BatchHeader {
  int version = kBatchVersion;
  std::string deviceId;
  std::int64_t backlog = 0;  // events still waiting on the device after this batch
};

struct Batch {
  BatchHeader header;
  std::vector<Event> events;  // each event's deviceId equals header.deviceId
};

struct BatchLimits {
  std::size_t maxBytes = 4 * 1024 * 1024;
  std::size_t maxEvents = 1000;
  std::size_t maxStringBytes = 16 * 1024;
};

enum class BatchErrorKind { Malformed, UnsupportedVersion, TooLarge };

class BatchError : public std::runtime_error {
 public:
  BatchError(BatchErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  [[nodiscard]] BatchErrorKind kind() const { return kind_; }

 private:
  BatchErrorKind kind_;
};

// One event as a JSON object text, without its device id (the batch header carries it).
[[nodiscard]] std::string encodeEvent(const Event& event);

// Joins events already encoded by encodeEvent into a batch document, so the agent can send
// what its outbox stored without parsing it again.
[[nodiscard]] std::string assembleBatch(const BatchHeader& header,
                                        std::span<const std::string> encodedEvents);

[[nodiscard]] std::string encodeBatch(const Batch& batch);

// Strict: an unknown version, a missing or unexpected field, a wrong type, an unknown event
// type, a payload that does not match its type's fields, a repeated sequence number or a
// document over the limits throws BatchError naming the first problem. Nothing is returned
// half-decoded.
[[nodiscard]] Batch decodeBatch(std::string_view json, const BatchLimits& limits = {});

// Checks one event object the same way decodeBatch checks each of its events.
[[nodiscard]] Event decodeEvent(std::string_view json, const BatchLimits& limits = {});

}  // namespace clubsafe::common
