// libFuzzer target: any bytes, as the lines a notice program sends over the notice socket, must
// be parsed and dispatched by the agent's notice service (sign-ins, PINs, overrides, worries,
// acknowledgements, the clock moving on, the connection ending) and answered with a reply the
// protocol accepts, never a crash; what the service pushes must be valid messages too.
#include "agent/notices/notice_service.hpp"
#include "common/notice_protocol.hpp"
#include "tests/unit/common/cheap_password_hash.hpp"

#include <spdlog/spdlog.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace {

namespace notices = clubsafe::agent::notices;
namespace proto = clubsafe::common::notice;
using namespace clubsafe::agent;

void checkLine(std::string_view line, proto::MessageType expected) {
  if (line.empty() || line.back() != '\n') __builtin_trap();
  line.remove_suffix(1);
  if (line.find('\n') != std::string_view::npos) __builtin_trap();
  try {
    if (proto::parseMessage(line).type != expected) __builtin_trap();
  } catch (const proto::ProtocolError&) {
    __builtin_trap();
  }
}

class FakeSessions final : public platform::LoginSessions {
 public:
  std::vector<platform::LoginSession> list() override {
    platform::LoginSession session;
    session.uid = 1000;
    session.state = open ? "active" : "closing";
    return {session};
  }
  bool open = true;
};

class NoonClock final : public dns::LocalClock {
 public:
  [[nodiscard]] dns::LocalTime now() const noexcept override { return {0, 12 * 60}; }
};

// The agent's real outbox (in memory's file system when there is one), filter, profiles, PINs
// and overrides, made once: each input goes on from the state the last one left.
struct World {
  World() {
    spdlog::set_level(spdlog::level::off);  // a refusal logs a line; millions of them say nothing
    const std::filesystem::path shm("/dev/shm");
    std::string base =
        ((std::filesystem::is_directory(shm) ? shm : std::filesystem::temp_directory_path()) /
         "clubsafe-notice-fuzz-XXXXXX")
            .string();
    if (::mkdtemp(base.data()) == nullptr) __builtin_trap();
    dir = base;
    outbox =
        std::make_unique<outbox::Outbox>(dir + "/outbox.db", outbox::Outbox::Access::ReadWrite);
    overrides = std::make_unique<notices::Overrides>(dir, filter);
    clubsafe::common::Policy policy;
    policy.version = 1;
    policy.defaultProfile = "juniors";
    clubsafe::common::Profile juniors;
    juniors.id = "juniors";
    juniors.name = "Juniors";
    juniors.ageBands = {"8-12"};
    juniors.block = {"bet.test"};
    clubsafe::common::Profile staff;
    staff.id = "staff";
    staff.name = "Staff";
    staff.ageBands = {"staff"};
    policy.profiles = {juniors, staff};
    (void)active.setPolicy(dns::CompiledPolicy::compile(policy, nullptr));
    pins.setWorkers({{"Sam", clubsafe::testing::cheapPasswordHash("123456", 4)}});
    service = std::make_unique<notices::NoticeService>(
        notices::NoticeServiceOptions{.acknowledgeTimeout = std::chrono::minutes(10),
                                      .clock = [this] { return now; }},
        *outbox, filter, active, sessions, pins, *overrides,
        [](std::string_view domain) { return std::string(domain.substr(0, 40)); });
    outbox->setStamp(service->stamp());
    service->setPush([](std::uint32_t, const std::string& line) {
      const auto type = line.find("\"type\":\"blocked\"") != std::string::npos
                            ? proto::MessageType::Blocked
                            : proto::MessageType::State;
      checkLine(line, type);
    });
  }
  ~World() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }

  std::string dir;
  std::unique_ptr<outbox::Outbox> outbox;
  NoonClock clock;
  dns::ProfileFilter filter{clock, ""};
  policy::ActiveProfile active{filter};
  FakeSessions sessions;
  notices::WorkerPins pins;
  std::unique_ptr<notices::Overrides> overrides;
  std::chrono::steady_clock::time_point now{std::chrono::hours(1000)};
  std::unique_ptr<notices::NoticeService> service;
  std::uint64_t connection = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static World world;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto connection = ++world.connection;
  world.sessions.open = (size % 2) == 0;
  world.service->opened({connection, 1000, "pupil"});
  std::size_t start = 0;
  while (start <= input.size()) {
    const auto end = std::min(input.find('\n', start), input.size());
    const auto line = input.substr(start, end - start);
    checkLine(world.service->handleLine(connection, line), proto::MessageType::Reply);
    if (start == 0) world.service->pushBlocked(std::string(line), "gambling", std::string(line));
    start = end + 1;
  }
  world.now += std::chrono::minutes(11);
  world.service->tick();
  world.service->closed(connection);
  world.service->tick();
  return 0;
}
