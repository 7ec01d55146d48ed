#include "common/password_hash.hpp"

#include "common/crypto.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <charconv>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <vector>

namespace clubsafe::common {
namespace {

struct ScryptParameters {
  unsigned log2N = 0;
  std::uint64_t r = 0;
  std::uint64_t p = 0;
};

constexpr ScryptParameters kParameters{.log2N = 15, .r = 8, .p = 1};
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
constexpr std::string_view kScheme = "scrypt";
constexpr char kSeparator = '$';

// Bounds on what a stored hash may ask for, so a damaged or planted row cannot make one
// sign-in take minutes or gigabytes.
constexpr unsigned kMinLog2N = 10;
constexpr unsigned kMaxLog2N = 20;
constexpr std::uint64_t kMaxR = 16;
constexpr std::uint64_t kMaxP = 4;
constexpr std::uint64_t kMaxMemoryBytes = 64ULL * 1024 * 1024;
constexpr std::size_t kMinStoredBytes = 8;
constexpr std::size_t kMaxStoredBytes = 64;

// Unambiguous when read aloud or copied by hand: no 0/o or 1/l. 32 symbols, 5 bits each.
constexpr std::string_view kOneTimeAlphabet = "23456789abcdefghijkmnpqrstuvwxyz";
constexpr std::size_t kOneTimeGroups = 4;
constexpr std::size_t kOneTimeGroupLength = 4;

struct StoredHash {
  ScryptParameters parameters;
  std::string salt;
  std::string hash;
};

std::string randomBytes(std::size_t count) {
  std::string bytes(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1) {
    throw std::runtime_error("The system's random number generator failed.");
  }
  return bytes;
}

const unsigned char* bytesOf(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

std::string encodeBase64(std::string_view bytes) {
  std::string text(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()), bytesOf(bytes),
                                     static_cast<int>(bytes.size()));
  text.resize(static_cast<std::size_t>(length));
  return text;
}

std::optional<std::string> decodeBase64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  std::string bytes(text.size() / 4 * 3, '\0');
  const int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()), bytesOf(text),
                                     static_cast<int>(text.size()));
  if (length < 0) return std::nullopt;
  const std::size_t padding = text.ends_with("==") ? 2 : text.ends_with('=') ? 1 : 0;
  bytes.resize(static_cast<std::size_t>(length) - padding);
  // EVP_DecodeBlock skips blanks and ignores stray bits; accept only the spelling we write.
  if (encodeBase64(bytes) != text) return std::nullopt;
  return bytes;
}

template <typename Number>
std::optional<Number> parseNumber(std::string_view text) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> fields;
  while (true) {
    const auto at = text.find(separator);
    fields.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return fields;
    text.remove_prefix(at + 1);
  }
}

std::uint64_t memoryNeeded(const ScryptParameters& parameters) {
  // What OpenSSL allocates: 128·r·p for B plus 128·r·(N+2) for V.
  return 128 * parameters.r * ((std::uint64_t{1} << parameters.log2N) + 2 + parameters.p);
}

bool withinBounds(const ScryptParameters& parameters) {
  return parameters.log2N >= kMinLog2N && parameters.log2N <= kMaxLog2N && parameters.r >= 1 &&
         parameters.r <= kMaxR && parameters.p >= 1 && parameters.p <= kMaxP &&
         memoryNeeded(parameters) <= kMaxMemoryBytes;
}

bool storableLength(std::size_t bytes) {
  return bytes >= kMinStoredBytes && bytes <= kMaxStoredBytes;
}

std::optional<StoredHash> parseStoredHash(std::string_view encoded) {
  const auto fields = split(encoded, kSeparator);
  if (fields.size() != 6 || fields[0] != kScheme) return std::nullopt;
  const auto log2N = parseNumber<unsigned>(fields[1]);
  const auto r = parseNumber<std::uint64_t>(fields[2]);
  const auto p = parseNumber<std::uint64_t>(fields[3]);
  auto salt = decodeBase64(fields[4]);
  auto hash = decodeBase64(fields[5]);
  if (!log2N || !r || !p || !salt || !hash) return std::nullopt;
  StoredHash stored{.parameters = {.log2N = *log2N, .r = *r, .p = *p},
                    .salt = std::move(*salt),
                    .hash = std::move(*hash)};
  if (!withinBounds(stored.parameters) || !storableLength(stored.salt.size()) ||
      !storableLength(stored.hash.size())) {
    return std::nullopt;
  }
  return stored;
}

std::optional<std::string> scrypt(std::string_view password, std::string_view salt,
                                  const ScryptParameters& parameters, std::size_t length) {
  std::string derived(length, '\0');
  const int ok = EVP_PBE_scrypt(password.data(), password.size(), bytesOf(salt), salt.size(),
                                std::uint64_t{1} << parameters.log2N, parameters.r, parameters.p,
                                memoryNeeded(parameters),
                                reinterpret_cast<unsigned char*>(derived.data()), length);
  if (ok != 1) return std::nullopt;
  return derived;
}

}  // namespace

std::string hashPassword(std::string_view password) {
  const std::string salt = randomBytes(kSaltBytes);
  const auto hash = scrypt(password, salt, kParameters, kHashBytes);
  if (!hash) {
    throw std::runtime_error(
        "OpenSSL could not compute a password hash; the server may be short of memory.");
  }
  const std::string separator(1, kSeparator);
  return std::string(kScheme) + separator + std::to_string(kParameters.log2N) + separator +
         std::to_string(kParameters.r) + separator + std::to_string(kParameters.p) + separator +
         encodeBase64(salt) + separator + encodeBase64(*hash);
}

bool verifyPassword(std::string_view password, std::string_view encoded) {
  const auto stored = parseStoredHash(encoded);
  if (!stored) return false;
  const auto derived = scrypt(password, stored->salt, stored->parameters, stored->hash.size());
  return derived && constantTimeEquals(*derived, stored->hash);
}

bool isPasswordHash(std::string_view encoded) {
  return parseStoredHash(encoded).has_value();
}

std::string generateOneTimePassword() {
  static_assert(kOneTimeAlphabet.size() == 32,
                "each random byte picks a symbol with its low 5 bits");
  const std::string random = randomBytes(kOneTimeGroups * kOneTimeGroupLength);
  std::string password;
  for (std::size_t i = 0; i < random.size(); ++i) {
    if (i > 0 && i % kOneTimeGroupLength == 0) password.push_back('-');
    password.push_back(kOneTimeAlphabet[static_cast<unsigned char>(random[i]) & 0x1f]);
  }
  return password;
}

}  // namespace clubsafe::common
