#pragma once

#include <span>
#include <string_view>

namespace clubsafe::agent::protection {

// Addresses (and a few ranges) of public resolvers that answer DNS over HTTPS, TLS or QUIC, so
// a program could ask them past the DNS filter without port 53 (docs/CIRCUMVENTION.md). They
// serve nothing else a club needs. Written as nft takes them; a club adds its own with the
// setting protection.blocked_resolvers.
[[nodiscard]] std::span<const std::string_view> publicResolverAddresses();

}  // namespace clubsafe::agent::protection
