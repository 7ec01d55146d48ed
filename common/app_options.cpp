#include "common/app_options.hpp"

#include <Poco/File.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/MapConfiguration.h>
#include <Poco/Util/Option.h>

#include <iostream>

namespace clubsafe::common {
namespace {

// Command-line --define values win over every file.
constexpr int kOverridesPriority = -100;
constexpr const char* kOverridesLabel = "clubsafe.overrides";

}  // namespace

void StandardOptions::define(Poco::Util::OptionSet& options) const {
  options.addOption(
      Poco::Util::Option("help", "h", "Show this help and exit.").required(false).repeatable(false));
  options.addOption(Poco::Util::Option("config-file", "c", "Read settings from FILE.")
                        .required(false)
                        .repeatable(false)
                        .argument("FILE"));
  options.addOption(Poco::Util::Option("define", "D", "Set one setting, e.g. --define log.level=debug.")
                        .required(false)
                        .repeatable(true)
                        .argument("key=value"));
  options.addOption(Poco::Util::Option("help-settings", "", "List every setting and its default.")
                        .required(false)
                        .repeatable(false));
}

bool StandardOptions::handle(Poco::Util::Application& app, const std::string& name,
                             const std::string& value) {
  if (name == "help") {
    helpRequested_ = true;
    return true;
  }
  if (name == "config-file") {
    configFile_ = value;
    return true;
  }
  if (name == "help-settings") {
    helpSettingsRequested_ = true;
    return true;
  }
  if (name != "define") return false;
  const auto equals = value.find('=');
  if (equals == std::string::npos || equals == 0) {
    throw SettingsError("--define needs key=value, for example --define log.level=debug; got \"" +
                        value + "\".");
  }
  auto& config = app.config();
  auto overrides = config.find(kOverridesLabel);
  if (overrides.isNull()) {
    overrides = new Poco::Util::MapConfiguration;
    config.add(overrides, kOverridesLabel, kOverridesPriority, false);
  }
  overrides->setString(value.substr(0, equals), value.substr(equals + 1));
  return true;
}

void StandardOptions::load(Poco::Util::Application& app) const {
  addDefaults(app.config(), table_);
  const std::string file = configFile_.empty() ? defaultConfigFile_ : configFile_;
  if (!configFile_.empty() && !Poco::File(file).exists()) {
    throw SettingsError("The settings file " + file + " does not exist.");
  }
  if (!file.empty() && Poco::File(file).exists()) {
    try {
      app.loadConfiguration(file);
    } catch (const Poco::Exception& error) {
      throw SettingsError("Could not read the settings file " + file + ": " + error.displayText());
    }
  }
  validateSettings(app.config(), table_);
}

bool StandardOptions::printRequestedHelp(const Poco::Util::Application& app,
                                         const std::string& usage,
                                         const std::string& header) const {
  if (helpRequested_) {
    Poco::Util::HelpFormatter help(app.options());
    help.setUnixStyle(true);
    help.setCommand(app.commandName());
    help.setUsage(usage);
    help.setHeader(header);
    help.format(std::cout);
    return true;
  }
  if (helpSettingsRequested_) {
    std::cout << describeSettings(table_);
    return true;
  }
  return false;
}

}  // namespace clubsafe::common
