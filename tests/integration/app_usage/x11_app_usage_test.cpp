// App usage (SPEC R1) for real: Debian's Xvfb with the Openbox window manager, xterm and xlogo,
// focus switched with xdotool, sampled by the agent's X11 code and merged by its AppUsageSource.
// Only the session list is given by the test (there is no logind in a build container).
#include "agent/platform/foreground_window.hpp"
#include "agent/sources/app_usage_source.hpp"
#include "common/time.hpp"
#include "tests/integration/harness.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <thread>

namespace clubsafe::testing {
namespace {

namespace fs = std::filesystem;
using agent::platform::DisplayOutcome;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kXvfb = "/usr/bin/Xvfb";
constexpr const char* kXdotool = "/usr/bin/xdotool";

std::string application(const common::Event& event) {
  return event.payload->getValue<std::string>("application");
}
std::int64_t secondsOf(const common::Event& event) {
  return event.payload->getValue<std::int64_t>("seconds");
}

// Starts Xvfb on a display nobody uses (it picks), so tests running side by side never collide,
// and returns the display once it accepts connections.
std::string startXvfb(std::optional<ChildProcess>& server, const TempDir& dir,
                      std::vector<std::string> arguments) {
  for (const char* argument :
       {"-displayfd", "1", "-screen", "0", "1024x768x24", "-nolisten", "tcp"}) {
    arguments.emplace_back(argument);
  }
  server.emplace(kXvfb, arguments, dir.file("xvfb.log"));
  if (!waitFor([&] { return xvfbDisplay(server->output()).has_value(); }, 20s)) {
    ADD_FAILURE() << "Xvfb did not start: " << server->output();
    return {};
  }
  return *xvfbDisplay(server->output());
}

class FixedSessions : public agent::platform::LoginSessions {
 public:
  std::vector<agent::platform::LoginSession> list() override { return sessions; }
  std::vector<agent::platform::LoginSession> sessions;
};

class X11AppUsageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kXvfb))
      GTEST_SKIP() << "Xvfb is not installed (scripts/install-deps.sh installs it).";
    for (const char* program :
         {kXdotool, "/usr/bin/openbox", "/usr/bin/xterm", "/usr/bin/xlogo", "/usr/bin/xprop"}) {
      ASSERT_TRUE(fs::exists(program)) << program << " is missing: run scripts/install-deps.sh";
    }
    display_ = startXvfb(server_, dir_, {});
    ASSERT_FALSE(display_.empty());
    // The programs below are started with this process's environment.
    ::setenv("DISPLAY", display_.c_str(), 1);
    windowManager_.emplace("/usr/bin/openbox", std::vector<std::string>{},
                           dir_.file("openbox.log"));
    // Openbox is ready once it names itself on the root window (EWMH).
    ASSERT_TRUE(waitFor(
        [] {
          return run("/usr/bin/xprop", {"-root", "_NET_SUPPORTING_WM_CHECK"})
                     .output.find("window id") != std::string::npos;
        },
        10s))
        << windowManager_->output();
    sessions_.sessions = {
        {"t1", static_cast<std::uint32_t>(::getuid()), "amira", "x11", display_, "active", false}};
  }

  // SIGTERM, so Xvfb removes its lock file and socket.
  void TearDown() override {
    for (auto& program : programs_) stop(*program);
    if (windowManager_) stop(*windowManager_);
    if (server_) stop(*server_);
  }

  static void stop(ChildProcess& process) {
    if (!process.running()) return;
    process.signal(SIGTERM);
    (void)process.wait();
  }

  static CommandResult run(const std::string& program, const std::vector<std::string>& arguments) {
    return runCommand(program, arguments, 20s);
  }
  static CommandResult xdotool(const std::vector<std::string>& arguments) {
    return run(kXdotool, arguments);
  }

  // Starts an X program and returns its window once mapped.
  std::string open(const std::string& program, const std::string& windowClass) {
    programs_.emplace_back(std::make_unique<ChildProcess>(program, std::vector<std::string>{},
                                                          dir_.file(windowClass + ".log")));
    const auto found = xdotool({"search", "--sync", "--onlyvisible", "--class", windowClass});
    EXPECT_EQ(found.status, 0) << found.output;
    return found.output.substr(0, found.output.find('\n'));
  }

  void activate(const std::string& window) {
    const auto result = xdotool({"windowactivate", "--sync", window});
    ASSERT_EQ(result.status, 0) << result.output;
  }

  // Samples every 250 ms for `length`, moving the mouse each second when `withInput` (so the
  // screen saver's idle time stays low), collecting the events written.
  void useFor(seconds length, bool withInput, std::vector<common::Event>& events) {
    const auto end = std::chrono::steady_clock::now() + length;
    auto nextInput = std::chrono::steady_clock::now();
    int step = 1;
    while (std::chrono::steady_clock::now() < end) {
      if (withInput && std::chrono::steady_clock::now() >= nextInput) {
        (void)xdotool({"mousemove_relative", "--", std::to_string(step), "0"});
        step = -step;
        nextInput += seconds(1);
      }
      auto polled = source_->poll();
      events.insert(events.end(), polled.begin(), polled.end());
      std::this_thread::sleep_for(milliseconds(250));
    }
  }

  TempDir dir_;
  std::string display_;
  std::optional<ChildProcess> server_;
  std::optional<ChildProcess> windowManager_;
  std::vector<std::unique_ptr<ChildProcess>> programs_;
  FixedSessions sessions_;
  std::unique_ptr<agent::platform::ForegroundWindow> window_ =
      agent::platform::makeForegroundWindow();
  const agent::recording::PhraseMatcher matcher_ = [] {
    agent::recording::PhraseLibrary phrases;
    phrases.addStarterLibraries();
    return agent::recording::PhraseMatcher(phrases);
  }();
  std::unique_ptr<agent::sources::AppUsageSource> source_;
};

TEST_F(X11AppUsageTest, RecordsSwitchesBetweenRealProgramsAndLeavesIdleTimeOut) {
  const auto terminal = open("/usr/bin/xterm", "XTerm");
  const auto logo = open("/usr/bin/xlogo", "XLogo");
  ASSERT_FALSE(terminal.empty());
  ASSERT_FALSE(logo.empty());

  agent::sources::AppUsageSettings settings;
  settings.merge = {
      .sampleInterval = seconds(1), .idleThreshold = seconds(3), .longestInterval = seconds(600)};
  settings.recordTitles = true;
  source_ = std::make_unique<agent::sources::AppUsageSource>(
      settings, sessions_, *window_, matcher_, [] { return common::nowUtc(); });
  std::vector<common::Event> events;
  activate(terminal);
  useFor(seconds(5), true, events);
  activate(logo);
  useFor(seconds(3), true, events);
  // Nobody touches anything: the xlogo interval ends at the last input, idle time is left out.
  useFor(seconds(7), false, events);
  activate(terminal);
  useFor(seconds(3), true, events);
  auto last = source_->finish();
  events.insert(events.end(), last.begin(), last.end());

  std::string recorded;
  for (const auto& event : events) {
    recorded += application(event) + " " + std::to_string(secondsOf(event)) + " s; ";
  }
  ASSERT_EQ(events.size(), 3u) << recorded;
  // xterm sets _NET_WM_PID: the executable's name. xlogo does not: its WM_CLASS.
  EXPECT_EQ(application(events[0]), "xterm");
  EXPECT_NEAR(secondsOf(events[0]), 5, 1);
  EXPECT_EQ(application(events[1]), "XLogo");
  EXPECT_NEAR(secondsOf(events[1]), 3, 1);  // not 3 + the idle seconds
  EXPECT_EQ(application(events[2]), "xterm");
  EXPECT_NEAR(secondsOf(events[2]), 3, 1);
  EXPECT_EQ(events[1].payload->getValue<std::string>("title"), "xlogo");  // WM_NAME
  for (const auto& event : events) EXPECT_EQ(event.osUser, "amira");
  const auto modes = source_->modes();
  ASSERT_EQ(modes.size(), 1u);
  EXPECT_EQ(modes[0].mode, "foreground-window");
}

TEST_F(X11AppUsageTest, IdleTimeComesFromTheScreenSaverExtension) {
  const auto terminal = open("/usr/bin/xterm", "XTerm");
  activate(terminal);
  ASSERT_EQ(xdotool({"mousemove", "10", "10"}).status, 0);
  std::this_thread::sleep_for(seconds(2));
  auto sample = window_->sample(display_, static_cast<std::uint32_t>(::getuid()), false);
  ASSERT_EQ(sample.outcome, DisplayOutcome::Window);
  ASSERT_TRUE(sample.idle.has_value());
  EXPECT_GE(*sample.idle, milliseconds(1500));
  EXPECT_TRUE(sample.title.empty());  // not asked for
  ASSERT_EQ(xdotool({"mousemove", "20", "20"}).status, 0);
  sample = window_->sample(display_, static_cast<std::uint32_t>(::getuid()), false);
  ASSERT_TRUE(sample.idle.has_value());
  EXPECT_LT(*sample.idle, milliseconds(1000));
}

TEST_F(X11AppUsageTest, ALostDisplayIsReportedAndTheProcessCarriesOn) {
  const auto terminal = open("/usr/bin/xterm", "XTerm");
  activate(terminal);
  ASSERT_EQ(window_->sample(display_, 0, false).outcome, DisplayOutcome::Window);
  stop(*server_);
  // The open connection breaks: libX11's I/O error path must not end this process.
  const auto lost = window_->sample(display_, 0, false);
  EXPECT_EQ(lost.outcome, DisplayOutcome::Unreachable);
  EXPECT_FALSE(lost.problem.empty());
  // And a display that is not there at all.
  EXPECT_EQ(window_->sample(display_, 0, false).outcome, DisplayOutcome::Unreachable);
}

// The cookie path: an X server that lets in only holders of its cookie, as a login manager starts
// it. The agent reads the cookie for the display's number from the user's authority file.
TEST(X11AuthorityTest, ConnectsWithTheUsersCookieAndIsRefusedWithout) {
  if (!fs::exists(kXvfb))
    GTEST_SKIP() << "Xvfb is not installed (scripts/install-deps.sh installs it).";
  const std::string xauth = "/usr/bin/xauth";
  ASSERT_TRUE(fs::exists(xauth)) << "xauth is missing: run scripts/install-deps.sh";
  TempDir dir;
  const std::string cookie = "0123456789abcdef0123456789abcdef";
  const auto serverFile = dir.file("server.auth");
  // The server takes every cookie in its file, whatever display number the entry names.
  ASSERT_EQ(runCommand(xauth, {"-f", serverFile, "add", ":0", ".", cookie}).status, 0);
  std::optional<ChildProcess> server;
  const auto display = startXvfb(server, dir, {"-auth", serverFile});
  ASSERT_FALSE(display.empty());

  const auto userFile = dir.file("user.Xauthority");
  const auto otherFile = dir.file("other.Xauthority");
  ASSERT_EQ(
      runCommand(xauth, {"-f", otherFile, "add", display, ".", "ffffffffffffffffffffffffffffffff"})
          .status,
      0);
  ASSERT_EQ(runCommand(xauth, {"-f", userFile, "add", display, ".", cookie}).status, 0);

  const auto refused = agent::platform::makeForegroundWindow([&](std::uint32_t) {
                         return std::vector<std::string>{dir.file("missing"), otherFile};
                       })->sample(display, 1000, false);
  EXPECT_EQ(refused.outcome, DisplayOutcome::Unreachable);
  EXPECT_FALSE(refused.problem.empty());

  std::uint32_t askedFor = 0;
  const auto window = agent::platform::makeForegroundWindow([&](std::uint32_t uid) {
    askedFor = uid;
    return std::vector<std::string>{dir.file("missing"), otherFile, userFile};
  });
  // No window manager runs, so no window has the focus; but the server answered.
  const auto sample = window->sample(display, 1000, false);
  EXPECT_EQ(sample.outcome, DisplayOutcome::NoWindow) << sample.problem;
  EXPECT_TRUE(sample.idle.has_value());
  EXPECT_EQ(askedFor, 1000u);
  server->signal(SIGTERM);
  (void)server->wait();
}

}  // namespace
}  // namespace clubsafe::testing
