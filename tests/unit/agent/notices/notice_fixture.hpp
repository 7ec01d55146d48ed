#pragma once

#include "agent/notices/notice_service.hpp"
#include "common/batch_codec.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/common/cheap_password_hash.hpp"

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::agent::notices::testing {

// The one OS seam of the notice service: the login sessions open now, as the tests say.
class FakeLoginSessions final : public platform::LoginSessions {
 public:
  [[nodiscard]] std::vector<platform::LoginSession> list() override {
    const std::lock_guard lock(mutex_);
    return sessions_;
  }
  void set(std::vector<platform::LoginSession> sessions) {
    const std::lock_guard lock(mutex_);
    sessions_ = std::move(sessions);
  }

 private:
  std::mutex mutex_;
  std::vector<platform::LoginSession> sessions_;
};

class NoonClock final : public dns::LocalClock {
 public:
  [[nodiscard]] dns::LocalTime now() const noexcept override { return {0, 12 * 60}; }
};

// The agent's real outbox, profile filter, active profile, PINs and overrides, on files in a
// temporary folder, around the notice service; a steady clock the tests move.
class NoticeFixture {
 public:
  static constexpr std::string_view kWorkerPin = "123456";

  // Juniors (8-12, 12-14) by default, seniors (15-17), staff; each blocks its own test name.
  // Amira is on the member register as 15-17.
  static common::Policy policy() {
    const auto profile = [](std::string id, std::vector<std::string> bands) {
      common::Profile result;
      result.name = "Profile " + id;
      result.block = {id + ".test"};
      result.id = std::move(id);
      result.ageBands = std::move(bands);
      return result;
    };
    common::Policy policy;
    policy.version = 3;
    policy.defaultProfile = "juniors";
    policy.profiles = {profile("juniors", {"8-12", "12-14"}), profile("seniors", {"15-17"}),
                       profile("staff", {"staff"})};
    policy.members = {{"Amira", "15-17"}};  // on the register: may sign in as a senior
    return policy;
  }

  explicit NoticeFixture(std::chrono::milliseconds acknowledgeTimeout = std::chrono::minutes(10))
      : service(NoticeServiceOptions{.acknowledgeTimeout = acknowledgeTimeout,
                                     .clock = [this] { return now; }},
                outbox, filter, active, sessions, pins, overrides, [](std::string_view domain) {
                  return std::string(domain == "bet.test" ? "gambling" : "");
                }) {
    (void)active.setPolicy(dns::CompiledPolicy::compile(policy(), nullptr));
    // Cheap scrypt parameters: the real ones are the PIN tests' business.
    pins.setWorkers({{"Sam Worker", clubsafe::testing::cheapPasswordHash(kWorkerPin)}});
    outbox.setStamp(service.stamp());
  }

  // Everything the outbox holds, in the order it would leave (highest priority first).
  std::vector<common::Event> events() {
    std::vector<common::Event> result;
    for (const auto& pending : outbox.nextBatch(1000)) {
      result.push_back(common::decodeEvent(pending.encoded));
    }
    return result;
  }
  std::vector<common::Event> events(common::EventType type) {
    std::vector<common::Event> result;
    for (auto& event : events()) {
      if (event.type == type) result.push_back(std::move(event));
    }
    return result;
  }

  static platform::LoginSession session(std::uint32_t uid, std::string state) {
    platform::LoginSession result;
    result.id = "c" + std::to_string(uid);
    result.uid = uid;
    result.type = "x11";
    result.state = std::move(state);
    return result;
  }

  [[nodiscard]] bool blocked(std::string_view name) const {
    return filter.decide(name, 1).action == dns::Verdict::Action::Block;
  }

  clubsafe::testing::TempDir dir;
  outbox::Outbox outbox{dir.file("outbox.db"), outbox::Outbox::Access::ReadWrite};
  NoonClock clock;
  dns::ProfileFilter filter{clock, ""};
  policy::ActiveProfile active{filter};
  FakeLoginSessions sessions;
  WorkerPins pins;
  Overrides overrides{dir.path().string(), filter};
  std::chrono::steady_clock::time_point now{std::chrono::hours(1000)};
  NoticeService service;
};

}  // namespace clubsafe::agent::notices::testing
