// Reads one browser profile's history the way the agent does and prints each event it makes, one
// JSON line per event (common::encodeEvent), for history.test.mjs:
//
//   history_probe STATE_DIR firefox|chromium|chrome DATABASE [domain|url|url_and_title]
//
// The state directory keeps where reading stopped, so a second run prints only new visits.
#include "agent/history/history_source.hpp"
#include "agent/platform/private_file.hpp"
#include "common/batch_codec.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <iostream>
#include <string_view>

int main(int argc, char** argv) {
  using namespace clubsafe::agent;
  if (argc < 4 || argc > 5) {
    std::cerr << "usage: history_probe STATE_DIR firefox|chromium|chrome DATABASE [detail]\n";
    return EXIT_FAILURE;
  }
  const std::string_view browserText = argv[2];
  const auto browser = browserText == "firefox"    ? platform::Browser::Firefox
                       : browserText == "chromium" ? platform::Browser::Chromium
                                                   : platform::Browser::Chrome;
  platform::ensurePrivateDirectory(argv[1]);
  history::HistorySourceOptions options;
  options.statePath = history::historyStatePath(argv[1]);
  if (argc == 5) {
    const auto detail = history::parseHistoryDetail(argv[4]);
    if (!detail) {
      std::cerr << "detail must be domain, url or url_and_title\n";
      return EXIT_FAILURE;
    }
    options.detail = *detail;
  }
  spdlog::set_default_logger(spdlog::stderr_logger_mt("probe"));
  recording::PhraseLibrary library;
  library.addStarterLibraries();
  const recording::PhraseMatcher matcher(library);
  const platform::BrowserProfile profile{browser, "tester", argv[3], std::nullopt};
  history::HistorySource source(
      options, [&] { return std::vector{profile}; }, matcher);
  // Where this poll stopped is saved when the source goes away, as at the agent's clean stop.
  for (const auto& event : source.poll()) std::cout << clubsafe::common::encodeEvent(event) << "\n";
  return EXIT_SUCCESS;
}
