#include "common/settings.hpp"

#include <Poco/NumberParser.h>
#include <Poco/Util/MapConfiguration.h>

#include <array>
#include <cmath>
#include <set>
#include <sstream>

namespace clubsafe::common {
namespace {

constexpr std::array<SettingSpec, 4> kCommonSettings{{
    {"log.level", SettingType::Text, "info",
     "Least important log level written: trace, debug, info, warn, error or critical."},
    {"log.file", SettingType::Text, "",
     "Log file, rotated by size; empty writes to standard output only (the journal)."},
    {"log.max_file_bytes", SettingType::Integer, "10485760", "Size at which the log file rotates."},
    {"log.max_files", SettingType::Integer, "5", "Rotated log files kept."},
}};

// Priority below anything Poco's Application adds, so every other layer overrides defaults.
constexpr int kDefaultsPriority = 1000000;

std::string_view section(std::string_view key) { return key.substr(0, key.find('.')); }

std::string_view typeName(SettingType type) {
  switch (type) {
    case SettingType::Text: return "text";
    case SettingType::Integer: return "a whole number";
    case SettingType::Boolean: return "true or false";
    case SettingType::Seconds: return "a number of seconds (decimals allowed)";
  }
  return "";
}

bool parsesAs(SettingType type, const std::string& value) {
  Poco::Int64 integer = 0;
  bool flag = false;
  double number = 0;
  switch (type) {
    case SettingType::Text: return true;
    case SettingType::Integer: return Poco::NumberParser::tryParse64(value, integer);
    case SettingType::Boolean: return Poco::NumberParser::tryParseBool(value, flag);
    case SettingType::Seconds:
      return Poco::NumberParser::tryParseFloat(value, number) && std::isfinite(number) &&
             number >= 0;
  }
  return false;
}

void collectKeys(const Poco::Util::AbstractConfiguration& config, const std::string& prefix,
                 std::vector<std::string>& out) {
  Poco::Util::AbstractConfiguration::Keys children;
  config.keys(prefix, children);
  if (children.empty()) {
    out.push_back(prefix);
    return;
  }
  for (const auto& child : children) collectKeys(config, prefix + "." + child, out);
}

}  // namespace

std::span<const SettingSpec> commonSettings() { return kCommonSettings; }

std::vector<SettingSpec> joinSettings(std::span<const SettingSpec> first,
                                      std::span<const SettingSpec> second) {
  std::vector<SettingSpec> joined(first.begin(), first.end());
  joined.insert(joined.end(), second.begin(), second.end());
  return joined;
}

void addDefaults(Poco::Util::LayeredConfiguration& config, std::span<const SettingSpec> table) {
  Poco::AutoPtr<Poco::Util::MapConfiguration> defaults(new Poco::Util::MapConfiguration);
  for (const auto& spec : table) defaults->setString(std::string(spec.key), std::string(spec.defaultValue));
  config.add(defaults, kDefaultsPriority, false);
}

void validateSettings(const Poco::Util::AbstractConfiguration& config,
                      std::span<const SettingSpec> table) {
  std::set<std::string_view> sections;
  for (const auto& spec : table) sections.insert(section(spec.key));
  for (const auto& name : sections) {
    std::vector<std::string> keys;
    collectKeys(config, std::string(name), keys);
    for (const auto& key : keys) {
      const SettingSpec* found = nullptr;
      for (const auto& spec : table) {
        if (spec.key == key) found = &spec;
      }
      if (found == nullptr) {
        throw SettingsError("Unknown setting \"" + key +
                            "\": check its spelling against --help-settings.");
      }
      const auto value = config.getString(key);
      if (!parsesAs(found->type, value)) {
        throw SettingsError("Setting \"" + key + "\" is \"" + value + "\" but must be " +
                            std::string(typeName(found->type)) + ".");
      }
    }
  }
}

std::string describeSettings(std::span<const SettingSpec> table) {
  std::ostringstream out;
  for (const auto& spec : table) {
    out << spec.key << " (" << typeName(spec.type) << ", default \"" << spec.defaultValue
        << "\")\n    " << spec.description << "\n";
  }
  return out.str();
}

const SettingSpec& Settings::spec(std::string_view key, SettingType type) const {
  for (const auto& spec : table_) {
    if (spec.key == key && spec.type == type) return spec;
  }
  throw std::logic_error("setting " + std::string(key) + " is not in the table with that type");
}

std::string Settings::text(std::string_view key) const {
  return config_.getString(std::string(spec(key, SettingType::Text).key));
}

std::int64_t Settings::integer(std::string_view key) const {
  return config_.getInt64(std::string(spec(key, SettingType::Integer).key));
}

bool Settings::flag(std::string_view key) const {
  return config_.getBool(std::string(spec(key, SettingType::Boolean).key));
}

std::chrono::milliseconds Settings::duration(std::string_view key) const {
  const double seconds = config_.getDouble(std::string(spec(key, SettingType::Seconds).key));
  return std::chrono::milliseconds(std::llround(seconds * 1000.0));
}

}  // namespace clubsafe::common
