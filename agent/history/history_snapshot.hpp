#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

// A private copy of a browser's history database taken without locking or disturbing the browser
// (docs/ARCHITECTURE.md, "Browser history").
namespace clubsafe::agent::history {

// Why a history database could not be read this time; the message says it in words.
class HistoryError : public std::runtime_error {
 public:
  enum class Kind {
    Missing,           // gone between finding it and reading it
    Empty,             // zero bytes: the browser has not written it yet
    Unreadable,        // cannot be opened or copied, or is not a plain file
    TooLarge,          // over kMaxDatabaseBytes
    Changing,          // written to during every copy attempt
    Damaged,           // truncated, garbage or otherwise not a sound SQLite file
    UnfamiliarSchema,  // a SQLite file without the tables and columns this browser keeps
  };

  HistoryError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  [[nodiscard]] Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// Sizes and modification times of a database and its -wal and -journal files: while this is
// unchanged, the browser has written nothing new.
struct FileFingerprint {
  struct Part {
    bool exists = false;
    std::uintmax_t size = 0;
    std::int64_t modifiedNanos = 0;
    bool operator==(const Part&) const = default;
  };
  Part database;
  Part wal;
  Part journal;

  bool operator==(const FileFingerprint&) const = default;
};

[[nodiscard]] FileFingerprint fingerprintOf(const std::filesystem::path& database);

// A history file larger than this is refused: real ones stay far below, and the copy is made on
// every scan that finds something new.
inline constexpr std::uintmax_t kMaxDatabaseBytes = std::uintmax_t{1} << 30;

// Copies the database with its -wal and -journal (whichever exist) into a new folder readable by
// the agent only, removed again when this goes away. The copy is retried when the browser wrote
// during it, so the files belong together. With `owner`, each file opened must belong to that
// uid (Unreadable otherwise). Throws HistoryError.
class HistorySnapshot {
 public:
  explicit HistorySnapshot(const std::filesystem::path& database,
                           std::optional<std::uint32_t> owner = std::nullopt);
  ~HistorySnapshot();
  HistorySnapshot(const HistorySnapshot&) = delete;
  HistorySnapshot& operator=(const HistorySnapshot&) = delete;

  // The copied database.
  [[nodiscard]] const std::filesystem::path& path() const { return copy_; }
  // The original's fingerprint as it was copied.
  [[nodiscard]] const FileFingerprint& fingerprint() const { return fingerprint_; }

 private:
  std::filesystem::path folder_;
  std::filesystem::path copy_;
  FileFingerprint fingerprint_;
};

}  // namespace clubsafe::agent::history
