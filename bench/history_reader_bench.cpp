// Browser history reading (docs/ARCHITECTURE.md, "Browser history"; figures in
// docs/PERFORMANCE.md): one poll of the history source over a Chromium profile of 100,000 visits
// built from Chromium's real schema (a tenth of them searches), read from the start; a poll with
// nothing new while the files are unchanged; and one after the browser touched its files without
// adding a visit (copy, open and query, nothing found).
#include "agent/history/history_source.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/agent/history/history_files.hpp"

#include <benchmark/benchmark.h>

#include <fcntl.h>
#include <sys/stat.h>

#include <chrono>
#include <memory>
#include <string>

namespace {

namespace history = clubsafe::agent::history;
namespace platform = clubsafe::agent::platform;

constexpr int kVisits = 100'000;

const clubsafe::agent::recording::PhraseMatcher& starter() {
  static const clubsafe::agent::recording::PhraseMatcher matcher = [] {
    clubsafe::agent::recording::PhraseLibrary library;
    library.addStarterLibraries();
    return clubsafe::agent::recording::PhraseMatcher(library);
  }();
  return matcher;
}

std::int64_t nowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One profile, built once for every benchmark.
struct Profile {
  clubsafe::testing::TempDir dir;
  platform::BrowserProfile profile;

  Profile() {
    profile = {platform::Browser::Chromium, "bench", dir.path() / "History", std::nullopt};
    history::testing::HistoryFile file(profile.database, platform::Browser::Chromium);
    const auto start = nowMicros() - std::int64_t{kVisits} * 100'000;
    file.db().execute("BEGIN");
    for (int i = 0; i < kVisits; ++i) {
      const auto n = std::to_string(i);
      if (i % 10 == 0) {
        (void)file.add("https://www.google.com/search?q=homework+help+question+" + n,
                       "homework help question " + n + " - Google Search", start + i * 100'000LL);
      } else {
        (void)file.add("https://news.example.org/articles/2026/11/story-" + n + "?ref=home",
                       "Story " + n + ": what happened at the club this week",
                       start + i * 100'000LL);
      }
    }
    file.db().execute("COMMIT");
  }
};

Profile& profile() {
  static Profile built;
  return built;
}

history::HistorySourceOptions optionsIn(const clubsafe::testing::TempDir& state) {
  history::HistorySourceOptions options;
  options.statePath = history::historyStatePath(state.path().string());
  options.maxVisitsPerPoll = kVisits;
  options.firstScanWindow = std::chrono::hours(24 * 365);
  options.detail = history::HistoryDetail::UrlAndTitle;
  options.settleTime = std::chrono::microseconds(0);
  return options;
}

void BM_ReadAllVisits(benchmark::State& state) {
  auto& built = profile();
  std::size_t events = 0;
  for (auto _ : state) {
    state.PauseTiming();
    {
      const clubsafe::testing::TempDir stateDir;
      history::HistorySource source(
          optionsIn(stateDir), [&] { return std::vector{built.profile}; }, starter());
      state.ResumeTiming();
      events = source.poll().size();
      state.PauseTiming();
    }
    state.ResumeTiming();
  }
  state.counters["events"] = static_cast<double>(events);
  state.counters["file_MiB"] =
      static_cast<double>(std::filesystem::file_size(built.profile.database)) / (1 << 20);
}
BENCHMARK(BM_ReadAllVisits)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_NothingNewFilesUnchanged(benchmark::State& state) {
  auto& built = profile();
  const clubsafe::testing::TempDir stateDir;
  history::HistorySource source(
      optionsIn(stateDir), [&] { return std::vector{built.profile}; }, starter());
  (void)source.poll();
  for (auto _ : state) {
    benchmark::DoNotOptimize(source.poll());
  }
}
BENCHMARK(BM_NothingNewFilesUnchanged)->Unit(benchmark::kMicrosecond);

void BM_NothingNewFilesTouched(benchmark::State& state) {
  auto& built = profile();
  const clubsafe::testing::TempDir stateDir;
  history::HistorySource source(
      optionsIn(stateDir), [&] { return std::vector{built.profile}; }, starter());
  (void)source.poll();
  for (auto _ : state) {
    state.PauseTiming();
    // A new modification time, as when the browser rewrote a page without adding a visit.
    ::utimensat(AT_FDCWD, built.profile.database.c_str(), nullptr, 0);
    state.ResumeTiming();
    if (!source.poll().empty()) state.SkipWithError("found visits that are not new");
  }
}
BENCHMARK(BM_NothingNewFilesTouched)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
