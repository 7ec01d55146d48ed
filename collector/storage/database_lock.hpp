#pragma once

#include <filesystem>
#include <stdexcept>

namespace clubsafe::collector {

// Another process holds the database's lock: the message names it.
class DatabaseLockedError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An exclusive lock on <database>.lock for this object's lifetime. The serving collector holds
// it while it runs, and restore takes it, so a restore cannot swap the file under a running
// collector. The kernel lets the lock go when the process ends, however it ends.
class DatabaseLock {
 public:
  // Throws DatabaseLockedError at once when another process holds the lock.
  explicit DatabaseLock(const std::filesystem::path& database);
  ~DatabaseLock();
  DatabaseLock(const DatabaseLock&) = delete;
  DatabaseLock& operator=(const DatabaseLock&) = delete;

 private:
  int descriptor_ = -1;
};

}  // namespace clubsafe::collector
