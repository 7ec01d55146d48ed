#pragma once

#include "common/event.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Time-based one-time passwords (RFC 6238) over HOTP (RFC 4226), HMAC-SHA1 through OpenSSL, as
// every authenticator app computes them: 6 digits, a new code every 30 seconds.
namespace clubsafe::collector::totp {

using common::Timestamp;

inline constexpr std::chrono::seconds kTimeStep{30};
inline constexpr int kDigits = 6;
// 160 bits, the HMAC-SHA1 block's worth that RFC 4226 recommends.
inline constexpr std::size_t kSecretBytes = 20;

// A new secret from OpenSSL's CSPRNG (raw bytes).
[[nodiscard]] std::string newSecret();

// RFC 4648 base32 without padding, upper case: how authenticator apps take a key by hand.
[[nodiscard]] std::string base32Encode(std::string_view bytes);
// Accepts lower case, spaces and padding, as people type it; nullopt for any other character.
[[nodiscard]] std::optional<std::string> base32Decode(std::string_view text);

// The HOTP value of `counter` under `key`, `digits` long with leading zeros.
[[nodiscard]] std::string hotp(std::string_view key, std::uint64_t counter, int digits);

// The RFC 6238 time step `time` falls in (seconds since 1970 / 30).
[[nodiscard]] std::int64_t stepAt(Timestamp time);

// The code of `time`'s step.
[[nodiscard]] std::string codeAt(std::string_view key, Timestamp time, int digits = kDigits);

// The step, within `window` steps either side of `now`'s, whose code is `code` (a phone's clock
// may be a little out); nullopt when none is. Every candidate is compared in constant time.
[[nodiscard]] std::optional<std::int64_t> matchingStep(std::string_view key, std::string_view code,
                                                       Timestamp now, int window = 1);

// The otpauth:// address an authenticator app takes in place of typing the key.
[[nodiscard]] std::string otpauthUri(std::string_view issuer, std::string_view account,
                                     std::string_view base32Secret);

}  // namespace clubsafe::collector::totp
