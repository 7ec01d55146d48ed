#pragma once

#include "common/domain_index/domain_index.hpp"
#include "common/domain_index/list_import.hpp"

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace clubsafe::common::domain_index::testing {

// Keeps what an importer hands over, in order.
class CollectingSink : public EntrySink {
 public:
  void add(std::string_view name, bool allow) override { entries.emplace_back(name, allow); }
  std::vector<std::pair<std::string, bool>> entries;
};

// A whole file's bytes (istreambuf_iterator trips GCC 12's -Wnull-dereference under -O2).
inline std::string readBytes(const std::string& path) {
  std::string bytes(std::filesystem::file_size(path), '\0');
  std::ifstream in(path, std::ios::binary);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

inline ImportReport importText(std::string_view text, ListFormat format, EntrySink& sink,
                               bool allowAll = false) {
  LineReader reader(text);
  return importList(reader, format, sink, allowAll, "test list");
}

}  // namespace clubsafe::common::domain_index::testing
