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
  // For Block: why. Category: `category` of the index in force matched. The others are the
  // profile's own rules, which no index category stands for (`category` is 0).
  enum class Reason : std::uint8_t {
    Category,
    Closed,     // outside the profile's opening hours
    BlockList,  // the profile's block list
  };
  Action action = Action::Allow;
  std::uint16_t category = 0;      // for Block: which category matched
  std::string_view rewriteTarget;  // for Rewrite: normalised name, owned by the filter
  Reason reason = Reason::Category;
  // For Allow and Rewrite: upstream answers may point into this laptop or the club's network
  // (the collector's own name, the allow list); others pointing there are refused (rebinding.hpp).
  bool localAnswersAllowed = false;

  static Verdict allow() { return {}; }
  static Verdict allowLocal() {
    Verdict verdict;
    verdict.localAnswersAllowed = true;
    return verdict;
  }
  static Verdict block(std::uint16_t categoryId) { return {Action::Block, categoryId, {}}; }
  static Verdict closed() { return {Action::Block, 0, {}, Reason::Closed}; }
  static Verdict blockListed() { return {Action::Block, 0, {}, Reason::BlockList}; }
  static Verdict nxDomain() { return {Action::NxDomain, 0, {}}; }
  static Verdict rewrite(std::string_view target) { return {Action::Rewrite, 0, target}; }
};

// The category name events and the block page give a Block verdict whose reason is not
// Category: "closed" or "block_list". Empty for Category (the index names those).
[[nodiscard]] constexpr std::string_view reasonCategoryName(Verdict::Reason reason) {
  switch (reason) {
    case Verdict::Reason::Closed: return "closed";
    case Verdict::Reason::BlockList: return "block_list";
    case Verdict::Reason::Category: break;
  }
  return {};
}

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
