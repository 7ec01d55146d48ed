#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace clubsafe::agent::platform {

class PacketFilterError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The kernel's packet filter, for tables of the agent's own. A table is named as nft writes it,
// family first ("inet clubsafe"); rulesets are in nft's own language. The seam the unit tests
// replace; the real one is nftables through libnftables.
class PacketFilter {
 public:
  virtual ~PacketFilter() = default;

  // Puts `ruleset`, which declares `table`, in place of whatever table of that name is there, in
  // one transaction: the old rules stay in force until the new ones are. Throws
  // PacketFilterError with nftables' own message.
  virtual void replaceTable(const std::string& table, const std::string& ruleset) = 0;

  // The table as the kernel holds it now, in nft's listing without counters; nullopt when there
  // is no such table. Throws PacketFilterError when the kernel cannot be asked.
  [[nodiscard]] virtual std::optional<std::string> listTable(const std::string& table) = 0;

  // Removes the table; nothing when there is none. Throws PacketFilterError.
  virtual void deleteTable(const std::string& table) = 0;
};

[[nodiscard]] std::unique_ptr<PacketFilter> makePacketFilter();

}  // namespace clubsafe::agent::platform
