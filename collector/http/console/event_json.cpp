#include "collector/http/console/event_json.hpp"

#include "collector/http/console/explorer_filter.hpp"
#include "common/time.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

namespace clubsafe::collector {

Poco::Dynamic::Var payloadJson(const std::string& payload) {
  try {
    return Poco::JSON::Parser().parse(payload);
  } catch (const Poco::Exception&) {
    return payload;
  }
}

Poco::JSON::Object::Ptr eventJson(const ExploredEvent& event) {
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
  json->set("time", common::formatTimestamp(event.time));
  json->set("device_id", event.deviceId);
  json->set("device", event.deviceName);
  json->set("sequence", event.sequence);
  json->set("type", event.type);
  json->set("account", event.osUser);
  json->set("member", event.member);
  json->set("profile", event.profile);
  json->set("app", event.app);
  json->set("site", event.site);
  json->set("category", event.category);
  json->set("action", event.action);
  json->set("title", event.title);
  json->set("url", event.url);
  json->set("search_terms", event.searchTerms);
  json->set("payload", payloadJson(event.payload));
  json->set("context", filterQueryString(contextOf(event)));
  return json;
}

}  // namespace clubsafe::collector
