#include "tests/integration/notice/desktop.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <thread>

namespace clubsafe::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kXvfb = "/usr/bin/Xvfb";
constexpr const char* kDbusDaemon = "/usr/bin/dbus-daemon";
constexpr const char* kOpenbox = "/usr/bin/openbox";
constexpr const char* kDunst = "/usr/bin/dunst";
constexpr const char* kDunstctl = "/usr/bin/dunstctl";
constexpr const char* kXdotool = "/usr/bin/xdotool";
constexpr const char* kXprop = "/usr/bin/xprop";
constexpr const char* kImport = "/usr/bin/import";

// Notifications stay until acted on or closed, so a screenshot cannot miss them.
constexpr const char* kDunstConfig = R"(
[global]
    font = DejaVu Sans 11
    width = 420
    offset = 12x12
[urgency_low]
    timeout = 0
[urgency_normal]
    timeout = 0
[urgency_critical]
    timeout = 0
)";

CommandResult run(const std::string& program, const std::vector<std::string>& arguments) {
  return runCommand(program, arguments, std::chrono::seconds(25));
}

// xdotool's --name is a regular expression: the title's own characters, and all of it.
std::string wholeTitle(const std::string& title) {
  std::string pattern = "^";
  for (const char c : title) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) pattern += '\\';
    pattern += c;
  }
  return pattern + "$";
}

void stop(std::unique_ptr<ChildProcess>& process) {
  if (!process || !process->running()) return;
  process->signal(SIGTERM);
  (void)process->wait();
}

}  // namespace

std::string missingDesktopPrograms() {
  std::string missing;
  for (const char* program :
       {kXvfb, kDbusDaemon, kOpenbox, kDunst, kDunstctl, kXdotool, kXprop, kImport}) {
    if (!fs::exists(program)) missing += std::string(missing.empty() ? "" : ", ") + program;
  }
  return missing;
}

Desktop::Desktop(const TempDir& dir) {
  xvfb_ =
      std::make_unique<ChildProcess>(kXvfb,
                                     std::vector<std::string>{"-displayfd", "1", "-screen", "0",
                                                              "1024x768x24", "-nolisten", "tcp"},
                                     dir.file("xvfb.log"));
  if (!waitFor([&] { return xvfbDisplay(xvfb_->output()).has_value(); }, 20s)) {
    throw std::runtime_error("Xvfb did not start: " + xvfb_->output());
  }
  display_ = *xvfbDisplay(xvfb_->output());
  ::setenv("DISPLAY", display_.c_str(), 1);

  const std::string busAddress = "unix:path=" + dir.file("session-bus");
  bus_ = std::make_unique<ChildProcess>(
      kDbusDaemon, std::vector<std::string>{"--session", "--nofork", "--address=" + busAddress},
      dir.file("dbus.log"));
  if (!waitFor([&] { return fs::exists(dir.file("session-bus")); }, 10s)) {
    throw std::runtime_error("dbus-daemon did not start: " + bus_->output());
  }
  ::setenv("DBUS_SESSION_BUS_ADDRESS", busAddress.c_str(), 1);

  windowManager_ =
      std::make_unique<ChildProcess>(kOpenbox, std::vector<std::string>{}, dir.file("openbox.log"));
  // Openbox is ready once it names itself on the root window (EWMH).
  if (!waitFor(
          [] {
            return run(kXprop, {"-root", "_NET_SUPPORTING_WM_CHECK"}).output.find("window id") !=
                   std::string::npos;
          },
          10s)) {
    throw std::runtime_error("Openbox did not start: " + windowManager_->output());
  }

  std::ofstream(dir.file("dunstrc")) << kDunstConfig;
  notifications_ = std::make_unique<ChildProcess>(
      kDunst, std::vector<std::string>{"-config", dir.file("dunstrc")}, dir.file("dunst.log"));
  if (!waitFor([] { return run(kDunstctl, {"is-paused"}).status == 0; }, 10s)) {
    throw std::runtime_error("dunst did not start: " + notifications_->output());
  }
}

Desktop::~Desktop() {
  stop(notifications_);
  stop(windowManager_);
  stop(bus_);
  stop(xvfb_);
}

std::string Desktop::waitForWindow(const std::string& title) const {
  std::string window;
  waitFor(
      [&] {
        const auto found = run(kXdotool, {"search", "--onlyvisible", "--name", wholeTitle(title)});
        window = found.status == 0 ? found.output.substr(0, found.output.find('\n')) : "";
        return !window.empty();
      },
      20s);
  return window;
}

bool Desktop::windowShown(const std::string& title) const {
  return run(kXdotool, {"search", "--onlyvisible", "--name", wholeTitle(title)}).status == 0;
}

std::string Desktop::activeTitle() const {
  auto title = run(kXdotool, {"getactivewindow", "getwindowname"}).output;
  while (!title.empty() && title.back() == '\n') title.pop_back();
  return title;
}

bool Desktop::waitUntilActive(const std::string& title) const {
  return waitFor([&] { return activeTitle() == title; }, 10s);
}

bool Desktop::switchTo(const std::string& title) const {
  for (int press = 0; press < 6; ++press) {
    if (activeTitle() == title) return true;
    keys({"alt+Tab"});
    std::this_thread::sleep_for(300ms);
  }
  return activeTitle() == title;
}

void Desktop::keys(const std::vector<std::string>& keys) const {
  std::vector<std::string> arguments{"key", "--delay", "80"};
  arguments.insert(arguments.end(), keys.begin(), keys.end());
  const auto result = run(kXdotool, arguments);
  ASSERT_EQ(result.status, 0) << result.output;
}

void Desktop::type(const std::string& text) const {
  const auto result = run(kXdotool, {"type", "--delay", "40", text});
  ASSERT_EQ(result.status, 0) << result.output;
}

void Desktop::screenshot(const std::string& file) const {
  fs::create_directories(fs::path(file).parent_path());
  const auto result = run(kImport, {"-window", "root", file});
  ASSERT_EQ(result.status, 0) << result.output;
}

int Desktop::notificationsShown() const {
  const auto result = run(kDunstctl, {"count", "displayed"});
  return result.status == 0 ? std::atoi(result.output.c_str()) : -1;
}

void Desktop::invokeNotification() const {
  const auto result = run(kDunstctl, {"action", "0"});
  ASSERT_EQ(result.status, 0) << result.output;
}

}  // namespace clubsafe::testing
