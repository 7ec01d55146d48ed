#include "common/domain_index/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace clubsafe::common::domain_index {
namespace {

std::runtime_error systemError(const std::string& what, const std::string& path) {
  return std::runtime_error(what + " " + path + ": " + std::generic_category().message(errno));
}

}  // namespace

MappedFile::MappedFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw systemError("Cannot open", path);
  struct stat status {};
  if (::fstat(fd, &status) != 0) {
    const auto error = systemError("Cannot read the size of", path);
    ::close(fd);
    throw error;
  }
  size_ = static_cast<std::size_t>(status.st_size);
  if (size_ > 0) {
    void* address = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (address == MAP_FAILED) {
      const auto error = systemError("Cannot map", path);
      ::close(fd);
      throw error;
    }
    data_ = static_cast<const unsigned char*>(address);
  }
  // The mapping keeps the file's pages; the descriptor is no longer needed.
  ::close(fd);
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(const_cast<unsigned char*>(data_), size_);
}

}  // namespace clubsafe::common::domain_index
