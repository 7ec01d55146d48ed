#pragma once

#include "common/domain_index/domain_name.hpp"
#include "common/domain_index/mapped_file.hpp"

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::common::domain_index {

// UT1 alone has 68 categories, so a set holds up to 128.
inline constexpr std::size_t kMaxCategories = 128;
using CategorySet = std::bitset<kMaxCategories>;
using CategoryId = std::uint8_t;

// A refused index file: truncated, corrupt, of another format version, or unreadable.
class DomainIndexError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What the index says about a name. `categories` holds the block categories in force: those of
// the name and of its parents, up to the nearest allow entry (an allow entry beats a block entry
// of the same name and of every parent). `allowed` says an allow entry matched and nothing more
// specific below it is blocked. `overridden` holds the block categories an allow entry beat (on
// its own name or a parent's), so that a policy can still block categories no allow entry may
// switch off (illegal content).
struct Match {
  CategorySet categories;
  CategorySet overridden;
  bool allowed = false;

  [[nodiscard]] bool blocked() const { return categories.any(); }
};

// A compiled, immutable domain index: usually a memory-mapped file. Lookups never allocate,
// throw or log, and any number of threads may run them at once.
class DomainIndex {
 public:
  // Maps `path` and verifies it (layout and SHA-256 of the body); throws DomainIndexError with a
  // message naming the file and the problem.
  [[nodiscard]] static std::shared_ptr<const DomainIndex> open(const std::string& path);
  // The same checks over bytes already in memory (copied), for tests and fuzzing.
  [[nodiscard]] static std::shared_ptr<const DomainIndex> fromBytes(std::string_view bytes);

  [[nodiscard]] Match lookup(std::string_view name) const noexcept;
  [[nodiscard]] Match lookup(const NormalisedName& name) const noexcept;

  [[nodiscard]] std::uint32_t formatVersion() const { return formatVersion_; }
  [[nodiscard]] std::uint64_t indexVersion() const { return indexVersion_; }
  [[nodiscard]] std::uint64_t buildTime() const { return buildTime_; }
  [[nodiscard]] std::uint64_t entryCount() const { return entryCount_; }
  [[nodiscard]] std::size_t setCount() const { return sets_.size(); }
  [[nodiscard]] std::size_t fileSize() const { return bytes_.size(); }
  [[nodiscard]] const std::vector<std::string>& categories() const { return categories_; }
  [[nodiscard]] std::optional<CategoryId> findCategory(std::string_view name) const;
  // Category names of a set, joined with ", ".
  [[nodiscard]] std::string describe(const CategorySet& set) const;

 private:
  struct Set {
    CategorySet categories;
    bool allow = false;
  };

  DomainIndex(std::unique_ptr<MappedFile> mapping, std::vector<unsigned char> owned,
              const std::string& source);
  void verify(const std::string& source);
  // `begin`: the first entry of the key's bucket.
  [[nodiscard]] const Set* find(std::uint64_t key, std::uint32_t begin) const noexcept;

  std::unique_ptr<MappedFile> mapping_;
  std::vector<unsigned char> owned_;
  std::span<const unsigned char> bytes_;

  std::uint32_t formatVersion_ = 0;
  std::uint64_t indexVersion_ = 0;
  std::uint64_t buildTime_ = 0;
  std::uint64_t hashSeed_ = 0;
  std::uint64_t entryCount_ = 0;
  int bucketShift_ = 0;
  const unsigned char* keys_ = nullptr;
  const unsigned char* setIds_ = nullptr;
  const unsigned char* buckets_ = nullptr;
  std::vector<std::string> categories_;
  std::vector<Set> sets_;
};

}  // namespace clubsafe::common::domain_index
