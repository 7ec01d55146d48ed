#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string_view>
#include <vector>

struct gzFile_s;

namespace clubsafe::common::domain_index {

class ImportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads a list line by line from a file (plain or gzip-compressed, told apart by zlib) or from
// memory, with a fixed buffer: a list of any size costs the same memory.
class LineReader {
 public:
  // Lines longer than this are reported as too long and skipped.
  static constexpr std::size_t kMaxLineLength = 4096;

  struct Line {
    std::string_view text;  // without the line ending
    std::uint64_t number = 0;
    bool tooLong = false;
  };

  // Throws ImportError naming the file when it cannot be opened.
  explicit LineReader(const std::filesystem::path& path);
  explicit LineReader(std::string_view text);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // False at the end. Throws ImportError when the file is unreadable or its compression is
  // damaged. `line.text` stays valid until the next call.
  bool next(Line& line);

 private:
  void refill();

  std::string path_;
  gzFile_s* gz_ = nullptr;  // zlib's gzFile
  std::vector<char> buffer_;
  const char* data_ = nullptr;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  bool skipping_ = false;  // inside a line longer than the buffer, already reported
  std::uint64_t number_ = 0;
};

}  // namespace clubsafe::common::domain_index
