// How fast the collector decodes and the agent encodes event batches (1,000 events, the
// largest batch), so ingestion cost per event is known.
#include "common/batch_codec.hpp"
#include "common/time.hpp"

#include <benchmark/benchmark.h>

namespace {

using namespace clubsafe::common;

Batch fullBatch() {
  Batch batch;
  batch.header.deviceId = "dev_0123456789abcdef";
  for (int i = 1; i <= 1000; ++i) {
    Event event;
    event.sequence = i;
    event.time = nowUtc();
    event.osUser = "club";
    event.type = i % 2 == 0 ? EventType::Heartbeat : EventType::AppList;
    if (event.type == EventType::Heartbeat) {
      event.payload->set("uptime_seconds", i);
      event.payload->set("queue_depth", 0);
      event.payload->set("agent_version", "0.1.0");
    } else {
      Poco::JSON::Array::Ptr apps = new Poco::JSON::Array;
      for (const auto* name : {"firefox-esr", "libreoffice", "code", "gnome-terminal-server"}) apps->add(name);
      event.payload->set("applications", apps);
    }
    batch.events.push_back(event);
  }
  return batch;
}

void BM_DecodeBatchOf1000(benchmark::State& state) {
  const auto json = encodeBatch(fullBatch());
  for (auto _ : state) benchmark::DoNotOptimize(decodeBatch(json));
  state.SetItemsProcessed(state.iterations() * 1000);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(json.size()));
}
BENCHMARK(BM_DecodeBatchOf1000);

void BM_EncodeEvent(benchmark::State& state) {
  const auto batch = fullBatch();
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(encodeEvent(batch.events[i++ % batch.events.size()]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EncodeEvent);

}  // namespace

BENCHMARK_MAIN();
