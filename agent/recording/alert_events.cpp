#include "agent/recording/alert_events.hpp"

#include <set>
#include <utility>

namespace clubsafe::agent::recording {

std::vector<common::Event> safeguardingAlerts(const PhraseMatcher& matcher,
                                              std::span<const AlertText> texts,
                                              common::Timestamp time, const std::string& osUser) {
  std::vector<common::Event> alerts;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& [source, text] : texts) {
    if (text.empty()) continue;
    for (auto& hit : matcher.match(text)) {
      if (!seen.emplace(hit.category, hit.phrase).second) continue;
      common::Event event;
      event.type = common::EventType::SafeguardingAlert;
      event.time = time;
      event.osUser = osUser;
      event.payload->set("category", hit.category);
      event.payload->set("severity", hit.severity);
      event.payload->set("phrase", hit.phrase);
      event.payload->set("context", hit.context);
      event.payload->set("source", std::string(source));
      event.payload->set("rule", hit.rule);
      event.payload->set("matched", hit.matched);
      event.payload->set("why", hit.why);
      event.payload->set("help_seeking", hit.helpSeeking);
      alerts.push_back(std::move(event));
    }
  }
  return alerts;
}

}  // namespace clubsafe::agent::recording
