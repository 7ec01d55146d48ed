#include "agent/dns/decision_recorder.hpp"

#include "agent/dns/dns_proxy.hpp"
#include "agent/dns/index_filter.hpp"
#include "agent/dns/list_filter.hpp"
#include "common/batch_codec.hpp"
#include "common/domain_index/domain_index_builder.hpp"
#include "common/domain_index/domain_index_holder.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/agent/dns/fake_upstream.hpp"
#include "tests/unit/agent/dns/packet_builder.hpp"

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <poll.h>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <map>
#include <sstream>
#include <thread>
#include <tuple>

namespace clubsafe::agent::dns {
namespace {

namespace di = common::domain_index;
using namespace std::chrono_literals;
using testing::loopback;

// 2026-11-24T19:57:00Z, a minute's start.
const common::Timestamp kMinuteStart{std::chrono::seconds(1795550220)};

// One dns_decision event as (domain, action, category, minute) → count.
using Key = std::tuple<std::string, std::string, std::string, std::string>;

// The events waiting in the outbox, which are taken out of it, so a second call sees only what
// was written after the first.
std::map<Key, std::int64_t> eventsIn(outbox::Outbox& outbox) {
  std::map<Key, std::int64_t> events;
  const auto pendingEvents = outbox.nextBatch(5000);
  std::vector<std::int64_t> sequences;
  for (const auto& pending : pendingEvents) sequences.push_back(pending.sequence);
  EXPECT_TRUE(outbox.remove(sequences).ok());
  for (const auto& pending : pendingEvents) {
    const auto event = common::decodeEvent(pending.encoded);
    EXPECT_EQ(event.type, common::EventType::DnsDecision);
    const auto& payload = *event.payload;
    const Key key{payload.getValue<std::string>("domain"), payload.getValue<std::string>("action"),
                  payload.has("category") ? payload.getValue<std::string>("category") : "",
                  payload.getValue<std::string>("minute")};
    EXPECT_FALSE(events.contains(key)) << "one event per aggregate";
    events[key] = payload.getValue<std::int64_t>("count");
  }
  return events;
}

class DecisionRecorderTest : public ::testing::Test {
 protected:
  DecisionRecorderOptions options(std::size_t shards, std::size_t maxKeys) {
    DecisionRecorderOptions result;
    result.shards = shards;
    result.maxKeysPerMinute = maxKeys;
    result.clock = [this] { return now_; };
    return result;
  }

  clubsafe::testing::TempDir dir_;
  outbox::Outbox outbox_{dir_.file("outbox.db"), outbox::Outbox::Access::ReadWrite};
  common::Timestamp now_ = kMinuteStart + 5s;
};

TEST_F(DecisionRecorderTest, CountsEachDomainActionAndCategoryOnceOverAllShards) {
  DecisionRecorder recorder(outbox_, options(4, 100));
  const auto minute = recorder.currentMinute();
  for (int worker = 0; worker < 4; ++worker) {
    recorder.record(minute, "casino.test", DecisionAction::Blocked, "gambling");
  }
  recorder.record(minute, "casino.test", DecisionAction::Blocked, "gambling");
  recorder.record(minute, "casino.test", DecisionAction::Blocked, "adult");
  recorder.record(minute, "example.test", DecisionAction::Allowed, "");
  recorder.record(minute, "www.google.com", DecisionAction::Rewritten, "");
  EXPECT_EQ(recorder.flush(), 4u);
  const auto at = "2026-11-24T19:57:00.000Z";
  EXPECT_EQ(eventsIn(outbox_), (std::map<Key, std::int64_t>{
                                   {{"casino.test", "blocked", "adult", at}, 1},
                                   {{"casino.test", "blocked", "gambling", at}, 5},
                                   {{"example.test", "allowed", "", at}, 1},
                                   {{"www.google.com", "rewritten", "", at}, 1},
                               }));
  EXPECT_EQ(recorder.flush(), 0u);  // written once
}

TEST_F(DecisionRecorderTest, EachFlushWritesTheCountsSinceTheLastOneNamingTheirMinute) {
  DecisionRecorder recorder(outbox_, options(2, 100));
  const auto first = recorder.currentMinute();
  recorder.record(first, "a.test", DecisionAction::Allowed, "");
  recorder.record(first, "a.test", DecisionAction::Allowed, "");
  EXPECT_EQ(recorder.flush(), 1u);  // 19:57 has not ended: written all the same
  EXPECT_EQ(eventsIn(outbox_), (std::map<Key, std::int64_t>{
                                   {{"a.test", "allowed", "", "2026-11-24T19:57:00.000Z"}, 2},
                               }));
  now_ = kMinuteStart + 61s;
  recorder.record(first, "a.test", DecisionAction::Allowed, "");  // a late worker's batch
  recorder.record(recorder.currentMinute(), "a.test", DecisionAction::Allowed, "");
  EXPECT_EQ(recorder.flush(), 2u);
  EXPECT_EQ(eventsIn(outbox_), (std::map<Key, std::int64_t>{
                                   {{"a.test", "allowed", "", "2026-11-24T19:57:00.000Z"}, 1},
                                   {{"a.test", "allowed", "", "2026-11-24T19:58:00.000Z"}, 1},
                               }));
  EXPECT_EQ(recorder.flush(), 0u);  // nothing twice
}

TEST_F(DecisionRecorderTest, NamesBeyondTheCapAreCountedTogetherAndTheCapIsPerMinute) {
  DecisionRecorder recorder(outbox_, options(1, 3));
  const auto minute = recorder.currentMinute();
  for (const auto* name : {"a.test", "b.test", "c.test", "d.test", "e.test"}) {
    recorder.record(minute, name, DecisionAction::Allowed, "");
  }
  recorder.record(minute, "f.test", DecisionAction::Blocked, "gambling");
  recorder.record(minute, "a.test", DecisionAction::Allowed, "");      // known: still counted
  recorder.record(minute + 1, "g.test", DecisionAction::Allowed, "");  // a new minute's room
  EXPECT_EQ(recorder.flush(), 6u);  // a, b, c, two overflows (allowed, blocked), g
  const auto events = eventsIn(outbox_);
  const std::string at = "2026-11-24T19:57:00.000Z";
  EXPECT_EQ(events.at({"a.test", "allowed", "", at}), 2);
  EXPECT_EQ(events.at({std::string(DecisionRecorder::kOverflowDomain), "allowed", "", at}), 2);
  EXPECT_EQ(events.at({std::string(DecisionRecorder::kOverflowDomain), "blocked", "", at}), 1);
  EXPECT_EQ(events.at({"g.test", "allowed", "", "2026-11-24T19:58:00.000Z"}), 1);
  EXPECT_FALSE(events.contains({"d.test", "allowed", "", at}));
}

TEST_F(DecisionRecorderTest, TheCapCountsEveryFlushsNewNamesInTheMinute) {
  DecisionRecorder recorder(outbox_, options(1, 3));
  const auto minute = recorder.currentMinute();
  recorder.record(minute, "a.test", DecisionAction::Allowed, "");
  recorder.record(minute, "b.test", DecisionAction::Allowed, "");
  EXPECT_EQ(recorder.flush(), 2u);
  EXPECT_EQ(eventsIn(outbox_).size(), 2u);
  recorder.record(minute, "a.test", DecisionAction::Allowed, "");  // the third entry
  recorder.record(minute, "c.test", DecisionAction::Allowed, "");  // beyond the cap
  EXPECT_EQ(recorder.flush(), 2u);
  const std::string at = "2026-11-24T19:57:00.000Z";
  EXPECT_EQ(eventsIn(outbox_),
            (std::map<Key, std::int64_t>{
                {{"a.test", "allowed", "", at}, 1},
                {{std::string(DecisionRecorder::kOverflowDomain), "allowed", "", at}, 1},
            }));
}

// Issue 14: the cap was per worker shard (10,000 / 8 = 1,250 each), so a busy minute kept some
// names past the cap and put others under "(other names)" well before it.
TEST_F(DecisionRecorderTest, TheCapIsOneForTheWholeLaptopWhateverTheShards) {
  DecisionRecorder recorder(outbox_, options(8, 10));
  const auto minute = recorder.currentMinute();
  for (int i = 0; i < 30; ++i) {
    recorder.record(minute, "n" + std::to_string(i) + ".test", DecisionAction::Allowed, "");
  }
  EXPECT_EQ(recorder.flush(), 11u);  // ten names and the overflow
  const auto events = eventsIn(outbox_);
  EXPECT_EQ(events.at({std::string(DecisionRecorder::kOverflowDomain), "allowed", "",
                       "2026-11-24T19:57:00.000Z"}),
            20);
}

TEST_F(DecisionRecorderTest, WorkersAtOnceShareTheCapAndEachNameCountsOnce) {
  constexpr int kWorkers = 4;
  constexpr int kNames = 3000;
  DecisionRecorder recorder(outbox_, options(16, 1000));
  const auto minute = recorder.currentMinute();
  std::vector<std::thread> workers;
  for (int worker = 0; worker < kWorkers; ++worker) {
    // Every worker sees the same names: each is one key however many workers saw it.
    workers.emplace_back([&recorder, minute] {
      for (int i = 0; i < kNames; ++i) {
        recorder.record(minute, "n" + std::to_string(i) + ".test", DecisionAction::Allowed, "");
      }
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(recorder.flush(), 1001u);
  std::int64_t total = 0;
  std::int64_t overflow = 0;
  for (const auto& [key, count] : eventsIn(outbox_)) {
    total += count;
    if (std::get<0>(key) == DecisionRecorder::kOverflowDomain) overflow = count;
  }
  EXPECT_EQ(total, kWorkers * kNames);
  EXPECT_EQ(overflow, kWorkers * (kNames - 1000));  // each unkept name from every worker
}

TEST_F(DecisionRecorderTest, TheWarningNamesTheLaptopsCap) {
  std::ostringstream log;
  const auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log)));
  DecisionRecorder recorder(outbox_, options(8, 10));
  const auto minute = recorder.currentMinute();
  for (int i = 0; i < 13; ++i) {
    recorder.record(minute, "n" + std::to_string(i) + ".test", DecisionAction::Allowed, "");
  }
  (void)recorder.flush();
  spdlog::set_default_logger(previous);
  EXPECT_NE(log.str().find("this laptop saw more than 10 different names; 3 decisions"),
            std::string::npos)
      << log.str();
}

TEST_F(DecisionRecorderTest, TheAgentWritesEveryTenSecondsByDefault) {
  EXPECT_EQ(DecisionRecorderOptions{}.flushInterval, 10s);
}

TEST_F(DecisionRecorderTest, RunWritesEveryFlushIntervalWhileTheMinuteGoesOn) {
  auto recorderOptions = options(2, 10);
  recorderOptions.flushInterval = 50ms;
  DecisionRecorder recorder(outbox_, std::move(recorderOptions));
  const auto minute = recorder.currentMinute();  // the test clock stays in it throughout
  recorder.record(minute, "a.test", DecisionAction::Allowed, "");
  recorder.record(minute, "a.test", DecisionAction::Allowed, "");
  std::thread flusher([&] { recorder.run(); });
  const auto depthReaches = [&](std::int64_t depth) {
    for (int i = 0; i < 200 && outbox_.depth() < depth; ++i) std::this_thread::sleep_for(10ms);
    return outbox_.depth() == depth;
  };
  EXPECT_TRUE(depthReaches(1));
  recorder.record(minute, "a.test", DecisionAction::Allowed, "");
  EXPECT_TRUE(depthReaches(2));  // a second partial event of the same minute
  recorder.record(minute, "b.test", DecisionAction::Blocked, "gambling");
  recorder.stop();
  flusher.join();  // and the last counts when stopped
  std::map<Key, std::int64_t> summed;
  std::size_t events = 0;
  for (const auto& pending : outbox_.nextBatch(1000)) {
    const auto event = common::decodeEvent(pending.encoded);
    const auto& payload = *event.payload;
    ++events;
    summed[{payload.getValue<std::string>("domain"), payload.getValue<std::string>("action"),
            payload.has("category") ? payload.getValue<std::string>("category") : "",
            payload.getValue<std::string>("minute")}] += payload.getValue<std::int64_t>("count");
  }
  const std::string at = "2026-11-24T19:57:00.000Z";
  EXPECT_EQ(events, 3u);
  EXPECT_EQ(summed, (std::map<Key, std::int64_t>{
                        {{"a.test", "allowed", "", at}, 3},
                        {{"b.test", "blocked", "gambling", at}, 1},
                    }));
}

// Blocks every name the index in force has a category for, with the lowest such category: the
// part of the real filters that matters here (their Block verdicts carry ids of that index).
class AnyCategoryFilter final : public FilterDecision {
 public:
  explicit AnyCategoryFilter(const di::DomainIndexHolder& holder) : holder_(holder) {}
  [[nodiscard]] Verdict decide(std::string_view name, std::uint16_t) const noexcept override {
    const auto index = holder_.current();
    const auto categories = index ? index->lookup(name).categories : di::CategorySet();
    if (categories.none()) return Verdict::allow();
    return Verdict::block(static_cast<std::uint16_t>(categories._Find_first()));
  }

 private:
  const di::DomainIndexHolder& holder_;
};

class DecisionsThroughTheProxyTest : public DecisionRecorderTest {
 protected:
  // An index of `first` and `second` in that order (so their ids differ between two indexes
  // written in the two orders): casino.test is gambling, virus.test malware.
  std::shared_ptr<const di::DomainIndex> index(const std::string& first,
                                               const std::string& second) {
    di::DomainIndexBuilder builder;
    const auto a = builder.addCategory(first);
    const auto b = builder.addCategory(second);
    builder.addBlocked("casino.test", first == "gambling" ? a : b);
    builder.addBlocked("virus.test", first == "malware" ? a : b);
    const auto path = dir_.file(first + ".index");
    (void)builder.write(path);
    return di::DomainIndex::open(path);
  }

  void ask(std::string_view name, std::uint16_t id) {
    const auto to = loopback(proxy_.port());
    const auto query = testing::makeQuery(name, rrtype::kA, id);
    ASSERT_GT(::sendto(client_.get(), query.data(), query.size(), 0, to.raw(), to.length), 0);
    pollfd ready{client_.get(), POLLIN, 0};
    ASSERT_EQ(::poll(&ready, 1, 2000), 1);
    std::array<std::uint8_t, 512> answer{};
    ASSERT_GT(::recv(client_.get(), answer.data(), answer.size(), 0), 12);
  }

  static DnsProxyOptions proxyOptions() {
    DnsProxyOptions options;
    options.listen = loopback(0);
    options.workers = 2;
    return options;
  }

  DecisionRecorderOptions recorderOptions() {
    auto result = options(2, 100);
    result.indexInForce = [this] { return holder_.current(); };
    return result;
  }

  di::DomainIndexHolder holder_;
  const ListFilter canaries_{canaryRules()};
  const AnyCategoryFilter categories_{holder_};
  const FilterChain filter_{{&canaries_, &categories_}};
  DecisionRecorder recorder_{outbox_, recorderOptions()};
  DnsProxy proxy_{proxyOptions(), filter_, &recorder_};
  Socket client_{::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)};
};

TEST_F(DecisionsThroughTheProxyTest, QueriesOverUdpBecomeOneEventPerNameWithItsCount) {
  holder_.replace(index("malware", "gambling"));
  for (std::uint16_t id = 1; id <= 3; ++id) ask("www.casino.test", id);
  ask("WWW.Casino.Test", 4);  // the same name, as the filter sees it
  ask("use-application-dns.net", 5);
  ask("use-application-dns.net", 6);
  ask("allowed.test", 7);  // forwarded (SERVFAIL: no upstream), still a decision
  proxy_.stop();
  (void)recorder_.flush();

  const auto at = "2026-11-24T19:57:00.000Z";
  EXPECT_EQ(eventsIn(outbox_), (std::map<Key, std::int64_t>{
                                   {{"www.casino.test", "blocked", "gambling", at}, 4},
                                   {{"use-application-dns.net", "nxdomain", "", at}, 2},
                                   {{"allowed.test", "allowed", "", at}, 1},
                               }));
}

TEST_F(DecisionsThroughTheProxyTest, CategoriesAreNamedByTheIndexTheFilterDecidedWith) {
  holder_.replace(index("malware", "gambling"));
  ask("casino.test", 1);
  ask("virus.test", 2);
  holder_.replace(index("gambling", "malware"));  // the same names, the ids the other way round
  ask("casino.test", 3);
  ask("virus.test", 4);
  proxy_.stop();
  (void)recorder_.flush();

  const auto at = "2026-11-24T19:57:00.000Z";
  EXPECT_EQ(eventsIn(outbox_), (std::map<Key, std::int64_t>{
                                   {{"casino.test", "blocked", "gambling", at}, 2},
                                   {{"virus.test", "blocked", "malware", at}, 2},
                               }));
}

// The profile's own rules block with a reason, not an index category: the event names the
// reason, never the index's category 0.
class ProfileRulesFilter final : public FilterDecision {
 public:
  [[nodiscard]] Verdict decide(std::string_view name, std::uint16_t) const noexcept override {
    if (name == "late.test") return Verdict::closed();
    if (name == "listed.test") return Verdict::blockListed();
    return Verdict::allow();
  }
};

TEST_F(DecisionRecorderTest, BlocksByTheProfilesOwnRulesAreRecordedUnderTheirReason) {
  di::DomainIndexHolder holder;
  {
    di::DomainIndexBuilder builder;
    builder.addBlocked("casino.test", builder.addCategory("gambling"));  // category 0
    (void)builder.write(dir_.file("domains.index"));
  }
  holder.replace(di::DomainIndex::open(dir_.file("domains.index")));
  auto recorderOptions = options(1, 100);
  recorderOptions.indexInForce = [&holder] { return holder.current(); };
  DecisionRecorder recorder(outbox_, std::move(recorderOptions));
  const ProfileRulesFilter filter;
  DnsProxyOptions proxyOptions;
  proxyOptions.listen = loopback(0);
  DnsProxy proxy(std::move(proxyOptions), filter, &recorder);
  Workspace workspace;
  Buffer out;
  EXPECT_TRUE(proxy.answer(testing::makeQuery("late.test", rrtype::kA), true, workspace, out));
  EXPECT_TRUE(proxy.answer(testing::makeQuery("listed.test", rrtype::kA), true, workspace, out));
  proxy.stop();
  (void)recorder.flush();
  const auto at = "2026-11-24T19:57:00.000Z";
  EXPECT_EQ(eventsIn(outbox_), (std::map<Key, std::int64_t>{
                                   {{"late.test", "blocked", "closed", at}, 1},
                                   {{"listed.test", "blocked", "block_list", at}, 1},
                               }));
}

}  // namespace
}  // namespace clubsafe::agent::dns
