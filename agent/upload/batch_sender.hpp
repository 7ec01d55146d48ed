#pragma once

#include <cstdint>
#include <string>
#include <variant>

namespace clubsafe::agent::upload {

// The collector holds every event of the batch (some may have been held already).
struct Stored {
  std::int64_t highestSequence = 0;  // the highest sequence the collector holds for this device
};

// The collector refused the batch itself (400 malformed, 403 wrong device, 413 too large):
// sending the same batch again gets the same answer.
struct Rejected {
  int httpStatus = 0;
  std::string message;
};

// 401: the collector does not know this device or it was revoked.
struct Unauthorized {
  std::string message;
};

// Nothing was decided: connection refused, timeout, TLS failure, 5xx. Worth trying again later.
struct Unavailable {
  std::string message;
};

using SendResult = std::variant<Stored, Rejected, Unauthorized, Unavailable>;

// Delivers one batch document to the collector. The uploader's logic is tested with a fake.
class BatchSender {
 public:
  virtual ~BatchSender() = default;
  [[nodiscard]] virtual SendResult send(const std::string& batchJson) = 0;
};

}  // namespace clubsafe::agent::upload
