#include "agent/protection/tamper_event.hpp"

#include "common/time.hpp"

namespace clubsafe::agent::protection {

common::Event tamperEvent(const std::string& kind, const std::string& detail) {
  common::Event event;
  event.type = common::EventType::Tamper;
  event.time = common::nowUtc();
  event.payload->set("kind", kind);
  event.payload->set("detail", detail);
  return event;
}

}  // namespace clubsafe::agent::protection
