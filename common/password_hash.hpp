#pragma once

#include <string>
#include <string_view>

namespace clubsafe::common {

// scrypt (N=2^15, r=8, p=1, 32 MiB) through OpenSSL, with a 16-byte random salt. The encoded
// form carries its parameters: "scrypt$15$8$1$<salt base64>$<hash base64>".
[[nodiscard]] std::string hashPassword(std::string_view password);

// False for a wrong password and for an encoded hash it cannot read; never throws for those.
[[nodiscard]] bool verifyPassword(std::string_view password, std::string_view encoded);

// True when verifyPassword can read `encoded`: the scheme, parameters within bounds (so that
// checking it cannot take minutes or gigabytes), and salt and hash of sane lengths.
[[nodiscard]] bool isPasswordHash(std::string_view encoded);

// A pass phrase a manager can type: four groups of letters and digits, about 80 bits.
[[nodiscard]] std::string generateOneTimePassword();

}  // namespace clubsafe::common
