#include "collector/auth/totp.hpp"

#include "common/crypto.hpp"

#include <Poco/URI.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace clubsafe::collector::totp {
namespace {

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::array<unsigned char, 20> hmacSha1(std::string_view key, std::uint64_t counter) {
  std::array<unsigned char, 8> message{};
  for (int i = 7; i >= 0; --i) {
    message.at(static_cast<std::size_t>(i)) = static_cast<unsigned char>(counter & 0xffU);
    counter >>= 8U;
  }
  std::array<unsigned char, 20> digest{};
  std::size_t length = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA1", nullptr, key.data(), key.size(), message.data(),
                message.size(), digest.data(), digest.size(), &length) == nullptr ||
      length != digest.size()) {
    throw std::runtime_error("OpenSSL could not compute an HMAC-SHA1.");
  }
  return digest;
}

std::string urlEncoded(std::string_view text) {
  std::string encoded;
  Poco::URI::encode(std::string(text), ":/?#[]@!$&'()*+,;=% ", encoded);
  return encoded;
}

}  // namespace

std::string newSecret() {
  std::string secret(kSecretBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(secret.data()),
                 static_cast<int>(secret.size())) != 1) {
    throw std::runtime_error("OpenSSL's random number generator failed.");
  }
  return secret;
}

std::string base32Encode(std::string_view bytes) {
  std::string text;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : bytes) {
    buffer = (buffer << 8U) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      text += kBase32Alphabet[(buffer >> static_cast<unsigned>(bits)) & 0x1fU];
    }
  }
  if (bits > 0) text += kBase32Alphabet[(buffer << static_cast<unsigned>(5 - bits)) & 0x1fU];
  return text;
}

std::optional<std::string> base32Decode(std::string_view text) {
  std::string bytes;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : text) {
    if (c == ' ' || c == '=' || c == '-') continue;
    const char upper = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    const auto value = kBase32Alphabet.find(upper);
    if (value == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 5U) | static_cast<std::uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes += static_cast<char>((buffer >> static_cast<unsigned>(bits)) & 0xffU);
    }
  }
  return bytes;
}

std::string hotp(std::string_view key, std::uint64_t counter, int digits) {
  const auto digest = hmacSha1(key, counter);
  // RFC 4226 section 5.3: dynamic truncation to 31 bits, then the low decimal digits.
  const auto offset = static_cast<std::size_t>(digest.back() & 0x0fU);
  const std::uint32_t binary = ((digest.at(offset) & 0x7fU) << 24U) |
                               (static_cast<std::uint32_t>(digest.at(offset + 1)) << 16U) |
                               (static_cast<std::uint32_t>(digest.at(offset + 2)) << 8U) |
                               static_cast<std::uint32_t>(digest.at(offset + 3));
  std::uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  auto code = std::to_string(binary % modulus);
  return std::string(static_cast<std::size_t>(digits) - code.size(), '0') + code;
}

std::int64_t stepAt(Timestamp time) {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
  return seconds / kTimeStep.count();
}

std::string codeAt(std::string_view key, Timestamp time, int digits) {
  return hotp(key, static_cast<std::uint64_t>(stepAt(time)), digits);
}

std::optional<std::int64_t> matchingStep(std::string_view key, std::string_view code, Timestamp now,
                                         int window) {
  if (code.size() != static_cast<std::size_t>(kDigits)) return std::nullopt;
  const auto current = stepAt(now);
  std::optional<std::int64_t> found;
  for (auto step = current - window; step <= current + window; ++step) {
    if (step < 0) continue;
    // No early return: every step in the window costs the same, whichever matched.
    if (common::constantTimeEquals(hotp(key, static_cast<std::uint64_t>(step), kDigits), code)) {
      found = step;
    }
  }
  return found;
}

std::string otpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view base32Secret) {
  const auto issuerText = urlEncoded(issuer);
  return "otpauth://totp/" + issuerText + ":" + urlEncoded(account) +
         "?secret=" + std::string(base32Secret) + "&issuer=" + issuerText +
         "&algorithm=SHA1&digits=" + std::to_string(kDigits) +
         "&period=" + std::to_string(kTimeStep.count());
}

}  // namespace clubsafe::collector::totp
