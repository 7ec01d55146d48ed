#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace clubsafe::testing {

inline std::string base64(std::string_view bytes) {
  std::string text(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()),
                                     reinterpret_cast<const unsigned char*>(bytes.data()),
                                     static_cast<int>(bytes.size()));
  text.resize(static_cast<std::size_t>(length));
  return text;
}

// An encoded scrypt hash made independently of the code under test, with parameters far
// cheaper than the real ones: it shows verifyPassword reads the parameters from the encoding,
// and it keeps tests that sign in many times fast.
inline std::string cheapPasswordHash(std::string_view password, unsigned log2N = 10,
                                     std::uint64_t r = 8, std::uint64_t p = 1) {
  const std::string salt = "sixteen byte sal";
  std::string hash(32, '\0');
  if (EVP_PBE_scrypt(password.data(), password.size(),
                     reinterpret_cast<const unsigned char*>(salt.data()), salt.size(),
                     std::uint64_t{1} << log2N, r, p, 0,
                     reinterpret_cast<unsigned char*>(hash.data()), hash.size()) != 1) {
    throw std::runtime_error("scrypt failed in a test helper");
  }
  return "scrypt$" + std::to_string(log2N) + "$" + std::to_string(r) + "$" + std::to_string(p) +
         "$" + base64(salt) + "$" + base64(hash);
}

}  // namespace clubsafe::testing
