// The cost the block notifier adds to the DNS packet path (docs/NOTICES.md has the figures):
// FilterDecision::decide() of the agent's chain (canaries, then the real profile filter on a
// compiled index of 10,000 blocked names) on its own and wrapped in a BlockNotifier, for allowed
// and blocked names. Blocked names are drained by a thread every 10 ms, as the notice service
// does, or not at all (the ring stays full and every name is dropped).
#include "agent/dns/index_filter.hpp"
#include "agent/dns/list_filter.hpp"
#include "agent/dns/profile_filter.hpp"
#include "agent/notices/block_notifier.hpp"
#include "common/domain_index/domain_index_builder.hpp"

#include <benchmark/benchmark.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace di = clubsafe::common::domain_index;
namespace dns = clubsafe::agent::dns;
namespace notices = clubsafe::agent::notices;
using namespace std::chrono_literals;

constexpr int kNames = 10000;

class NoonClock final : public dns::LocalClock {
 public:
  [[nodiscard]] dns::LocalTime now() const noexcept override { return {0, 12 * 60}; }
};

struct Setup {
  Setup() {
    folder = std::filesystem::temp_directory_path() /
             ("block-notifier-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder);
    di::DomainIndexBuilder builder;
    const auto gambling = builder.addCategory("gambling");
    for (int i = 0; i < kNames; ++i) {
      blocked.push_back("casino" + std::to_string(i) + ".test");
      allowed.push_back("school" + std::to_string(i) + ".test");
      builder.addBlocked(blocked.back(), gambling);
    }
    (void)builder.write((folder / "domains.index").string());
    profile.install(
        dns::CompiledPolicy::compile(dns::builtInPolicy({"gambling"}, dns::SafeSearchLevel::Strict),
                                     di::DomainIndex::open((folder / "domains.index").string())),
        dns::kBuiltInProfileId);
  }
  ~Setup() { std::filesystem::remove_all(folder); }

  std::filesystem::path folder;
  std::vector<std::string> blocked;
  std::vector<std::string> allowed;
  NoonClock clock;
  dns::ProfileFilter profile{clock, ""};
  dns::ListFilter canaries{dns::canaryRules()};
  dns::FilterChain chain{{&canaries, &profile}};
};

Setup& setup() {
  static Setup instance;
  return instance;
}

void decideAll(benchmark::State& state, const dns::FilterDecision& filter,
               const std::vector<std::string>& names) {
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(filter.decide(names[i], dns::rrtype::kA));
    if (++i == names.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

void chainAllowed(benchmark::State& state) {
  decideAll(state, setup().chain, setup().allowed);
}
void chainBlocked(benchmark::State& state) {
  decideAll(state, setup().chain, setup().blocked);
}

void notifierAllowed(benchmark::State& state) {
  const notices::BlockNotifier notifier(setup().chain, [] { return setup().profile.index(); });
  decideAll(state, notifier, setup().allowed);
}

void notifierBlockedRingFull(benchmark::State& state) {
  const notices::BlockNotifier notifier(setup().chain, [] { return setup().profile.index(); });
  decideAll(state, notifier, setup().blocked);
}

void notifierBlockedDrained(benchmark::State& state) {
  notices::BlockNotifier notifier(setup().chain, [] { return setup().profile.index(); });
  std::atomic<bool> running = true;
  std::thread drainer([&] {
    while (running) {
      benchmark::DoNotOptimize(notifier.drain());
      std::this_thread::sleep_for(10ms);
    }
  });
  decideAll(state, notifier, setup().blocked);
  running = false;
  drainer.join();
}

BENCHMARK(chainAllowed);
BENCHMARK(notifierAllowed);
BENCHMARK(chainBlocked);
BENCHMARK(notifierBlockedRingFull);
BENCHMARK(notifierBlockedDrained);

}  // namespace

BENCHMARK_MAIN();
