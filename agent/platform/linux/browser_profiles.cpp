#include "agent/platform/browser_profiles.hpp"

#include <pwd.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <optional>
#include <system_error>
#include <tuple>

namespace clubsafe::agent::platform {
namespace {

namespace fs = std::filesystem;

struct ProfileFolder {
  Browser browser;
  std::string_view relative;  // from the home folder, holding one folder per profile
  std::string_view database;  // inside a profile folder
};

// Firefox's classic folder, its XDG folder (newer releases) and Ubuntu's snap; Chromium and
// Chrome keep "Default", "Profile 1", ... side by side.
constexpr std::array<ProfileFolder, 5> kProfileFolders{{
    {Browser::Firefox, ".mozilla/firefox", "places.sqlite"},
    {Browser::Firefox, ".config/mozilla/firefox", "places.sqlite"},
    {Browser::Firefox, "snap/firefox/common/.mozilla/firefox", "places.sqlite"},
    {Browser::Chromium, ".config/chromium", "History"},
    {Browser::Chrome, ".config/google-chrome", "History"},
}};

constexpr const char* kRootHome = "/root";
constexpr const char* kHomeRoot = "/home";

// Follows links: what counts is whose the file or folder really is.
std::optional<uid_t> ownerOf(const fs::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return std::nullopt;
  return info.st_uid;
}

std::string ownerName(const fs::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return path.filename().string();
  struct passwd entry {};
  struct passwd* found = nullptr;
  std::array<char, 4096> buffer{};
  if (::getpwuid_r(info.st_uid, &entry, buffer.data(), buffer.size(), &found) == 0 &&
      found != nullptr) {
    return found->pw_name;
  }
  return std::to_string(info.st_uid);
}

}  // namespace

std::string_view browserName(Browser browser) noexcept {
  switch (browser) {
    case Browser::Firefox:
      return "firefox";
    case Browser::Chromium:
      return "chromium";
    case Browser::Chrome:
      return "chrome";
  }
  return "unknown";
}

std::vector<UserHome> localUserHomes() {
  std::vector<UserHome> homes;
  std::error_code error;
  if (fs::is_directory(kRootHome, error)) homes.push_back({"root", kRootHome});
  for (fs::directory_iterator it(kHomeRoot, error), end; !error && it != end; it.increment(error)) {
    std::error_code ignored;
    if (it->is_directory(ignored)) homes.push_back({ownerName(it->path()), it->path()});
  }
  return homes;
}

std::vector<BrowserProfile> findBrowserProfiles(std::span<const UserHome> homes) {
  std::vector<BrowserProfile> profiles;
  for (const auto& home : homes) {
    // A profile folder linked to another account's (or a history file owned by anyone else)
    // would file that person's visits and alerts under this account: only the home owner's
    // own files count.
    const auto homeOwner = ownerOf(home.home);
    if (!homeOwner) continue;
    for (const auto& folder : kProfileFolders) {
      std::error_code error;
      for (fs::directory_iterator it(home.home / folder.relative, error), end; !error && it != end;
           it.increment(error)) {
        std::error_code ignored;
        auto database = it->path() / folder.database;
        if (fs::is_regular_file(database, ignored) && ownerOf(database) == homeOwner) {
          profiles.push_back({folder.browser, home.user, std::move(database), *homeOwner});
        }
      }
    }
  }
  std::ranges::sort(profiles, [](const BrowserProfile& a, const BrowserProfile& b) {
    return std::tie(a.osUser, a.database) < std::tie(b.osUser, b.database);
  });
  return profiles;
}

}  // namespace clubsafe::agent::platform
