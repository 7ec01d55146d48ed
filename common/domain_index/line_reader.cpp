#include "common/domain_index/line_reader.hpp"

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

namespace clubsafe::common::domain_index {
namespace {

constexpr std::size_t kBufferSize = std::size_t{64} * 1024;

}  // namespace

LineReader::LineReader(const std::filesystem::path& path) : path_(path.string()) {
  errno = 0;
  gz_ = gzopen(path_.c_str(), "rb");
  if (gz_ == nullptr) {
    throw ImportError("Cannot open the list " + path_ + ": " +
                      (errno != 0 ? std::generic_category().message(errno) : "out of memory"));
  }
  buffer_.resize(kBufferSize);
  data_ = buffer_.data();
}

LineReader::LineReader(std::string_view text) : data_(text.data()), end_(text.size()), eof_(true) {}

LineReader::~LineReader() {
  if (gz_ != nullptr) gzclose(gz_);
}

void LineReader::refill() {
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  const int read = gzread(gz_, buffer_.data() + end_, static_cast<unsigned>(buffer_.size() - end_));
  // A compressed file that ends early reads as a short end with Z_BUF_ERROR set, not as -1.
  int code = Z_OK;
  const char* message = gzerror(gz_, &code);
  if (read < 0 || (read == 0 && code != Z_OK)) {
    throw ImportError("Cannot read the list " + path_ + ": " + message +
                      " (the file is damaged or cut short)");
  }
  if (read == 0) eof_ = true;
  end_ += static_cast<std::size_t>(read);
}

bool LineReader::next(Line& line) {
  while (true) {
    if (begin_ == end_) {
      if (eof_) return false;
      refill();
      continue;
    }
    const char* start = data_ + begin_;
    const auto* newline = static_cast<const char*>(std::memchr(start, '\n', end_ - begin_));
    if (newline == nullptr && !eof_) {
      if (begin_ == 0 && end_ == buffer_.size()) {
        // A line longer than the whole buffer: report it once, then drop it piece by piece.
        const bool report = !skipping_;
        skipping_ = true;
        end_ = 0;
        if (report) {
          line = {{}, ++number_, true};
          return true;
        }
      }
      refill();
      continue;
    }
    const std::size_t length =
        newline != nullptr ? static_cast<std::size_t>(newline - start) : end_ - begin_;
    begin_ += length + (newline != nullptr ? 1 : 0);
    if (skipping_) {
      skipping_ = false;
      continue;
    }
    std::string_view text(start, length);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    line = {text, ++number_, text.size() > kMaxLineLength};
    return true;
  }
}

}  // namespace clubsafe::common::domain_index
