#pragma once

#include <cstdint>
#include <string_view>

namespace clubsafe::agent::dns {

// What the filter does with one question.
struct Verdict {
  enum class Action : std::uint8_t {
    Allow,     // forward upstream (or answer from the cache)
    Block,     // the block answer: block address or NXDOMAIN, as configured
    NxDomain,  // NXDOMAIN whatever the block answer is (canaries must not get an address)
    Rewrite,   // answer as a CNAME of `rewriteTarget` (safe search)
  };
  Action action = Action::Allow;
  std::uint16_t category = 0;      // for Block: which category matched
  std::string_view rewriteTarget;  // for Rewrite: normalised name, owned by the filter

  static Verdict allow() { return {}; }
  static Verdict block(std::uint16_t categoryId) { return {Action::Block, categoryId, {}}; }
  static Verdict nxDomain() { return {Action::NxDomain, 0, {}}; }
  static Verdict rewrite(std::string_view target) { return {Action::Rewrite, 0, target}; }
};

// Consulted once per query with the question's name in lower case without a trailing dot.
// Implementations must be safe to call from several threads at once and must not block,
// allocate, log or throw: this is the packet path.
class FilterDecision {
 public:
  virtual ~FilterDecision() = default;
  [[nodiscard]] virtual Verdict decide(std::string_view normalisedName,
                                       std::uint16_t qtype) const noexcept = 0;
};

}  // namespace clubsafe::agent::dns
