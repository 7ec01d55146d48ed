#pragma once

// Importers for the list formats clubs get blocklists in. Each reads lines through one
// LineReader, hands valid names to an EntrySink and counts everything else in an ImportReport;
// a bad line is never fatal.

#include "common/domain_index/line_reader.hpp"

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::common::domain_index {

class EntrySink {
 public:
  virtual ~EntrySink() = default;
  // `name` is canonical (see NormalisedName); `allow` marks an allow entry.
  virtual void add(std::string_view name, bool allow) = 0;
};

enum class ListFormat { Plain, Hosts, AdBlock };
[[nodiscard]] std::optional<ListFormat> parseListFormat(std::string_view text);

struct ImportReport {
  struct Problem {
    std::uint64_t count = 0;
    std::vector<std::uint64_t> exampleLines;  // the first few
  };
  static constexpr std::size_t kExampleLines = 3;

  std::string source;
  std::uint64_t lines = 0;
  std::uint64_t names = 0;             // valid names handed to the sink
  std::uint64_t allowNames = 0;        // of which allow entries
  std::uint64_t ignored = 0;           // blank, comment and localhost lines
  std::uint64_t unsupported = 0;       // valid rules of the format that are not plain domain rules
  std::map<std::string, Problem> bad;  // by reason

  [[nodiscard]] std::uint64_t badCount() const;
  // A few lines an admin can read: counts, then each reason with example line numbers.
  void print(std::ostream& out) const;
};

// Hands one line to the sink and the report; each format's parser talks to it.
class LineContext {
 public:
  LineContext(EntrySink& sink, ImportReport& report, bool allowAll, std::uint64_t line)
      : sink_(sink), report_(report), allowAll_(allowAll), line_(line) {}
  // Normalises `raw` and adds it, or counts it as bad with the reason.
  void name(std::string_view raw, bool allow = false);
  void ignored() { ++report_.ignored; }
  void unsupported() { ++report_.unsupported; }
  void bad(std::string_view reason);

 private:
  EntrySink& sink_;
  ImportReport& report_;
  bool allowAll_;
  std::uint64_t line_;
};

// One parser per format (plain_list.cpp, hosts_file.cpp, adblock_list.cpp).
void parsePlainLine(std::string_view line, LineContext& context);
void parseHostsLine(std::string_view line, LineContext& context);
void parseAdBlockLine(std::string_view line, LineContext& context);

// Reads every line of `reader` in `format`. With `allowAll` every name becomes an allow entry.
ImportReport importList(LineReader& reader, ListFormat format, EntrySink& sink, bool allowAll,
                        std::string source);
// The same for a file, plain or gzip-compressed. Throws ImportError if it cannot be read.
ImportReport importListFile(const std::filesystem::path& path, ListFormat format, EntrySink& sink,
                            bool allowAll = false);

// The UT1 folder layout (ut1_folder.cpp): `<category>/domains` (UT1's own tree; symlinked alias
// folders are skipped) or `<category>.domains.gz` files. Sorted by category.
struct CategoryList {
  std::string category;
  std::filesystem::path file;
};
[[nodiscard]] std::vector<CategoryList> findUt1Lists(const std::filesystem::path& folder);

// Shared helpers for the parsers.
[[nodiscard]] std::string_view trim(std::string_view text);
[[nodiscard]] std::string_view stripComment(std::string_view line, char marker);

}  // namespace clubsafe::common::domain_index
