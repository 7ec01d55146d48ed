#pragma once

#include "collector/storage/event_query.hpp"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <string>

namespace clubsafe::collector {

// A stored payload (JSON text) as an object; the text itself should it not parse (it always
// does: the device API stores only payloads it has read).
[[nodiscard]] Poco::Dynamic::Var payloadJson(const std::string& payload);

// One raw event as the console shows it: the explorer's rows and an alert's context.
[[nodiscard]] Poco::JSON::Object::Ptr eventJson(const ExploredEvent& event);

}  // namespace clubsafe::collector
