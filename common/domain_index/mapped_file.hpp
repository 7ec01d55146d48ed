#pragma once

#include <cstddef>
#include <span>
#include <string>

namespace clubsafe::common::domain_index {

// A whole file mapped read-only into memory, unmapped when this object goes away.
class MappedFile {
 public:
  // Throws std::runtime_error with the path and the system's reason when the file cannot be
  // opened or mapped.
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  [[nodiscard]] std::span<const unsigned char> bytes() const { return {data_, size_}; }

 private:
  const unsigned char* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace clubsafe::common::domain_index
