#pragma once

#include <Poco/Util/AbstractConfiguration.h>
#include <Poco/Util/LayeredConfiguration.h>

#include <chrono>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::common {

enum class SettingType { Text, Integer, Boolean, Seconds };

// One tunable: its key, its type, its default and what it does. Each program has one table
// of these; the defaults, the validation and `--help-settings` all come from it.
struct SettingSpec {
  std::string_view key;
  SettingType type;
  std::string_view defaultValue;
  std::string_view description;
};

class SettingsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The settings every program shares (logging).
[[nodiscard]] std::span<const SettingSpec> commonSettings();

[[nodiscard]] std::vector<SettingSpec> joinSettings(std::span<const SettingSpec> first,
                                                    std::span<const SettingSpec> second);

// Adds the table's defaults below everything already in `config`.
void addDefaults(Poco::Util::LayeredConfiguration& config, std::span<const SettingSpec> table);

// Every key in a section the table owns must be in the table and hold a value of its type;
// otherwise SettingsError names the key, the value and what was expected.
void validateSettings(const Poco::Util::AbstractConfiguration& config,
                      std::span<const SettingSpec> table);

// A plain-text listing of the table for --help-settings and the docs.
[[nodiscard]] std::string describeSettings(std::span<const SettingSpec> table);

// Typed reads of validated settings. Reading a key not in the table is a programming error
// and throws std::logic_error.
class Settings {
 public:
  Settings(const Poco::Util::AbstractConfiguration& config, std::span<const SettingSpec> table)
      : config_(config), table_(table) {}

  [[nodiscard]] std::string text(std::string_view key) const;
  [[nodiscard]] std::int64_t integer(std::string_view key) const;
  [[nodiscard]] bool flag(std::string_view key) const;
  [[nodiscard]] std::chrono::milliseconds duration(std::string_view key) const;

 private:
  const SettingSpec& spec(std::string_view key, SettingType type) const;

  const Poco::Util::AbstractConfiguration& config_;
  std::span<const SettingSpec> table_;
};

}  // namespace clubsafe::common
