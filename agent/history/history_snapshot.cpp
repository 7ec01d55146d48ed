#include "agent/history/history_snapshot.hpp"

#include "agent/platform/file_descriptor.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <string_view>
#include <system_error>

namespace clubsafe::agent::history {
namespace {

namespace fs = std::filesystem;
using platform::FileDescriptor;

constexpr std::array<std::string_view, 2> kCompanions{"-wal", "-journal"};
constexpr int kCopyAttempts = 3;
constexpr std::size_t kCopyBufferBytes = 1 << 16;
constexpr std::size_t kCopyChunkBytes = 1 << 24;

FileFingerprint::Part partOf(const fs::path& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) return {};
  return {true, static_cast<std::uintmax_t>(info.st_size),
          static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec};
}

fs::path withSuffix(const fs::path& path, std::string_view suffix) {
  return fs::path(path.string() + std::string(suffix));
}

[[noreturn]] void unreadable(const fs::path& path, int error) {
  throw HistoryError(HistoryError::Kind::Unreadable,
                     path.string() + " cannot be read: " + std::generic_category().message(error));
}

// Never follows a symbolic link and reads plain files only, and with `owner` only that account's:
// a person's home folder must not be able to make the agent read a device, a pipe or another
// account's files.
void copyFile(const fs::path& from, const fs::path& to, std::optional<std::uint32_t> owner) {
  const FileDescriptor in(::open(from.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (in.get() < 0) {
    if (errno == ENOENT) {
      throw HistoryError(HistoryError::Kind::Missing, from.string() + " has gone");
    }
    unreadable(from, errno);
  }
  struct stat info {};
  if (::fstat(in.get(), &info) != 0) unreadable(from, errno);
  if (!S_ISREG(info.st_mode)) {
    throw HistoryError(HistoryError::Kind::Unreadable, from.string() + " is not a plain file");
  }
  if (owner && info.st_uid != *owner) {
    throw HistoryError(HistoryError::Kind::Unreadable,
                       from.string() + " is not the file of the account whose home it is in");
  }
  if (static_cast<std::uintmax_t>(info.st_size) > kMaxDatabaseBytes) {
    throw HistoryError(HistoryError::Kind::TooLarge,
                       from.string() + " is larger than the 1 GiB a history file may be");
  }
  const FileDescriptor out(
      ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (out.get() < 0) unreadable(to, errno);
  // In the kernel where it can (no trip through user space); otherwise through a buffer.
  for (;;) {
    const auto copied =
        ::copy_file_range(in.get(), nullptr, out.get(), nullptr, kCopyChunkBytes, 0);
    if (copied == 0) return;
    if (copied < 0) {
      if (errno == EINTR) continue;
      if (errno != EXDEV && errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP) {
        unreadable(from, errno);
      }
      break;
    }
  }
  std::array<char, kCopyBufferBytes> buffer{};
  for (;;) {
    const auto got = ::read(in.get(), buffer.data(), buffer.size());
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      unreadable(from, errno);
    }
    for (ssize_t written = 0; written < got;) {
      const auto put =
          ::write(out.get(), buffer.data() + written, static_cast<std::size_t>(got - written));
      if (put < 0) {
        if (errno == EINTR) continue;
        unreadable(to, errno);
      }
      written += put;
    }
  }
}

}  // namespace

FileFingerprint fingerprintOf(const fs::path& database) {
  return {partOf(database), partOf(withSuffix(database, kCompanions[0])),
          partOf(withSuffix(database, kCompanions[1]))};
}

HistorySnapshot::HistorySnapshot(const fs::path& database, std::optional<std::uint32_t> owner) {
  std::string name = (fs::temp_directory_path() / "clubsafe-history-XXXXXX").string();
  if (::mkdtemp(name.data()) == nullptr) {
    throw HistoryError(HistoryError::Kind::Unreadable,
                       "no private folder could be made to copy " + database.string() +
                           " into: " + std::generic_category().message(errno));
  }
  folder_ = name;
  copy_ = folder_ / database.filename();
  try {
    for (int attempt = 0; attempt < kCopyAttempts; ++attempt) {
      const auto before = fingerprintOf(database);
      if (!before.database.exists) {
        throw HistoryError(HistoryError::Kind::Missing, database.string() + " has gone");
      }
      std::error_code ignored;
      for (const auto& entry : fs::directory_iterator(folder_)) fs::remove(entry.path(), ignored);
      copyFile(database, copy_, owner);
      if (before.database.size == 0) {
        throw HistoryError(HistoryError::Kind::Empty,
                           database.string() + " is empty (the browser has not written it yet)");
      }
      for (const auto suffix : kCompanions) {
        const auto companion = withSuffix(database, suffix);
        // A journal or WAL the browser removed meanwhile changes the fingerprint below.
        try {
          copyFile(companion, withSuffix(copy_, suffix), owner);
        } catch (const HistoryError& error) {
          if (error.kind() != HistoryError::Kind::Missing) throw;
        }
      }
      fingerprint_ = fingerprintOf(database);
      if (fingerprint_ == before) return;
    }
    throw HistoryError(
        HistoryError::Kind::Changing,
        database.string() + " changed during each of " + std::to_string(kCopyAttempts) + " copies");
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
    throw;
  }
}

HistorySnapshot::~HistorySnapshot() {
  std::error_code ignored;
  fs::remove_all(folder_, ignored);
}

}  // namespace clubsafe::agent::history
