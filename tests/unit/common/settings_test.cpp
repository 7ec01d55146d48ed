#include "common/settings.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Util/LayeredConfiguration.h>
#include <Poco/Util/MapConfiguration.h>

#include <gtest/gtest.h>

#include <array>

namespace clubsafe::common {
namespace {

constexpr std::array<SettingSpec, 4> kTable{{
    {"upload.batch_size", SettingType::Integer, "1000", "Events per batch."},
    {"upload.interval", SettingType::Seconds, "2.5", "Pause."},
    {"upload.enabled", SettingType::Boolean, "true", "On or off."},
    {"agent.name", SettingType::Text, "laptop", "Name."},
}};

struct Layers {
  Poco::AutoPtr<Poco::Util::LayeredConfiguration> config = new Poco::Util::LayeredConfiguration;
  Poco::AutoPtr<Poco::Util::MapConfiguration> file = new Poco::Util::MapConfiguration;
  Layers() {
    config->add(file, 0, true);
    addDefaults(*config, kTable);
  }
};

TEST(Settings, DefaultsComeFromTheTable) {
  Layers layers;
  validateSettings(*layers.config, kTable);
  const Settings settings(*layers.config, kTable);
  EXPECT_EQ(settings.integer("upload.batch_size"), 1000);
  EXPECT_EQ(settings.duration("upload.interval"), std::chrono::milliseconds(2500));
  EXPECT_TRUE(settings.flag("upload.enabled"));
  EXPECT_EQ(settings.text("agent.name"), "laptop");
}

TEST(Settings, HigherLayersOverrideDefaults) {
  Layers layers;
  layers.file->setString("upload.batch_size", "50");
  validateSettings(*layers.config, kTable);
  EXPECT_EQ(Settings(*layers.config, kTable).integer("upload.batch_size"), 50);
}

TEST(Settings, WrongTypesAndUnknownKeysAreNamed) {
  const std::vector<std::pair<std::string, std::string>> bad{
      {"upload.batch_size", "lots"}, {"upload.interval", "-1"}, {"upload.interval", "soon"},
      {"upload.enabled", "perhaps"}, {"upload.bacth_size", "5"}};
  for (const auto& [key, value] : bad) {
    Layers layers;
    layers.file->setString(key, value);
    try {
      validateSettings(*layers.config, kTable);
      ADD_FAILURE() << key << "=" << value << " was accepted";
    } catch (const SettingsError& error) {
      EXPECT_NE(std::string(error.what()).find(key), std::string::npos) << error.what();
    }
  }
}

TEST(Settings, KeysOutsideOurSectionsAreLeftAlone) {
  Layers layers;
  layers.file->setString("application.name", "x");
  EXPECT_NO_THROW(validateSettings(*layers.config, kTable));
}

TEST(Settings, ReadingAKeyNotInTheTableIsAProgrammingError) {
  Layers layers;
  const Settings settings(*layers.config, kTable);
  EXPECT_THROW((void)settings.integer("agent.name"), std::logic_error);
  EXPECT_THROW((void)settings.text("nothing.here"), std::logic_error);
}

TEST(Settings, DescriptionListsEveryKey) {
  const auto text = describeSettings(kTable);
  for (const auto& spec : kTable) EXPECT_NE(text.find(spec.key), std::string::npos);
}

}  // namespace
}  // namespace clubsafe::common
