#pragma once

#include "common/domain_index/domain_index.hpp"

#include <memory>

namespace clubsafe::common::domain_index {

// The index in force. The DNS path takes a snapshot per query (or per batch) and keeps using
// it; a new index is swapped in whole, and the old one is unmapped when its last reader lets go.
// GCC 12's libstdc++ has no std::atomic<std::shared_ptr>, so this uses the atomic free
// functions on shared_ptr (a short lock from a striped pool inside libstdc++).
class DomainIndexHolder {
 public:
  DomainIndexHolder() = default;
  explicit DomainIndexHolder(std::shared_ptr<const DomainIndex> index) : index_(std::move(index)) {}

  // May be empty when no index has been loaded yet.
  [[nodiscard]] std::shared_ptr<const DomainIndex> current() const {
    return std::atomic_load(&index_);
  }
  void replace(std::shared_ptr<const DomainIndex> index) {
    std::atomic_store(&index_, std::move(index));
  }

 private:
  std::shared_ptr<const DomainIndex> index_;
};

}  // namespace clubsafe::common::domain_index
