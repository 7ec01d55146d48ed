#pragma once

#include "common/domain_index/domain_index_builder.hpp"
#include "common/domain_index/list_import.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace clubsafe::collector {

struct CompiledIndex {
  std::string sha256;  // of the whole file, which is named after it
  std::uint64_t bytes = 0;
  // Category -> a name the written file blocks in that category (the policy's test_names).
  std::map<std::string, std::string> testNames;
};

// The index file called `sha256` in `folder`.
[[nodiscard]] std::filesystem::path indexFilePath(const std::filesystem::path& folder,
                                                  const std::string& sha256);

// SHA-256 of a whole file as lower-case hex; throws std::runtime_error when it cannot be read.
[[nodiscard]] std::string fileSha256(const std::filesystem::path& file);

// Removes every index file in `folder` but the one called `keep` (empty: all of them), and
// temporary files a crashed compile left behind. Failures are logged, never thrown: a stale
// file costs only disk space.
void removeIndexFilesExcept(const std::filesystem::path& folder, const std::string& keep);

// Compiles filter lists, category by category, into one domain index file (docs/DOMAIN_INDEX.md)
// named by its SHA-256, so that a file name never changes meaning and a policy can name it.
class IndexCompiler {
 public:
  explicit IndexCompiler(std::filesystem::path folder) : folder_(std::move(folder)) {}

  // Adds the names of one list to `category`. Allow rules (AdBlock `@@||name^`) are not used
  // and are counted as unsupported. Throws common::domain_index::BuildError for a category the
  // index cannot hold (a bad name, more than 128 categories).
  common::domain_index::ImportReport add(const std::string& category,
                                         common::domain_index::ListFormat format,
                                         std::string_view text, std::string source);

  // Writes the file through a temporary one and renames it to `<sha256>.index`: readers see a
  // whole file or none. The names added are used up. Each category gets a test name: of its
  // lists' names, the best (see testNameBefore) that the written file blocks in that category
  // and no allow entry of any list covers (unused as they are, one says the name is a poor
  // example of what the list blocks).
  CompiledIndex write();

 private:
  class CandidateSink;

  std::filesystem::path folder_;
  common::domain_index::DomainIndexBuilder builder_;
  // Per category, the few best test names seen, best first: a handful, so that one an allow
  // entry covers still leaves another.
  std::map<std::string, std::vector<std::string>> candidates_;
  std::unordered_set<std::string> allowEntries_;
};

// Whether `a` makes a better test name than `b`: fewer labels (a registrable name such as
// casino.example rather than a host under it), then shorter, then alphabetical, so that the
// same lists give the same name whatever their order.
[[nodiscard]] bool testNameBefore(std::string_view a, std::string_view b);

}  // namespace clubsafe::collector
