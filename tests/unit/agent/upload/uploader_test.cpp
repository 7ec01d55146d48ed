#include "agent/upload/uploader.hpp"

#include "common/batch_codec.hpp"
#include "common/time.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <set>
#include <sstream>
#include <thread>

namespace clubsafe::agent::upload {
namespace {

using std::chrono::milliseconds;

// Answers with scripted results, then as the collector would: refusing as malformed a batch
// with an event whose payload holds `refuseMarker` (or a `rejected` event, when told to), and
// otherwise storing it. Keeps every batch, and what it stored.
class FakeSender : public BatchSender {
 public:
  SendResult send(const std::string& batchJson) override {
    batches.push_back(common::decodeBatch(batchJson));
    if (!script.empty()) {
      auto result = script.front();
      script.pop_front();
      return result;
    }
    for (const auto& event : batches.back().events) {
      std::ostringstream payload;
      event.payload->stringify(payload);
      if ((!refuseMarker.empty() && payload.str().find(refuseMarker) != std::string::npos) ||
          (refuseReports && event.type == common::EventType::Rejected)) {
        return Rejected{400, "Event " + std::to_string(event.sequence) + " is malformed."};
      }
    }
    std::int64_t highest = 0;
    for (const auto& event : batches.back().events) {
      highest = std::max(highest, event.sequence);
      stored.push_back(event);
    }
    return Stored{highest};
  }

  [[nodiscard]] std::vector<std::int64_t> sentSequences(std::size_t batch) const {
    std::vector<std::int64_t> out;
    for (const auto& event : batches.at(batch).events) out.push_back(event.sequence);
    return out;
  }

  std::deque<SendResult> script;
  std::string refuseMarker;
  bool refuseReports = false;
  std::vector<common::Batch> batches;
  std::vector<common::Event> stored;
};

class UploaderTest : public ::testing::Test {
 protected:
  void appendHeartbeats(int count, const std::string& version = "test") {
    for (int i = 0; i < count; ++i) {
      common::Event event;
      event.time = common::nowUtc();
      event.payload->set("uptime_seconds", i);
      event.payload->set("queue_depth", 0);
      event.payload->set("agent_version", version);
      ASSERT_TRUE(outbox_.append(event).ok());
    }
  }

  // A Critical event.
  void appendWorryReport() {
    common::Event worry;
    worry.type = common::EventType::WorryReport;
    worry.time = common::nowUtc();
    worry.payload->set("about", "someone online");
    worry.payload->set("message", "help");
    ASSERT_TRUE(outbox_.append(worry).ok());
  }

  // Uploads until the outbox is empty; each wait returned, in order.
  std::vector<milliseconds> uploadAll(Uploader& uploader) {
    std::vector<milliseconds> waits;
    while (outbox_.depth() > 0 && waits.size() < 100) waits.push_back(uploader.uploadOnce());
    return waits;
  }

  std::vector<common::Event> storedOfType(common::EventType type) const {
    std::vector<common::Event> found;
    for (const auto& event : sender_.stored) {
      if (event.type == type) found.push_back(event);
    }
    return found;
  }

  Uploader makeUploader(std::size_t batchSize) {
    UploaderOptions options;
    options.deviceId = "dev_test";
    options.batchSize = batchSize;
    options.idleInterval = milliseconds(2000);
    options.backoffInitial = milliseconds(1000);
    options.backoffMax = milliseconds(8000);
    return Uploader(outbox_, sender_, options, 42);
  }

  std::vector<std::int64_t> waitingSequences() {
    std::vector<std::int64_t> out;
    for (const auto& event : outbox_.nextBatch(100)) out.push_back(event.sequence);
    return out;
  }

  clubsafe::testing::TempDir dir_;
  outbox::Outbox outbox_{dir_.file("outbox.db"), outbox::Outbox::Access::ReadWrite};
  FakeSender sender_;
};

TEST_F(UploaderTest, AnEmptyOutboxSendsNothingAndWaitsTheIdleInterval) {
  auto uploader = makeUploader(10);
  EXPECT_EQ(uploader.uploadOnce(), milliseconds(2000));
  EXPECT_TRUE(sender_.batches.empty());
}

TEST_F(UploaderTest, SendsBatchesOfAtMostTheBatchSizeWithTheBacklogAndRemovesThemWhenStored) {
  appendHeartbeats(5);
  auto uploader = makeUploader(2);

  EXPECT_EQ(uploader.uploadOnce(), milliseconds(0));
  ASSERT_EQ(sender_.batches.size(), 1u);
  EXPECT_EQ(sender_.batches[0].header.deviceId, "dev_test");
  EXPECT_EQ(sender_.batches[0].header.backlog, 3);
  EXPECT_EQ(sender_.sentSequences(0), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(waitingSequences(), (std::vector<std::int64_t>{3, 4, 5}));

  EXPECT_EQ(uploader.uploadOnce(), milliseconds(0));
  EXPECT_EQ(uploader.uploadOnce(), milliseconds(2000));
  EXPECT_EQ(sender_.sentSequences(2), (std::vector<std::int64_t>{5}));
  EXPECT_EQ(sender_.batches[2].header.backlog, 0);
  EXPECT_EQ(outbox_.depth(), 0);
  EXPECT_TRUE(outbox_.meta(outbox::kLastUploadSuccess).has_value());
}

TEST_F(UploaderTest, NothingIsRemovedUnlessTheCollectorConfirms) {
  appendHeartbeats(3);
  auto uploader = makeUploader(10);
  sender_.script = {Unavailable{"connection refused"}, Unauthorized{"device revoked"},
                    Rejected{403, "wrong device"}};
  for (int i = 0; i < 3; ++i) {
    (void)uploader.uploadOnce();
    EXPECT_EQ(waitingSequences(), (std::vector<std::int64_t>{1, 2, 3})) << "attempt " << i;
  }
  EXPECT_EQ(sender_.batches.size(), 3u);
  EXPECT_FALSE(outbox_.meta(outbox::kLastUploadSuccess).has_value());

  (void)uploader.uploadOnce();
  EXPECT_EQ(outbox_.depth(), 0);
}

TEST_F(UploaderTest, ARefusedEventIsFoundByHalvingSetAsideAndReportedWhileTheRestFlows) {
  appendHeartbeats(6);
  appendHeartbeats(1, "refuse-me");  // sequence 7
  appendHeartbeats(9);
  auto uploader = makeUploader(16);
  sender_.refuseMarker = "refuse-me";

  const auto waits = uploadAll(uploader);
  // Splitting never waits: the collector answered, and the rest should flow.
  ASSERT_FALSE(waits.empty());
  for (std::size_t i = 0; i + 1 < waits.size(); ++i) EXPECT_EQ(waits[i], milliseconds(0)) << i;
  // 16 -> 8 -> 4 -> 2 -> 1 refused, with their other halves stored, then the report.
  EXPECT_LE(sender_.batches.size(), 10u);
  EXPECT_EQ(outbox_.depth(), 0);
  std::set<std::int64_t> stored;
  for (const auto& event : storedOfType(common::EventType::Heartbeat))
    stored.insert(event.sequence);
  EXPECT_EQ(stored.size(), 15u);
  EXPECT_EQ(stored.count(7), 0u);

  const auto reports = storedOfType(common::EventType::Rejected);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].payload->getValue<Poco::Int64>("count"), 1);
  EXPECT_EQ(reports[0].payload->getValue<std::string>("reason"), "Event 7 is malformed.");
  const auto sequences = reports[0].payload->getArray("sequences");
  ASSERT_EQ(sequences->size(), 1u);
  EXPECT_EQ(sequences->getElement<std::string>(0), "7");

  // Set aside, not lost: the refused event is still in the file, never sent again.
  outbox::Database file(dir_.file("outbox.db"), outbox::Database::Mode::ReadOnly);
  std::vector<std::int64_t> setAside;
  file.prepare("SELECT seq FROM events WHERE rejected = 1").forEachRow([&](const auto& row) {
    setAside.push_back(row.integer(0));
  });
  EXPECT_EQ(setAside, std::vector<std::int64_t>{7});
  const auto sent = sender_.batches.size();
  appendHeartbeats(1);
  (void)uploader.uploadOnce();
  EXPECT_EQ(sender_.sentSequences(sent), std::vector<std::int64_t>{18});  // 17: the report
}

TEST_F(UploaderTest, ANetworkFailureWhileHalvingBacksOffAndResumesWithTheSameHalf) {
  appendHeartbeats(3);
  appendHeartbeats(1, "refuse-me");
  auto uploader = makeUploader(4);
  sender_.refuseMarker = "refuse-me";
  EXPECT_EQ(uploader.uploadOnce(), milliseconds(0));  // refused: halves {1,2} and {3,4}
  sender_.script = {Unavailable{"down"}};
  EXPECT_GE(uploader.uploadOnce().count(), 500);
  EXPECT_EQ(sender_.sentSequences(1), (std::vector<std::int64_t>{1, 2}));
  uploadAll(uploader);
  EXPECT_EQ(storedOfType(common::EventType::Heartbeat).size(), 3u);
  EXPECT_EQ(storedOfType(common::EventType::Rejected).size(), 1u);
}

TEST_F(UploaderTest, AReportTheCollectorRefusesTooIsSetAsideWithoutAnotherReport) {
  appendHeartbeats(1, "refuse-me");
  appendHeartbeats(1);
  auto uploader = makeUploader(4);
  sender_.refuseMarker = "refuse-me";
  sender_.refuseReports = true;
  const auto waits = uploadAll(uploader);
  EXPECT_LT(waits.size(), 10u);
  EXPECT_EQ(outbox_.depth(), 0);
  EXPECT_EQ(storedOfType(common::EventType::Heartbeat).size(), 1u);
  EXPECT_TRUE(storedOfType(common::EventType::Rejected).empty());
}

TEST_F(UploaderTest, AFailureIsRecordedForStatus) {
  appendHeartbeats(1);
  auto uploader = makeUploader(10);
  sender_.script = {Unavailable{"connection refused"}};
  (void)uploader.uploadOnce();
  const auto error = outbox_.meta(outbox::kLastError);
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("connection refused"), std::string::npos) << *error;
  const auto time = outbox_.meta(outbox::kLastErrorTime);
  ASSERT_TRUE(time.has_value());
  EXPECT_TRUE(common::parseTimestamp(*time).has_value()) << *time;
}

TEST_F(UploaderTest, FailuresBackOffExponentiallyAndASuccessResetsTheBackOff) {
  appendHeartbeats(1);
  auto uploader = makeUploader(10);
  sender_.script = {Unavailable{"down"}, Unavailable{"down"}, Unavailable{"down"},
                    Unavailable{"down"}, Unavailable{"down"}};
  const std::vector<std::int64_t> steps{1000, 2000, 4000, 8000, 8000};
  for (const auto step : steps) {
    const auto wait = uploader.uploadOnce().count();
    EXPECT_GE(wait, step / 2);
    EXPECT_LE(wait, step);
  }
  EXPECT_EQ(uploader.uploadOnce(), milliseconds(2000));  // stored; the outbox is now empty
  appendHeartbeats(1);
  sender_.script = {Unavailable{"down again"}};
  EXPECT_LE(uploader.uploadOnce().count(), 1000);
}

TEST_F(UploaderTest, TooLargeHalvesTheBatchUntilItFitsThenGrowsBack) {
  appendHeartbeats(8);
  auto uploader = makeUploader(8);
  sender_.script = {Rejected{413, "too large"}, Rejected{413, "too large"}};

  EXPECT_EQ(uploader.uploadOnce(), milliseconds(0));
  EXPECT_EQ(sender_.batches[0].events.size(), 8u);
  EXPECT_EQ(uploader.uploadOnce(), milliseconds(0));
  EXPECT_EQ(sender_.batches[1].events.size(), 4u);
  EXPECT_EQ(outbox_.depth(), 8);

  EXPECT_EQ(uploader.uploadOnce(), milliseconds(0));
  EXPECT_EQ(sender_.sentSequences(2), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(outbox_.depth(), 6);
  EXPECT_EQ(uploader.batchSize(), 4u);
}

TEST_F(UploaderTest, AnEventTooLargeOnItsOwnStaysAndBacksOff) {
  appendHeartbeats(1);
  auto uploader = makeUploader(4);
  sender_.script = {Rejected{413, "too large"}};
  const auto wait = uploader.uploadOnce();
  EXPECT_GE(wait.count(), 500);
  EXPECT_EQ(outbox_.depth(), 1);
  EXPECT_EQ(uploader.batchSize(), 1u);
}

TEST_F(UploaderTest, TheCollectorsHighestSequenceMovesOurCounterPastIt) {
  appendHeartbeats(1);
  auto uploader = makeUploader(10);
  sender_.script = {Stored{500}};
  (void)uploader.uploadOnce();
  appendHeartbeats(1);
  EXPECT_EQ(waitingSequences(), (std::vector<std::int64_t>{501}));
}

TEST_F(UploaderTest, ACriticalEventIsSentAtOnceNotAtTheNextTick) {
  UploaderOptions options;
  options.deviceId = "dev_test";
  options.idleInterval = std::chrono::hours(1);
  Uploader uploader(outbox_, sender_, options);
  outbox_.setOnCritical([&uploader] { uploader.sendSoon(); });
  std::thread thread([&] { uploader.run(); });
  std::this_thread::sleep_for(milliseconds(100));  // idle, with an hour to wait

  appendHeartbeats(1);  // not urgent: waits for the tick
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_TRUE(sender_.stored.empty());

  appendWorryReport();
  for (int i = 0; i < 100 && outbox_.depth() > 0; ++i)
    std::this_thread::sleep_for(milliseconds(50));
  uploader.stop();
  thread.join();
  EXPECT_EQ(outbox_.depth(), 0);
  ASSERT_FALSE(storedOfType(common::EventType::WorryReport).empty());
}

TEST_F(UploaderTest, ACriticalEventDoesNotCutShortABackOff) {
  UploaderOptions options;
  options.deviceId = "dev_test";
  options.idleInterval = std::chrono::hours(1);
  options.backoffInitial = std::chrono::hours(1);
  options.backoffMax = std::chrono::hours(1);
  Uploader uploader(outbox_, sender_, options);
  outbox_.setOnCritical([&uploader] { uploader.sendSoon(); });
  appendHeartbeats(1);
  sender_.script = {Unavailable{"connection refused"}};
  std::thread thread([&] { uploader.run(); });
  for (int i = 0; i < 100 && sender_.batches.empty(); ++i)
    std::this_thread::sleep_for(milliseconds(20));

  appendWorryReport();
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(sender_.batches.size(), 1U);  // still backing off: the outage is not hammered
  uploader.stop();
  thread.join();
}

TEST_F(UploaderTest, StopWakesARunningUploaderAtOnce) {
  UploaderOptions options;
  options.deviceId = "dev_test";
  options.idleInterval = std::chrono::hours(1);
  Uploader uploader(outbox_, sender_, options);
  const auto started = std::chrono::steady_clock::now();
  std::thread thread([&] { uploader.run(); });
  std::this_thread::sleep_for(milliseconds(50));
  uploader.stop();
  thread.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

}  // namespace
}  // namespace clubsafe::agent::upload
