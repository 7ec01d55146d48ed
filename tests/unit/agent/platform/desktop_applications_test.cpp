#include "agent/platform/desktop_applications.hpp"

#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace clubsafe::agent::platform {
namespace {

TEST(DesktopEntryExecutable, IsTheFileNameOfTheProgramExecStarts) {
  EXPECT_EQ(desktopEntryExecutable("[Desktop Entry]\nType=Application\nName=Firefox ESR\n"
                                   "Exec=/usr/lib/firefox-esr/firefox-esr %u\n"),
            "firefox-esr");
  EXPECT_EQ(desktopEntryExecutable("[Desktop Entry]\nExec=env LANG=C GDK_SCALE=2 "
                                   "\"/opt/My Game/game\" --fullscreen\nType=Application\n"),
            "game");
  EXPECT_EQ(desktopEntryExecutable("# comment\n[Desktop Entry]\r\nType = Application\r\n"
                                   "Exec = chromium %U\r\n"),
            "chromium");
}

TEST(DesktopEntryExecutable, LeavesOutWhatIsNotAGraphicalApplicationOnShow) {
  EXPECT_EQ(desktopEntryExecutable("[Desktop Entry]\nType=Application\nExec=vim %F\n"
                                   "Terminal=true\n"),
            std::nullopt);
  EXPECT_EQ(desktopEntryExecutable("[Desktop Entry]\nType=Application\nExec=helper\n"
                                   "NoDisplay=true\n"),
            std::nullopt);
  EXPECT_EQ(desktopEntryExecutable("[Desktop Entry]\nType=Link\nURL=https://example.org\n"),
            std::nullopt);
  EXPECT_EQ(desktopEntryExecutable("[Desktop Entry]\nType=Application\nName=No Exec\n"),
            std::nullopt);
  // Keys of another group (an action) do not count as the application's own.
  EXPECT_EQ(desktopEntryExecutable("[Desktop Action new]\nExec=other\n[Desktop Entry]\n"
                                   "Type=Application\nExec=main\n"),
            "main");
  EXPECT_EQ(desktopEntryExecutable(""), std::nullopt);
  EXPECT_EQ(desktopEntryExecutable("\x01\xff[Desktop Entry\nExec=\"unterminated"), std::nullopt);
}

TEST(DesktopApplications, ReadsTheEntriesOfEachFolderAndSkipsMissingFolders) {
  clubsafe::testing::TempDir dir;
  std::filesystem::create_directories(dir.path() / "system" / "kde");
  std::ofstream(dir.file("system/kde/paint.desktop"))
      << "[Desktop Entry]\nType=Application\nExec=kolourpaint %U\n";
  std::ofstream(dir.file("system/readme.txt")) << "[Desktop Entry]\nType=Application\nExec=x\n";
  const auto applications =
      makeDesktopApplications({dir.path() / "system", dir.path() / "missing"});
  EXPECT_TRUE(applications->isApplication("kolourpaint"));
  EXPECT_FALSE(applications->isApplication("x"));
  EXPECT_FALSE(applications->isApplication("bash"));
}

TEST(DesktopApplications, ThisMachinesOwnEntriesAreRead) {
  // Debian's xterm package installs debian-xterm.desktop; the test set-up installs xterm.
  const auto applications = makeDesktopApplications(desktopEntryDirectories({}));
  if (!std::filesystem::exists("/usr/share/applications/debian-xterm.desktop")) {
    GTEST_SKIP() << "xterm is not installed";
  }
  EXPECT_TRUE(applications->isApplication("xterm"));
}

}  // namespace
}  // namespace clubsafe::agent::platform
