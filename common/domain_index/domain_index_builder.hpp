#pragma once

#include "common/domain_index/domain_index.hpp"
#include "common/domain_index/index_format.hpp"
#include "common/domain_index/list_import.hpp"

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::common::domain_index {

// A list that cannot become an index: too many categories, a bad category name, a file that
// cannot be written.
class BuildError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct BuildOptions {
  std::uint64_t indexVersion = 0;  // 0: the build time
  std::uint64_t buildTime = 0;     // 0: now
};

struct BuildSummary {
  std::uint64_t names = 0;         // distinct names in the index
  std::uint64_t entries = 0;       // (name, category or allow) pairs added
  std::uint64_t duplicates = 0;    // pairs added more than once
  std::uint64_t allowNames = 0;    // names with an allow entry
  std::uint64_t categorySets = 0;  // distinct combinations of categories
  std::uint64_t fileBytes = 0;
  std::uint64_t indexVersion = 0;
  [[nodiscard]] double bytesPerName() const;
};

// Compiles categorised names into an index file. Memory: 8 bytes per (name, category) pair
// while collecting, plus 2 bytes per distinct name while writing; no strings are kept.
class DomainIndexBuilder {
 public:
  // A seed of 0 picks a random one, so a chance key collision does not survive a rebuild.
  explicit DomainIndexBuilder(std::uint64_t hashSeed = 0);

  // Registers a category (lower-case letters, digits, '-', '_', at most 64 bytes) and returns
  // its id; registering a name again returns the same id.
  CategoryId addCategory(std::string_view name);
  [[nodiscard]] const std::vector<std::string>& categories() const { return categories_; }

  // `name` must be canonical (NormalisedName::view()).
  void addBlocked(std::string_view name, CategoryId category);
  void addAllowed(std::string_view name);

  // Sinks that importers feed: every name into one category, or allow entries.
  [[nodiscard]] EntrySink& categorySink(CategoryId category);
  [[nodiscard]] EntrySink& allowSink();

  // Writes the index to `path` through a temporary file in the same folder and a rename, so
  // readers see the old file or the new one, never a half-written one. The names added so far
  // are used up: add them again to write another index.
  BuildSummary write(const std::string& path, const BuildOptions& options = {});

 private:
  class Sink : public EntrySink {
   public:
    Sink(DomainIndexBuilder& builder, std::uint8_t tag) : builder_(builder), tag_(tag) {}
    void add(std::string_view name, bool allow) override;

   private:
    DomainIndexBuilder& builder_;
    std::uint8_t tag_;
  };

  struct Merged {
    std::vector<format::SetRecord> sets;  // distinct category sets
    std::vector<std::uint16_t> setIds;    // one per name
  };

  void add(std::string_view name, std::uint8_t tag);
  std::vector<std::uint64_t> takeSortedEntries();
  static Merged merge(std::vector<std::uint64_t>& entries, BuildSummary& summary);

  std::uint64_t seed_ = 0;
  std::vector<std::string> categories_;
  std::deque<Sink> sinks_;  // stable addresses: callers hold references
  Sink allow_{*this, 0xff};
  // Packed (key << 8 | tag) values in fixed-size chunks, so collecting never copies a large
  // array to grow it.
  std::vector<std::vector<std::uint64_t>> chunks_;
};

}  // namespace clubsafe::common::domain_index
