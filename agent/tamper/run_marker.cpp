#include "agent/tamper/run_marker.hpp"

#include "agent/platform/clocks.hpp"
#include "agent/platform/file_stamp.hpp"
#include "agent/platform/private_file.hpp"
#include "agent/protection/tamper_event.hpp"
#include "common/time.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>

namespace clubsafe::agent::tamper {
namespace {

std::optional<common::Timestamp> modificationTime(const std::string& path) {
  const auto stamp = platform::fileStamp(path);
  if (!stamp) return std::nullopt;
  return common::Timestamp(std::chrono::duration_cast<std::chrono::milliseconds>(stamp->modified));
}

}  // namespace

std::string runMarkerPath(const std::string& stateDir) {
  return (std::filesystem::path(stateDir) / "running").string();
}

RunMarker::RunMarker(const std::string& stateDir)
    : path_(runMarkerPath(stateDir)), bootId_(platform::bootId()) {
  if (const auto previousBoot = platform::readFileIfExists(path_)) {
    const auto lastSeen = modificationTime(path_);
    const std::string when =
        lastSeen ? "; it was last seen running at " + common::formatTimestamp(*lastSeen) : "";
    const bool sameBoot = !bootId_.empty() && *previousBoot == bootId_;
    uncleanStop_ = protection::tamperEvent(
        "unclean_stop",
        sameBoot ? "The agent stopped without shutting down cleanly (it was killed or it "
                   "crashed)" +
                       when + "."
                 : "The agent did not shut down cleanly: the laptop was switched off or reset "
                   "without shutting down, or the agent was killed just before" +
                       when + ".");
  }
  platform::writePrivateFile(path_, bootId_);
}

RunMarker::~RunMarker() {
  std::error_code error;
  std::filesystem::remove(path_, error);
  if (error) {
    spdlog::warn("Could not remove {} ({}): the next start will report an unclean stop.", path_,
                 error.message());
  }
}

std::optional<common::Event> RunMarker::takeUncleanStop() {
  auto event = std::move(uncleanStop_);
  uncleanStop_.reset();
  return event;
}

void RunMarker::touch() {
  if (platform::touchFile(path_)) return;
  // Someone removed it: put it back, or the next start could not tell a kill from a clean stop.
  try {
    platform::writePrivateFile(path_, bootId_);
  } catch (const platform::FileError& error) {
    spdlog::warn("{}", error.what());
  }
}

}  // namespace clubsafe::agent::tamper
