#pragma once

// What the store tests share: a fresh database, a clock, devices and batches.
#include "common/crypto.hpp"
#include "tests/unit/collector/test_storage.hpp"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>

namespace clubsafe::collector::store_test {

using namespace std::chrono_literals;
using testing::at;

inline const Timestamp kNow = at("2026-11-24T20:00:00.000Z");

inline NewDevice newDevice(const std::string& id) {
  return {.id = id,
          .secretHash = common::sha256Hex("secret of " + id),
          .name = "Laptop " + id,
          .hostname = "club-" + id,
          .os = "Debian GNU/Linux 12",
          .agentVersion = "0.1.0"};
}

// The same JSON whatever the order of its keys.
inline void expectSameJson(const std::string& actual, const std::string& expected) {
  const auto parsed = Poco::JSON::Parser().parse(actual).extract<Poco::JSON::Object::Ptr>();
  const auto wanted = Poco::JSON::Parser().parse(expected).extract<Poco::JSON::Object::Ptr>();
  std::ostringstream actualText, expectedText;
  parsed->stringify(actualText);
  wanted->stringify(expectedText);
  EXPECT_EQ(actualText.str(), expectedText.str());
}

inline common::Event heartbeat(std::int64_t sequence, Timestamp time) {
  common::Event event;
  event.sequence = sequence;
  event.time = time;
  event.type = common::EventType::Heartbeat;
  event.payload->set("uptime_seconds", 60);
  event.payload->set("queue_depth", 0);
  event.payload->set("agent_version", "0.1.0");
  return event;
}

inline common::Batch batchOf(const std::string& deviceId, std::int64_t backlog,
                             std::vector<common::Event> events) {
  for (auto& event : events) event.deviceId = deviceId;
  return {.header = {.version = common::kBatchVersion, .deviceId = deviceId, .backlog = backlog},
          .events = std::move(events)};
}

// Every store over a fresh database, with the devices and tokens most tests start from.
class StoreTest : public ::testing::Test {
 protected:
  // A token made a minute before kNow, live for a day.
  std::int64_t makeToken(const std::string& token) {
    return stores().devices.createEnrolmentToken(common::sha256Hex(token), "Laptop trolley",
                                                 "alice", kNow - 1min, kNow + 24h,
                                                 audit("enrolment_token.create"));
  }

  static AuditEntry audit(const std::string& action, const std::string& target = {}) {
    return {kNow, "alice", action, target, ""};
  }

  void enrol(const std::string& deviceId) {
    const std::string token = "token for " + deviceId;
    makeToken(token);
    ASSERT_TRUE(stores().devices.enrolDevice(common::sha256Hex(token), newDevice(deviceId), kNow));
  }

  EnrolmentTokenRecord onlyToken() {
    const auto tokens = stores().devices.listEnrolmentTokens();
    if (tokens.size() != 1) throw std::logic_error("expected exactly one token");
    return tokens.front();
  }

  const Stores& stores() { return test_.stores; }

  testing::TestStorage test_;
};

}  // namespace clubsafe::collector::store_test
