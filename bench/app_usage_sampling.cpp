// The cost of app usage sampling (docs/PERFORMANCE.md): AppUsageSource with the real X11 and
// logind code sampling the display in $DISPLAY once a second for the given seconds, then this
// process's CPU time and resident memory as /proc/self reports them. bench/app_usage_sampling.sh
// starts Xvfb, Openbox and xterm around it.
#include "agent/platform/foreground_window.hpp"
#include "agent/platform/login_sessions.hpp"
#include "agent/sources/app_usage_source.hpp"
#include "common/time.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

namespace {

using namespace clubsafe;

// The display in $DISPLAY as one X11 session of this user, beside logind's real list.
class DisplaySessions : public agent::platform::LoginSessions {
 public:
  explicit DisplaySessions(std::string display) : display_(std::move(display)) {}
  std::vector<agent::platform::LoginSession> list() override {
    auto sessions = logind_->list();
    sessions.push_back({"bench", static_cast<std::uint32_t>(::getuid()), "bench", "x11", display_,
                        "active", false});
    return sessions;
  }

 private:
  std::string display_;
  std::unique_ptr<agent::platform::LoginSessions> logind_ = agent::platform::makeLoginSessions();
};

// utime + stime in clock ticks (fields 14 and 15 of /proc/self/stat).
long cpuTicks() {
  std::ifstream in("/proc/self/stat");
  std::string stat;
  std::getline(in, stat);
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string field;
  for (int i = 3; i < 14; ++i) fields >> field;
  long user = 0;
  long system = 0;
  fields >> user >> system;
  return user + system;
}

std::string statusLine(const std::string& key) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key, 0) == 0) return line;
  }
  return key + " ?";
}

}  // namespace

int main(int argc, char** argv) {
  const char* display = std::getenv("DISPLAY");
  if (display == nullptr || argc != 2) {
    std::cerr << "usage: DISPLAY=:N app_usage_sampling SECONDS\n";
    return 2;
  }
  const int seconds = std::atoi(argv[1]);
  DisplaySessions sessions(display);
  const auto window = agent::platform::makeForegroundWindow();
  // The starter libraries, as the agent matches every new title against them.
  agent::recording::PhraseLibrary phrases;
  phrases.addStarterLibraries();
  const agent::recording::PhraseMatcher matcher(phrases);
  agent::sources::AppUsageSource source({}, sessions, *window, matcher,
                                        [] { return common::nowUtc(); });
  const long startTicks = cpuTicks();
  const auto start = std::chrono::steady_clock::now();
  std::size_t events = 0;
  for (int i = 0; i < seconds; ++i) {
    events += source.poll().size();
    std::this_thread::sleep_until(start + std::chrono::seconds(i + 1));
  }
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu =
      static_cast<double>(cpuTicks() - startTicks) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  std::cout << "samples " << seconds << ", events " << events << ", mode "
            << (source.modes().empty() ? "none" : source.modes().back().mode) << "\n"
            << "cpu " << cpu << " s over " << elapsed << " s = " << 100.0 * cpu / elapsed
            << "% of one core\n"
            << statusLine("VmRSS:") << "\n"
            << statusLine("VmHWM:") << "\n";
  return 0;
}
