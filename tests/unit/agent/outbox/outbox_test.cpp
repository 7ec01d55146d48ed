#include "agent/outbox/outbox.hpp"

#include "common/batch_codec.hpp"
#include "common/time.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sys/stat.h>

namespace clubsafe::agent::outbox {
namespace {

using common::EventType;

common::Event makeEvent(EventType type, std::int64_t millis = 1'800'000'000'000) {
  common::Event event;
  event.type = type;
  event.time = common::Timestamp(std::chrono::milliseconds(millis));
  if (type == EventType::Heartbeat) {
    event.payload->set("uptime_seconds", 1);
    event.payload->set("queue_depth", 0);
    event.payload->set("agent_version", "test");
  } else if (type == EventType::WorryReport) {
    event.payload->set("about", "someone");
    event.payload->set("message", "help");
  } else if (type == EventType::Tamper) {
    event.payload->set("kind", "hosts");
    event.payload->set("detail", "changed");
  }
  return event;
}

std::int64_t appendOne(Outbox& outbox, EventType type, std::int64_t millis = 1'800'000'000'000) {
  auto event = makeEvent(type, millis);
  const auto status = outbox.append(event);
  EXPECT_TRUE(status.ok()) << status.message();
  return event.sequence;
}

std::vector<std::int64_t> sequences(const std::vector<PendingEvent>& batch) {
  std::vector<std::int64_t> out;
  for (const auto& event : batch) out.push_back(event.sequence);
  return out;
}

class OutboxTest : public ::testing::Test {
 protected:
  clubsafe::testing::TempDir dir_;
  std::string path_ = dir_.file("outbox.db");
};

TEST_F(OutboxTest, AppendAssignsSequencesFromOneAndSurvivesReopen) {
  {
    Outbox outbox(path_, Outbox::Access::ReadWrite);
    EXPECT_EQ(appendOne(outbox, EventType::Heartbeat), 1);
    EXPECT_EQ(appendOne(outbox, EventType::Heartbeat), 2);
  }
  Outbox reopened(path_, Outbox::Access::ReadWrite);
  EXPECT_EQ(reopened.depth(), 2);
  const auto batch = reopened.nextBatch(10);
  ASSERT_EQ(batch.size(), 2u);
  const auto decoded = common::decodeEvent(batch[0].encoded);
  EXPECT_EQ(decoded.sequence, 1);
  EXPECT_EQ(decoded.type, EventType::Heartbeat);
  EXPECT_EQ(decoded.payload->getValue<std::string>("agent_version"), "test");
}

TEST_F(OutboxTest, NextBatchIsHighestPriorityFirstThenOldest) {
  Outbox outbox(path_, Outbox::Access::ReadWrite);
  const auto heartbeat1 = appendOne(outbox, EventType::Heartbeat);
  const auto tamper = appendOne(outbox, EventType::Tamper);
  const auto heartbeat2 = appendOne(outbox, EventType::Heartbeat);
  const auto worry = appendOne(outbox, EventType::WorryReport);
  EXPECT_EQ(sequences(outbox.nextBatch(10)),
            (std::vector<std::int64_t>{worry, tamper, heartbeat1, heartbeat2}));
  EXPECT_EQ(sequences(outbox.nextBatch(2)), (std::vector<std::int64_t>{worry, tamper}));
}

TEST_F(OutboxTest, RemoveDeletesExactlyTheGivenEvents) {
  Outbox outbox(path_, Outbox::Access::ReadWrite);
  for (int i = 0; i < 4; ++i) (void)appendOne(outbox, EventType::Heartbeat);
  const std::vector<std::int64_t> sent{1, 3};
  ASSERT_TRUE(outbox.remove(sent).ok());
  EXPECT_EQ(sequences(outbox.nextBatch(10)), (std::vector<std::int64_t>{2, 4}));
  EXPECT_EQ(outbox.depth(), 2);
}

TEST_F(OutboxTest, SequenceIsNeverReusedAfterDeleteAndReopen) {
  {
    Outbox outbox(path_, Outbox::Access::ReadWrite);
    (void)appendOne(outbox, EventType::Heartbeat);
    (void)appendOne(outbox, EventType::Heartbeat);
    const std::vector<std::int64_t> all{1, 2};
    ASSERT_TRUE(outbox.remove(all).ok());
    EXPECT_EQ(outbox.depth(), 0);
  }
  Outbox reopened(path_, Outbox::Access::ReadWrite);
  EXPECT_EQ(appendOne(reopened, EventType::Heartbeat), 3);
}

TEST_F(OutboxTest, EnsureSequenceAboveMovesTheCounterForwardOnly) {
  Outbox outbox(path_, Outbox::Access::ReadWrite);
  ASSERT_TRUE(outbox.ensureSequenceAbove(41).ok());
  EXPECT_EQ(appendOne(outbox, EventType::Heartbeat), 42);
  ASSERT_TRUE(outbox.ensureSequenceAbove(10).ok());
  EXPECT_EQ(appendOne(outbox, EventType::Heartbeat), 43);
  ASSERT_TRUE(outbox.ensureSequenceAbove(43).ok());
  EXPECT_EQ(appendOne(outbox, EventType::Heartbeat), 44);
  ASSERT_TRUE(outbox.ensureSequenceAbove(100).ok());
  EXPECT_EQ(appendOne(outbox, EventType::Heartbeat), 101);
}

TEST_F(OutboxTest, OldestPendingTimeIsTheEarliestWaitingEvent) {
  Outbox outbox(path_, Outbox::Access::ReadWrite);
  EXPECT_FALSE(outbox.oldestPendingTime().has_value());
  (void)appendOne(outbox, EventType::Heartbeat, 2'000);
  (void)appendOne(outbox, EventType::Heartbeat, 1'000);
  ASSERT_TRUE(outbox.oldestPendingTime().has_value());
  EXPECT_EQ(outbox.oldestPendingTime()->time_since_epoch().count(), 1'000);
}

TEST_F(OutboxTest, MetaValuesAreStoredReplacedAndReadByAReadOnlyReader) {
  {
    Outbox outbox(path_, Outbox::Access::ReadWrite);
    EXPECT_FALSE(outbox.meta(kLastError).has_value());
    ASSERT_TRUE(outbox.setMeta(kLastError, "first").ok());
    ASSERT_TRUE(outbox.setMeta(kLastError, "second").ok());
    (void)appendOne(outbox, EventType::Heartbeat);
    Outbox reader(path_, Outbox::Access::ReadOnly);
    EXPECT_EQ(reader.meta(kLastError), "second");
    EXPECT_EQ(reader.depth(), 1);
  }
  Outbox reader(path_, Outbox::Access::ReadOnly);
  EXPECT_EQ(reader.meta(kLastError), "second");
}

TEST_F(OutboxTest, AFileThatIsNotAnOutboxGivesAnErrorNamingItAndWhatToDo) {
  {
    std::ofstream garbage(path_);
    garbage << std::string(8192, 'x');
  }
  try {
    Outbox outbox(path_, Outbox::Access::ReadWrite);
    FAIL() << "opened a damaged file";
  } catch (const OutboxError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(path_), std::string::npos) << message;
    EXPECT_NE(message.find("damaged"), std::string::npos) << message;
    EXPECT_NE(message.find("move the file aside"), std::string::npos) << message;
  }
}

TEST_F(OutboxTest, AMissingDirectoryGivesAnErrorNamingTheFile) {
  const auto path = dir_.file("missing/outbox.db");
  try {
    Outbox outbox(path, Outbox::Access::ReadWrite);
    FAIL() << "opened a file in a missing directory";
  } catch (const OutboxError& error) {
    EXPECT_NE(std::string(error.what()).find(path), std::string::npos) << error.what();
  }
}

TEST_F(OutboxTest, ReadingAMissingFileFailsWithoutCreatingIt) {
  EXPECT_THROW(Outbox(path_, Outbox::Access::ReadOnly), OutboxError);
  struct stat info {};
  EXPECT_NE(::stat(path_.c_str(), &info), 0);
}

}  // namespace
}  // namespace clubsafe::agent::outbox
