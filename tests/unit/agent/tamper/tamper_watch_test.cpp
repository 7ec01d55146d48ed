#include "agent/tamper/tamper_watch.hpp"

#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace clubsafe::agent::tamper {
namespace {

std::vector<std::string> kinds(const std::vector<common::Event>& events) {
  std::vector<std::string> out;
  for (const auto& event : events) out.push_back(event.payload->getValue<std::string>("kind"));
  return out;
}

TEST(TamperWatch, TheFirstPollReportsAnUncleanStopThenEachPollReportsWhatChanged) {
  clubsafe::testing::TempDir dir;
  const auto stateDir = dir.path().string();
  const auto hosts = dir.file("hosts");
  std::ofstream(hosts) << "127.0.0.1 localhost\n";
  std::ofstream(runMarkerPath(stateDir)) << "a boot long ago";
  const auto clocks = platform::makeClocks();
  RunMarker marker(stateDir);
  TamperWatch watch({.hostsFile = hosts}, stateDir, marker, *clocks);
  EXPECT_EQ(watch.interval(), std::chrono::seconds(30));
  EXPECT_EQ(kinds(watch.poll()), std::vector<std::string>{"unclean_stop"});
  EXPECT_TRUE(watch.poll().empty());
  std::ofstream(hosts, std::ios::app) << "10.0.0.9 proxy.example\n";
  EXPECT_EQ(kinds(watch.poll()), std::vector<std::string>{"hosts_changed"});
  EXPECT_TRUE(watch.poll().empty());
}

}  // namespace
}  // namespace clubsafe::agent::tamper
