#pragma once

// DNS rebinding protection (like dnsmasq's --stop-dns-rebind): a web page whose name an outside
// resolver answers with an address on this laptop or the club's network can be read by the
// browser as if it were that page's own site; the block page, other services on the laptop
// and the club's router are all reachable that way. The filter refuses such answers for names
// other than the collector's own and the club's allow list (Verdict::localAnswersAllowed).

#include "agent/dns/wire.hpp"

#include <span>

namespace clubsafe::agent::dns {

// Loopback (127/8), private (10/8, 172.16/12, 192.168/16), link-local (169.254/16) or
// "this network" (0/8, which holds the unspecified address).
[[nodiscard]] bool isLocalAddress(std::span<const std::uint8_t, 4> address) noexcept;
// Loopback (::1), unspecified (::), unique local (fc00::/7), link-local (fe80::/10), and an
// IPv4-mapped address (::ffff:0:0/96) whose IPv4 address is local.
[[nodiscard]] bool isLocalAddress(std::span<const std::uint8_t, 16> address) noexcept;

// Whether any A or AAAA record of `answer` (in any section) holds a local address. A malformed
// answer counts as pointing inward: a client's parser might still find such a record in it.
[[nodiscard]] bool pointsInward(Bytes answer) noexcept;

}  // namespace clubsafe::agent::dns
