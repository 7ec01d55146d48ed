#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace clubsafe::agent::outbox {

// How the outbox keeps room on its file system (docs/ARCHITECTURE.md, "Outbox bounds").
struct DiskRoomOptions {
  // Free space left alone for SQLite's write-ahead log and page reuse: when less than this is
  // left, droppable events stop growing the outbox and make room by pushing older ones out.
  std::int64_t marginBytes = std::int64_t{1} << 20;
  // A file of this size kept in the state folder and deleted when the disk fills, so events
  // that are never dropped, and the deletes the collector's confirmation needs, still fit.
  // 0: no reserve.
  std::int64_t reserveBytes = std::int64_t{2} << 20;
  // Bytes an unprivileged writer may still use on the file system holding `folder`; empty
  // means statvfs. The operating-system seam, replaced in tests.
  std::function<std::int64_t(const std::string& folder)> freeBytes;
};

// Watches the free space of the outbox's file system and keeps the reserve file. The room is
// the free space plus the reusable (free) pages inside the outbox file, less the reserve when
// it has been released; under the margin there is no room, and droppable events must make room
// instead of growing the file. A disk-full episode begins then and ends when the room is twice
// the margin; each is logged once. Not thread-safe: the outbox calls it with its lock held.
class DiskRoom {
 public:
  DiskRoom(std::string folder, DiskRoomOptions options);

  // Looks at the file system, `reusableBytes` being the free pages inside the outbox file.
  // Releases the reserve when the disk itself is nearly full (under half the margin free), and
  // makes it again once the disk has space. Returns true when there is no room now, so
  // droppable events must not grow the outbox.
  bool update(std::int64_t reusableBytes);

  // Whether a disk-full episode lasts: from no room until twice the margin is free again.
  [[nodiscard]] bool full() const { return full_; }

  // Deletes the reserve file, for a write that failed for want of space; false when there was
  // none left to release.
  bool releaseReserve();

  [[nodiscard]] bool reserveHeld() const { return reserveHeld_; }
  [[nodiscard]] const std::string& reservePath() const { return reservePath_; }

 private:
  [[nodiscard]] std::int64_t freeBytes() const;
  void restoreReserve(std::int64_t freeBytes);

  std::string folder_;
  std::string reservePath_;
  DiskRoomOptions options_;
  bool reserveHeld_ = false;
  bool full_ = false;
};

}  // namespace clubsafe::agent::outbox
