#include "agent/protection/tamper_event.hpp"

#include "common/time.hpp"

namespace clubsafe::agent::protection {

common::Event tamperEvent(std::string kind, std::string detail) {
  common::Event event;
  event.type = common::EventType::Tamper;
  event.time = common::nowUtc();
  event.payload->set("kind", std::move(kind));
  event.payload->set("detail", std::move(detail));
  return event;
}

}  // namespace clubsafe::agent::protection
