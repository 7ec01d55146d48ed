#include "agent/outbox/disk_room.hpp"

#include "agent/platform/disk_space.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <system_error>

namespace clubsafe::agent::outbox {
namespace {

// What update() assumes when the file system cannot be asked: plenty, so a failing statvfs
// never makes the outbox drop events it has room for.
constexpr std::int64_t kUnknownFree = std::numeric_limits<std::int64_t>::max() / 4;

std::int64_t fileSystemFree(const std::string& folder) {
  return platform::freeBytesIn(folder).value_or(kUnknownFree);
}

std::string megabytes(std::int64_t bytes) {
  return std::to_string((bytes + (std::int64_t{1} << 19)) >> 20) + " MB";
}

}  // namespace

DiskRoom::DiskRoom(std::string folder, DiskRoomOptions options)
    : folder_(std::move(folder)),
      reservePath_((std::filesystem::path(folder_) / "outbox.reserve").string()),
      options_(std::move(options)) {
  if (!options_.freeBytes) options_.freeBytes = fileSystemFree;
  if (options_.reserveBytes <= 0) return;
  std::error_code error;
  const auto size = std::filesystem::file_size(reservePath_, error);
  reserveHeld_ = !error && static_cast<std::int64_t>(size) >= options_.reserveBytes;
  if (!reserveHeld_) restoreReserve(freeBytes());
}

std::int64_t DiskRoom::freeBytes() const {
  return options_.freeBytes(folder_);
}

void DiskRoom::restoreReserve(std::int64_t freeBytes) {
  if (options_.reserveBytes <= 0 || freeBytes < options_.reserveBytes + options_.marginBytes) {
    return;
  }
  if (!platform::reserveFile(reservePath_, options_.reserveBytes)) return;
  reserveHeld_ = true;
  spdlog::debug("The outbox's reserve {} holds {} again.", reservePath_,
                megabytes(options_.reserveBytes));
}

bool DiskRoom::releaseReserve() {
  if (!reserveHeld_) return false;
  reserveHeld_ = false;
  std::error_code error;
  std::filesystem::remove(reservePath_, error);  // no error when it is already gone
  if (error) {
    spdlog::error("Cannot delete the outbox's reserve file {}: {}", reservePath_, error.message());
    return false;
  }
  spdlog::warn(
      "The disk holding {} is full: the outbox's reserve of {} was released so that alerts, "
      "tamper evidence and the collector's confirmations still fit.",
      folder_, megabytes(options_.reserveBytes));
  return true;
}

bool DiskRoom::update(std::int64_t reusableBytes) {
  auto free = freeBytes();
  // Half the margin: the outbox itself stops growing at the margin, so only another program
  // (or events never dropped) can take the disk this far.
  if (reserveHeld_ && free < options_.marginBytes / 2) {
    if (releaseReserve()) free = freeBytes();
  } else if (!reserveHeld_) {
    restoreReserve(free);
    if (reserveHeld_) free = freeBytes();
  }
  // A released reserve is still owed: droppable events do not grow into it.
  const auto owed = reserveHeld_ ? 0 : std::max<std::int64_t>(options_.reserveBytes, 0);
  const auto room = free + reusableBytes - owed;
  const bool noRoom = room < options_.marginBytes;
  if (!full_ && noRoom) {
    full_ = true;
    spdlog::warn(
        "The disk holding {} is full: new low-priority events now push out the oldest ones "
        "(counted in an outbox_gap event); alerts and tamper evidence are still kept. Free some "
        "space on this laptop.",
        folder_);
  } else if (full_ && room >= 2 * options_.marginBytes) {
    full_ = false;
    spdlog::info("The disk holding {} has room again; the outbox no longer drops events for it.",
                 folder_);
  }
  return noRoom;
}

}  // namespace clubsafe::agent::outbox
