// The agent's per-query decision (ProfileFilter::decide) on every stored UT1 category, with no
// worker override in force and with ten (seven sites and three categories, none of them what is
// asked): what an override costs each query. docs/PERFORMANCE.md has the figures.
#include "agent/dns/profile_filter.hpp"
#include "common/domain_index/domain_index_builder.hpp"
#include "common/domain_index/list_import.hpp"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace {

namespace di = clubsafe::common::domain_index;
namespace dns = clubsafe::agent::dns;

const std::filesystem::path kUt1 = CLUBSAFE_BLOCKLISTS_DIR "/ut1";
constexpr std::size_t kQueries = 1 << 16;

class NameSample : public di::EntrySink {
 public:
  void add(std::string_view name, bool /*allow*/) override { names.emplace_back(name); }
  std::vector<std::string> names;
};

// UT1 compiled once per run into a temporary folder, a profile blocking all of it (open every
// day, so each query reads the clock as a club's profile does), and a query mix: a third listed
// names, a third their www. subdomains, a third unlisted names.
struct Setup {
  std::filesystem::path folder;
  std::shared_ptr<const dns::CompiledPolicy> policy;
  std::vector<std::string> queries;

  Setup() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "clubsafe-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("no temporary folder");
    folder = pattern;
    di::DomainIndexBuilder builder;
    NameSample sample;
    clubsafe::common::Profile profile;
    for (const auto& list : di::findUt1Lists(kUt1)) {
      (void)di::importListFile(list.file, di::ListFormat::Plain,
                               builder.categorySink(builder.addCategory(list.category)));
      (void)di::importListFile(list.file, di::ListFormat::Plain, sample);
      profile.blockedCategories.push_back(list.category);
    }
    const auto file = (folder / "ut1.index").string();
    (void)builder.write(file);
    profile.id = "juniors";
    profile.name = "Juniors";
    clubsafe::common::OpeningHours always;
    always.days.set();
    always.toMinute = 24 * 60;
    profile.schedule = {always};
    clubsafe::common::Policy document;
    document.defaultProfile = profile.id;
    document.profiles = {profile};
    policy = dns::CompiledPolicy::compile(document, di::DomainIndex::open(file));

    std::mt19937_64 random(20261125);
    for (std::size_t i = 0; i < kQueries; ++i) {
      const auto& listed = sample.names[random() % sample.names.size()];
      if (i % 3 == 0) queries.push_back(listed);
      if (i % 3 == 1) queries.push_back("www." + listed);
      if (i % 3 == 2) queries.push_back("site" + std::to_string(random() % 100000) + ".example");
    }
  }
  ~Setup() {
    policy.reset();
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
  }
};

const Setup& setup() {
  static const Setup instance;
  return instance;
}

// Back-to-back decisions over the mix with state.range(0) overrides in force (an hour left).
void BM_Decide(benchmark::State& state) {
  if (!std::filesystem::is_directory(kUt1)) {
    state.SkipWithError(("the UT1 lists are not at " + kUt1.string()).c_str());
    return;
  }
  const auto& data = setup();
  const dns::SystemLocalClock clock;
  dns::ProfileFilter filter(clock, "");
  filter.install(data.policy, "juniors");
  std::vector<dns::Unlock> unlocks;
  const auto until = clock.unixSeconds() + 3600;
  const auto& categories = data.policy->index()->categories();
  for (std::int64_t i = 0; i < state.range(0); ++i) {
    if (i % 3 == 2) {
      unlocks.push_back({dns::Unlock::Scope::Category,
                         categories[static_cast<std::size_t>(i) % categories.size()], until});
    } else {
      unlocks.push_back(
          {dns::Unlock::Scope::Domain, "unlocked" + std::to_string(i) + ".org.uk", until});
    }
  }
  filter.setUnlocks(unlocks);
  std::size_t i = 0;
  std::size_t blocked = 0;
  for (auto _ : state) {
    const auto verdict = filter.decide(data.queries[i++ % kQueries], 1);
    blocked += verdict.action == dns::Verdict::Action::Block ? 1 : 0;
    benchmark::DoNotOptimize(verdict);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["blocked_share"] = static_cast<double>(blocked) / static_cast<double>(i);
  state.counters["names"] = static_cast<double>(data.policy->index()->entryCount());
}
BENCHMARK(BM_Decide)->Arg(0)->Arg(10);

}  // namespace

BENCHMARK_MAIN();
