// libFuzzer target: every byte string a laptop (or anyone who reaches the collector) could
// send as a batch must decode or be refused with BatchError, never crash or hang.
#include "common/batch_codec.hpp"
#include "common/time.hpp"
#include "common/tls.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  clubsafe::common::BatchLimits limits;
  limits.maxEvents = 50;
  try {
    const auto batch = clubsafe::common::decodeBatch(input, limits);
    // Whatever decodes must survive a round trip unchanged.
    const auto again = clubsafe::common::decodeBatch(clubsafe::common::encodeBatch(batch), limits);
    if (again.events.size() != batch.events.size()) __builtin_trap();
  } catch (const clubsafe::common::BatchError&) {
  }
  try {
    (void)clubsafe::common::decodeEvent(input, limits);
  } catch (const clubsafe::common::BatchError&) {
  }
  (void)clubsafe::common::parseTimestamp(input);
  (void)clubsafe::common::normaliseFingerprint(input);
  return 0;
}
