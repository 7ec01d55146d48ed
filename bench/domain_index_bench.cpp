// The compiled domain index on every stored UT1 category (docs/PERFORMANCE.md has the figures
// and docs/DOMAIN_INDEX.md the design): lookup latency (median and p99 of single lookups),
// throughput, compile and load time, size per name and resident memory after loading.
#include "common/domain_index/domain_index.hpp"
#include "common/domain_index/domain_index_builder.hpp"
#include "common/domain_index/list_import.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace {

namespace di = clubsafe::common::domain_index;
using Clock = std::chrono::steady_clock;

const std::filesystem::path kUt1 = CLUBSAFE_BLOCKLISTS_DIR "/ut1";
// A plain list added as one more category, to measure at the scale of a full deployment (see
// bench/generate_names.py); unset, the index holds the real UT1 names only.
const char* const kExtraList = std::getenv("CLUBSAFE_BENCH_EXTRA_LIST");
constexpr std::size_t kQueries = 1 << 16;

std::uint64_t procStatusKiB(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with(field)) return std::stoull(line.substr(field.size()));
  }
  return 0;
}

// Keeps every name it is given, to draw realistic queries from.
class NameSample : public di::EntrySink {
 public:
  void add(std::string_view name, bool /*allow*/) override { names.emplace_back(name); }
  std::vector<std::string> names;
};

std::size_t labelCount(std::string_view name) {
  return static_cast<std::size_t>(std::count(name.begin(), name.end(), '.')) + 1;
}

// The index over all of UT1, compiled once per run into a temporary folder.
struct Ut1Index {
  std::filesystem::path folder;
  std::filesystem::path file;
  di::BuildSummary summary;
  std::shared_ptr<const di::DomainIndex> index;
  // A third listed names, a third subdomains of listed names, a third unlisted names; all of
  // 2 to 5 labels, shuffled.
  std::vector<std::string> queries;

  Ut1Index() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "clubsafe-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("no temporary folder");
    folder = pattern;
    file = folder / "ut1.index";
    compile();
    index = di::DomainIndex::open(file.string());
    makeQueries();
  }
  ~Ut1Index() {
    index.reset();
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
  }

  di::BuildSummary compile() const {
    di::DomainIndexBuilder builder;
    for (const auto& list : lists()) {
      (void)di::importListFile(list.file, di::ListFormat::Plain,
                               builder.categorySink(builder.addCategory(list.category)));
    }
    return builder.write(file.string());
  }

  static std::vector<di::CategoryList> lists() {
    auto all = di::findUt1Lists(kUt1);
    if (kExtraList != nullptr) all.push_back({"generated", kExtraList});
    return all;
  }

  void makeQueries() {
    NameSample sample;
    for (const auto& list : lists()) {
      (void)di::importListFile(list.file, di::ListFormat::Plain, sample);
    }
    std::mt19937_64 random(20261124);
    const auto pick = [&](std::size_t maxLabels) {
      while (true) {
        const auto& name = sample.names[random() % sample.names.size()];
        if (labelCount(name) <= maxLabels) return name;
      }
    };
    static const char* const kPrefixes[] = {"www.", "cdn.", "m.", "img.static.", "api."};
    static const char* const kWords[] = {"news",  "shop",  "school", "club", "weather", "maps",
                                         "video", "music", "mail",   "docs", "youth",   "sport"};
    static const char* const kSuffixes[] = {".com", ".co.uk", ".org", ".net", ".org.uk", ".fr"};
    for (std::size_t i = 0; i < kQueries; ++i) {
      switch (i % 3) {
        case 0:
          queries.push_back(pick(5));
          break;
        case 1: {
          const std::string prefix = kPrefixes[random() % 5];
          queries.push_back(prefix + pick(5 - labelCount(prefix) + 1));
          break;
        }
        default: {
          std::string name = std::string(kWords[random() % 12]) + std::to_string(random() % 100000);
          if (random() % 2 == 0) name = std::string(kWords[random() % 12]) + "." + name;
          queries.push_back(name + kSuffixes[random() % 6]);
        }
      }
    }
    std::shuffle(queries.begin(), queries.end(), random);
  }
};

const Ut1Index& ut1() {
  static const Ut1Index instance;
  return instance;
}

bool haveData(benchmark::State& state) {
  if (std::filesystem::is_directory(kUt1)) return true;
  state.SkipWithError(("the UT1 lists are not at " + kUt1.string()).c_str());
  return false;
}

// Throughput: back-to-back lookups over the query mix; time per lookup is the mean.
void BM_LookupMix(benchmark::State& state) {
  if (!haveData(state)) return;
  const auto& data = ut1();
  std::size_t i = 0;
  std::size_t blocked = 0;
  for (auto _ : state) {
    const auto match = data.index->lookup(data.queries[i++ % kQueries]);
    blocked += match.blocked() ? 1 : 0;
    benchmark::DoNotOptimize(match);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["blocked_share"] = static_cast<double>(blocked) / static_cast<double>(i);
}
BENCHMARK(BM_LookupMix);

// Latency distribution: each lookup timed on its own with the steady clock, minus the clock's
// own median cost (measured the same way around nothing). Counters: median and p99 in ns.
void BM_LookupLatency(benchmark::State& state) {
  if (!haveData(state)) return;
  const auto& data = ut1();
  std::vector<std::int64_t> samples;
  samples.reserve(kQueries * 4);
  std::vector<std::int64_t> overhead;
  for (int k = 0; k < 10000; ++k) {
    const auto start = Clock::now();
    benchmark::ClobberMemory();
    overhead.push_back((Clock::now() - start).count());
  }
  std::nth_element(overhead.begin(), overhead.begin() + 5000, overhead.end());
  const auto clockCost = overhead[5000];
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& name = data.queries[i++ % kQueries];
    const auto start = Clock::now();
    benchmark::DoNotOptimize(data.index->lookup(name));
    const auto elapsed = (Clock::now() - start).count() - clockCost;
    if (samples.size() < samples.capacity()) samples.push_back(std::max<std::int64_t>(elapsed, 0));
  }
  std::sort(samples.begin(), samples.end());
  const auto at = [&](double q) {
    return static_cast<double>(
        samples[static_cast<std::size_t>(q * static_cast<double>(samples.size() - 1))]);
  };
  state.counters["median_ns"] = at(0.5);
  state.counters["p90_ns"] = at(0.9);
  state.counters["p99_ns"] = at(0.99);
  state.counters["p999_ns"] = at(0.999);
  state.counters["clock_ns"] = static_cast<double>(clockCost);
}
BENCHMARK(BM_LookupLatency)->Iterations(kQueries * 4);

// Compiling all of UT1 from its gzip files (68 categories, about a million entries).
void BM_CompileAllUt1(benchmark::State& state) {
  if (!haveData(state)) return;
  const auto& data = ut1();
  di::BuildSummary summary;
  for (auto _ : state) summary = data.compile();
  state.counters["entries"] = static_cast<double>(summary.entries);
  state.counters["names"] = static_cast<double>(summary.names);
  state.counters["file_bytes"] = static_cast<double>(summary.fileBytes);
  state.counters["bytes_per_name"] = summary.bytesPerName();
}
BENCHMARK(BM_CompileAllUt1)->Unit(benchmark::kMillisecond)->Iterations(3);

// Loading: mmap, SHA-256 of the body and the structural checks (file in the page cache).
// resident_kib: how much resident memory one loaded index adds.
void BM_Load(benchmark::State& state) {
  if (!haveData(state)) return;
  const auto& data = ut1();
  std::uint64_t residentAdded = 0;
  for (auto _ : state) {
    const auto before = procStatusKiB("VmRSS:");
    auto index = di::DomainIndex::open(data.file.string());
    residentAdded = procStatusKiB("VmRSS:") - before;
    benchmark::DoNotOptimize(index);
  }
  state.counters["resident_kib"] = static_cast<double>(residentAdded);
  state.counters["file_kib"] = static_cast<double>(data.index->fileSize()) / 1024.0;
}
BENCHMARK(BM_Load)->Unit(benchmark::kMillisecond)->Iterations(10);

}  // namespace

BENCHMARK_MAIN();
