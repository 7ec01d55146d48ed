#include "common/logging.hpp"

#include "common/repeat_limit_sink.hpp"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <vector>

namespace clubsafe::common {
namespace {

// A line repeated by a flood (a password guesser, a laptop resending a refused batch) is
// written five times a minute at most, then counted: enough to see what is going on, too few
// to fill the disk or bury other lines. Not settings: no club would ever need to tune them.
constexpr RepeatLimit kRepeatLimit{
    .linesPerWindow = 5, .window = std::chrono::seconds(60), .trackedLines = 256};
// How soon a count of held-back lines is written after the flood stops.
constexpr std::chrono::seconds kFlushInterval{5};

}  // namespace

void setupLogging(const std::string& programName, const Settings& settings) {
  const auto levelName = settings.text("log.level");
  const auto level = spdlog::level::from_str(levelName);
  if (level == spdlog::level::off && levelName != "off") {
    throw SettingsError("Setting \"log.level\" is \"" + levelName +
                        "\" but must be trace, debug, info, warn, error or critical.");
  }
  std::vector<spdlog::sink_ptr> sinks;
  sinks.push_back(std::make_shared<spdlog::sinks::stdout_sink_mt>());
  if (const auto file = settings.text("log.file"); !file.empty()) {
    sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
        file, static_cast<std::size_t>(settings.integer("log.max_file_bytes")),
        static_cast<std::size_t>(settings.integer("log.max_files"))));
  }
  auto logger = std::make_shared<spdlog::logger>(
      programName, std::make_shared<RepeatLimitSink>(std::move(sinks), kRepeatLimit));
  logger->set_level(level);
  logger->flush_on(spdlog::level::warn);
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %n: %v");
  spdlog::set_default_logger(logger);
  spdlog::flush_every(kFlushInterval);
}

}  // namespace clubsafe::common
