#include "agent/sources/app_list_source.hpp"

#include "common/time.hpp"

#include <Poco/JSON/Array.h>

#include <set>

namespace clubsafe::agent::sources {
namespace {

constexpr std::uint32_t kFirstHumanUid = 1000;
constexpr std::uint32_t kNobodyUid = 65534;

}  // namespace

bool isHumanUser(std::uint32_t uid) { return uid >= kFirstHumanUid && uid < kNobodyUid; }

AppListSource::AppListSource(std::chrono::milliseconds interval, platform::ProcessLister& processes,
                             platform::DesktopApplications& applications)
    : interval_(interval), processes_(processes), applications_(applications) {}

std::vector<common::Event> AppListSource::poll() {
  std::map<std::uint32_t, std::pair<std::string, std::set<std::string>>> running;
  for (const auto& process : processes_.list()) {
    if (!isHumanUser(process.uid) || !applications_.isApplication(process.name)) continue;
    auto& [user, names] = running[process.uid];
    user = process.user;
    names.insert(process.name);
  }
  std::map<std::uint32_t, UserApps> current;
  for (auto& [uid, entry] : running) {
    current[uid] = {entry.first, {entry.second.begin(), entry.second.end()}};
  }
  // Users who ran something last time and nothing now report an empty list once.
  std::map<std::uint32_t, UserApps> changed;
  for (const auto& [uid, apps] : lastSent_) {
    if (!current.contains(uid)) changed[uid] = {apps.user, {}};
  }
  for (const auto& [uid, apps] : current) {
    const auto last = lastSent_.find(uid);
    if (last == lastSent_.end() || !(last->second == apps)) changed[uid] = apps;
  }

  const auto now = common::nowUtc();
  std::vector<common::Event> events;
  for (const auto& [uid, apps] : changed) {
    common::Event event;
    event.type = common::EventType::AppList;
    event.time = now;
    event.osUser = apps.user;
    Poco::JSON::Array::Ptr names = new Poco::JSON::Array;
    for (const auto& name : apps.applications) names->add(name);
    event.payload->set("applications", names);
    events.push_back(std::move(event));
  }
  lastSent_ = std::move(current);
  return events;
}

}  // namespace clubsafe::agent::sources
