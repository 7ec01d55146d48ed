#pragma once

#include <Poco/Util/Application.h>
#include <Poco/Util/OptionSet.h>

#include <span>
#include <string>

#include "common/settings.hpp"

namespace clubsafe::common {

// The options every clubsafe program takes, so each reads its settings the same way:
//   --help               show the options, then exit
//   --config-file=FILE   settings file (.properties or .ini); default: the program's file
//                        under /etc/clubsafe/ when it exists
//   --define key=value   one setting, overriding the file (repeatable)
//   --help-settings      list every setting with its default, then exit
class StandardOptions {
 public:
  StandardOptions(std::string defaultConfigFile, std::span<const SettingSpec> table)
      : defaultConfigFile_(std::move(defaultConfigFile)), table_(table) {}

  void define(Poco::Util::OptionSet& options) const;

  // Applies one option; false when it is not one of the standard ones. Throws
  // SettingsError for a --define without "=".
  bool handle(Poco::Util::Application& app, const std::string& name, const std::string& value);

  // Loads the defaults and the settings file and validates the result. Call from
  // Application::initialize(). Throws SettingsError with a message to show the user.
  void load(Poco::Util::Application& app) const;

  // With --help or --help-settings, prints what was asked for and returns true: the program
  // then exits without doing anything else.
  bool printRequestedHelp(const Poco::Util::Application& app, const std::string& usage,
                          const std::string& header) const;

  // Once --help is seen the program only prints; the rest of the command line need not parse.
  [[nodiscard]] bool helpRequested() const { return helpRequested_; }
  [[nodiscard]] std::span<const SettingSpec> table() const { return table_; }

 private:
  std::string defaultConfigFile_;
  std::string configFile_;
  std::span<const SettingSpec> table_;
  bool helpRequested_ = false;
  bool helpSettingsRequested_ = false;
};

}  // namespace clubsafe::common
