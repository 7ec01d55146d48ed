#include "agent/platform/browser_policy.hpp"
#include "agent/platform/private_file.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>

namespace clubsafe::agent::platform {
namespace {

// Every way a file in the folder can be made, changed, replaced or taken away.
constexpr std::uint32_t kChanges = IN_CREATE | IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB | IN_DELETE |
                                   IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF;
// How long a folder must be quiet before a change is reported.
constexpr int kSettleMilliseconds = 200;

// Reads and forgets every event waiting on the non-blocking inotify descriptor.
void drain(int fd) {
  alignas(inotify_event) std::array<char, 4096> buffer{};
  while (::read(fd, buffer.data(), buffer.size()) > 0) {
  }
}

}  // namespace

PolicyChangeWaiter::PolicyChangeWaiter(const std::vector<BrowserPolicyFile>& files)
    : inotify_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)),
      stop_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (!inotify_.valid() || !stop_.valid()) {
    const int error = errno;
    throw FileError(std::string("Could not watch the browser policy folders: ") +
                    std::strerror(error) + ".");
  }
  for (const auto& file : files) {
    auto directory = std::filesystem::path(file.path).parent_path().string();
    if (std::find(directories_.begin(), directories_.end(), directory) == directories_.end()) {
      directories_.push_back(std::move(directory));
    }
  }
  watchFolders();
}

void PolicyChangeWaiter::watchFolders() {
  // Adding a watch again is harmless, and picks up a folder made (or made again) since.
  for (const auto& directory : directories_) {
    (void)::inotify_add_watch(inotify_.get(), directory.c_str(), kChanges);
  }
}

PolicyChangeWaiter::Wake PolicyChangeWaiter::wait(std::chrono::milliseconds timeout) {
  watchFolders();
  std::array<pollfd, 2> fds{{{inotify_.get(), POLLIN, 0}, {stop_.get(), POLLIN, 0}}};
  const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(timeout.count()));
  if (fds[1].revents != 0) return Wake::Stopped;
  if (ready <= 0) return Wake::Timeout;  // EINTR counts as a timeout: the caller looks anyway
  do {
    drain(inotify_.get());
  } while (::poll(fds.data(), fds.size(), kSettleMilliseconds) > 0 && fds[1].revents == 0);
  return fds[1].revents != 0 ? Wake::Stopped : Wake::Changed;
}

void PolicyChangeWaiter::stop() {
  const std::uint64_t one = 1;
  // Can only fail when the counter is full, and then it is set already.
  [[maybe_unused]] const auto written = ::write(stop_.get(), &one, sizeof one);
}

}  // namespace clubsafe::agent::platform
