#include "collector/auth/recovery_codes.hpp"

#include "collector/auth/totp.hpp"
#include "common/crypto.hpp"

#include <cctype>

namespace clubsafe::collector {
namespace {

constexpr std::size_t kCodeBytes = 10;  // 80 bits: 16 base32 characters
constexpr std::size_t kGroup = 4;

}  // namespace

std::vector<std::string> newRecoveryCodes() {
  std::vector<std::string> codes;
  for (std::size_t i = 0; i < kRecoveryCodeCount; ++i) {
    // The TOTP secret's generator, cut to size: OpenSSL's CSPRNG.
    const auto letters = totp::base32Encode(totp::newSecret().substr(0, kCodeBytes));
    std::string code;
    for (std::size_t at = 0; at < letters.size(); at += kGroup) {
      if (!code.empty()) code += '-';
      code += letters.substr(at, kGroup);
    }
    for (auto& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    codes.push_back(code);
  }
  return codes;
}

std::string recoveryCodeHash(std::string_view typed) {
  std::string normal;
  for (const char c : typed) {
    if (c == '-' || std::isspace(static_cast<unsigned char>(c)) != 0) continue;
    normal += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return common::sha256Hex(normal);
}

}  // namespace clubsafe::collector
