#include "agent/sources/heartbeat_source.hpp"

#include "common/time.hpp"

namespace clubsafe::agent::sources {

HeartbeatSource::HeartbeatSource(std::chrono::milliseconds interval,
                                 std::function<std::int64_t()> queueDepth)
    : interval_(interval), queueDepth_(std::move(queueDepth)) {}

std::vector<common::Event> HeartbeatSource::poll() {
  common::Event event;
  event.type = common::EventType::Heartbeat;
  event.time = common::nowUtc();
  const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::steady_clock::now() - started_);
  event.payload->set("uptime_seconds", static_cast<Poco::Int64>(uptime.count()));
  event.payload->set("queue_depth", static_cast<Poco::Int64>(queueDepth_()));
  event.payload->set("agent_version", std::string(CLUBSAFE_VERSION));
  std::vector<common::Event> events;
  events.push_back(std::move(event));
  return events;
}

}  // namespace clubsafe::agent::sources
