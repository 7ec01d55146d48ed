#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::agent::platform {

enum class Browser { Firefox, Chromium, Chrome };

// "firefox", "chromium", "chrome": the browser field of browser_visit events.
[[nodiscard]] std::string_view browserName(Browser browser) noexcept;

struct UserHome {
  std::string user;  // the account's login name, or its number when it has none
  std::filesystem::path home;
};

// One browser profile's history database: places.sqlite (Firefox) or History (Chromium, Chrome).
struct BrowserProfile {
  Browser browser = Browser::Firefox;
  std::string osUser;
  std::filesystem::path database;
  // The uid of the home's owner, whose the files must still be when they are read (the folder
  // is theirs to change between the finding and the reading); nullopt: not checked.
  std::optional<std::uint32_t> owner;

  bool operator==(const BrowserProfile&) const = default;
};

// root's home and every folder in the home root (/home on Linux), each named after its owner.
[[nodiscard]] std::vector<UserHome> localUserHomes();

// Every Firefox, Chromium and Chrome profile with a history database under these homes, in a
// stable order. Folders that cannot be read are skipped: a profile found on the next scan is
// read from where it starts.
[[nodiscard]] std::vector<BrowserProfile> findBrowserProfiles(std::span<const UserHome> homes);

}  // namespace clubsafe::agent::platform
