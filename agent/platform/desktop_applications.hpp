#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::agent::platform {

// The executable file name a desktop entry (freedesktop.org .desktop file) starts, for a
// graphical application a person can pick from the menus: Type=Application, shown (not
// NoDisplay or Hidden) and not run in a terminal. nullopt for any other entry or one without a
// readable Exec line. "Exec=env LANG=C /usr/bin/app --x %U" gives "app".
[[nodiscard]] std::optional<std::string> desktopEntryExecutable(std::string_view entry);

// The graphical applications installed on the laptop, by executable file name, so that a list
// of running processes can be cut down to what a person opened (SPEC R1, the fallback where no
// foreground window can be read).
class DesktopApplications {
 public:
  virtual ~DesktopApplications() = default;
  [[nodiscard]] virtual bool isApplication(std::string_view executable) = 0;
};

// The .desktop files in `directories` (missing ones skipped), read again when one of the
// directories changes, checked at most once a minute.
[[nodiscard]] std::unique_ptr<DesktopApplications> makeDesktopApplications(
    std::vector<std::filesystem::path> directories);

// Where this system keeps desktop entries: the system's, Flatpak's and Snap's, and
// ~/.local/share/applications in each of `homes`.
[[nodiscard]] std::vector<std::filesystem::path> desktopEntryDirectories(
    const std::vector<std::filesystem::path>& homes);

}  // namespace clubsafe::agent::platform
