#include "agent/outbox/outbox.hpp"

#include "common/batch_codec.hpp"
#include "common/time.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/agent/outbox/outbox_test_events.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <fstream>
#include <map>
#include <set>

namespace clubsafe::agent::outbox {
namespace {

using common::EventType;

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

TEST_F(OutboxTest, TheStampFillsInWhoAndWhichProfileAsEachEventIsStored) {
  Outbox outbox(path_, Outbox::Access::ReadWrite);
  std::string member = "Sam";
  outbox.setStamp([&member](common::Event& event) {
    event.member = member;
    event.profile = "juniors";
  });
  (void)appendOne(outbox, EventType::Heartbeat);
  member = "Alex";
  (void)appendOne(outbox, EventType::Heartbeat);

  const auto batch = outbox.nextBatch(10);
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(common::decodeEvent(batch[0].encoded).member, "Sam");
  EXPECT_EQ(common::decodeEvent(batch[1].encoded).member, "Alex");
  EXPECT_EQ(common::decodeEvent(batch[1].encoded).profile, "juniors");
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

TEST_F(OutboxTest, AFullOutboxDropsTheOldestLowPriorityEventsKeepsEveryAlertAndCountsTheGap) {
  const auto cap = 40 * encodedSize(EventType::DnsDecision);
  std::map<EventType, int> appended;
  std::map<EventType, int> kept;
  {
    Outbox outbox(path_, Outbox::Access::ReadWrite, capOf(cap));
    // A week offline: mostly DNS aggregates and heartbeats, with visits, alerts and tamper
    // evidence among them.
    for (int i = 0; i < 600; ++i) {
      EventType type = EventType::DnsDecision;
      if (i % 5 == 0) type = EventType::Heartbeat;
      if (i % 7 == 0) type = EventType::BrowserVisit;
      if (i % 50 == 0) type = EventType::SafeguardingAlert;
      if (i % 97 == 0) type = EventType::Tamper;
      if (i % 150 == 0) type = EventType::WorryReport;
      auto event = makeEvent(type, 1'800'000'000'000 + i);
      ASSERT_TRUE(outbox.append(event).ok());
      ++appended[type];
      if (event.sequence != 0) ++kept[type];
    }
    EXPECT_LE(outbox.storedBytes(), cap + 2 * encodedSize(EventType::SafeguardingAlert));
  }
  Outbox reopened(path_, Outbox::Access::ReadWrite, capOf(cap));
  auto contents = contentsOf(reopened);
  EXPECT_EQ(contents.byType.at(EventType::SafeguardingAlert),
            appended[EventType::SafeguardingAlert]);
  EXPECT_EQ(contents.byType.at(EventType::WorryReport), appended[EventType::WorryReport]);
  // The test's own tamper events, and one for the overflow.
  EXPECT_EQ(contents.byType.at(EventType::Tamper), appended[EventType::Tamper] + 1);
  EXPECT_EQ(std::count(contents.tamperKinds.begin(), contents.tamperKinds.end(), "outbox_overflow"),
            1);
  // Low priority goes before normal: visits are still there, DNS and heartbeats mostly gone.
  EXPECT_GT(contents.byType.at(EventType::BrowserVisit), 0);
  EXPECT_LT(contents.byType[EventType::DnsDecision], appended[EventType::DnsDecision]);
  // Nothing lost silently: every droppable event is either waiting or counted in the gap.
  std::int64_t droppableAppended = 0;
  std::int64_t droppableWaiting = 0;
  for (const auto type : {EventType::DnsDecision, EventType::Heartbeat, EventType::BrowserVisit}) {
    droppableAppended += appended[type];
    droppableWaiting += contents.byType[type];
  }
  EXPECT_EQ(contents.gapEvents, 1);
  EXPECT_EQ(contents.gapDropped, droppableAppended - droppableWaiting);
  EXPECT_GT(contents.gapDropped, 0);
  // After the restart the counts are the same as the rows.
  EXPECT_EQ(reopened.depth(), static_cast<std::int64_t>(contents.sequences.size()));
  EXPECT_EQ(reopened.storedBytes(), contents.bytes);
  // Sequence numbers stay unique and go on from the highest given.
  const auto next = appendOne(reopened, EventType::SafeguardingAlert);
  EXPECT_GT(next, *contents.sequences.rbegin());
}

TEST_F(OutboxTest, ADroppableEventNeverPushesOutOneOfHigherPriority) {
  const auto visit = encodedSize(EventType::BrowserVisit);
  Outbox outbox(path_, Outbox::Access::ReadWrite, capOf(3 * visit + visit / 2));
  for (int i = 0; i < 3; ++i) (void)appendOne(outbox, EventType::BrowserVisit);
  auto heartbeat = makeEvent(EventType::Heartbeat);
  ASSERT_TRUE(outbox.append(heartbeat).ok());
  EXPECT_EQ(heartbeat.sequence, 0);
  const auto contents = contentsOf(outbox);
  EXPECT_EQ(contents.byType.at(EventType::BrowserVisit), 3);
  EXPECT_EQ(contents.byType.count(EventType::Heartbeat), 0u);
  EXPECT_EQ(contents.gapDropped, 1);
}

TEST_F(OutboxTest, EventsNeverDroppedAreAcceptedPastTheCapWithOneOverflowEvent) {
  const auto alert = encodedSize(EventType::SafeguardingAlert);
  Outbox outbox(path_, Outbox::Access::ReadWrite, capOf(2 * alert));
  for (int i = 0; i < 10; ++i) (void)appendOne(outbox, EventType::SafeguardingAlert);
  const auto contents = contentsOf(outbox);
  EXPECT_EQ(contents.byType.at(EventType::SafeguardingAlert), 10);
  EXPECT_EQ(contents.tamperKinds, std::vector<std::string>{"outbox_overflow"});
  EXPECT_EQ(contents.gapEvents, 0);
  EXPECT_GT(outbox.storedBytes(), 2 * alert);
}

// Issue 14: 2,000 worry reports made an outbox capped at 2 MB grow to 17.4 MB and pushed out
// another account's visits. Events never dropped have a cap of their own now.
TEST_F(OutboxTest, AFloodOfNeverDroppedEventsStopsAtTheirCapCountedInTheGapAndEvictsNothing) {
  const auto worry = encodedSize(EventType::WorryReport);
  const auto visit = encodedSize(EventType::BrowserVisit);
  auto bounds = capOf(20 * visit + 5 * worry);
  bounds.maxNeverDroppedBytes = 5 * worry;
  Outbox outbox(path_, Outbox::Access::ReadWrite, bounds);
  for (int i = 0; i < 11; ++i) (void)appendOne(outbox, EventType::BrowserVisit);
  int kept = 0;
  for (int i = 0; i < 300; ++i) kept += appendOne(outbox, EventType::WorryReport) != 0 ? 1 : 0;
  auto contents = contentsOf(outbox);
  EXPECT_EQ(contents.byType.at(EventType::BrowserVisit), 11);
  EXPECT_EQ(contents.byType.at(EventType::WorryReport), kept);
  EXPECT_GE(kept, 3);
  EXPECT_LE(kept, 5);
  EXPECT_EQ(contents.gapDropped, 300 - kept);
  EXPECT_EQ(contents.tamperKinds, std::vector<std::string>{"outbox_overflow"});
  EXPECT_LE(outbox.storedBytes(), 20 * visit + 5 * worry + 2 * worry);  // and the gap, tamper
  // Droppable events still have their room, and a reopened outbox knows what it holds.
  EXPECT_NE(appendOne(outbox, EventType::BrowserVisit), 0);
  Outbox reopened(path_, Outbox::Access::ReadWrite, bounds);
  EXPECT_EQ(appendOne(reopened, EventType::WorryReport), 0);
  // Once the collector has them, reports are taken again.
  ASSERT_TRUE(reopened.remove(sequences(reopened.nextBatch(1000))).ok());
  ASSERT_TRUE(reopened.remove(sequences(reopened.nextBatch(1000))).ok());
  EXPECT_NE(appendOne(reopened, EventType::WorryReport), 0);
}

TEST_F(OutboxTest, OneGapEventCountsAnOutageAndLeavesOnceTheCollectorConfirmsABatch) {
  const auto dns = encodedSize(EventType::DnsDecision);
  Outbox outbox(path_, Outbox::Access::ReadWrite, capOf(10 * dns));
  // The collector is away: every attempt to send takes a batch and fails.
  for (int attempt = 0; attempt < 5; ++attempt) {
    for (int i = 0; i < 10; ++i) (void)appendOne(outbox, EventType::DnsDecision);
    EXPECT_TRUE(gapCounts(outbox.nextBatch(100)).empty()) << "held back while it counts";
  }
  const auto first = outbox.nextBatch(100);
  EXPECT_EQ(outbox.depth(), static_cast<std::int64_t>(first.size()) + 1);
  const auto waiting = contentsOf(outbox).byType.at(EventType::DnsDecision);
  // The collector confirms a batch: the gap event, with every drop of the outage, goes next.
  ASSERT_TRUE(outbox.remove(sequences(first)).ok());
  const auto second = outbox.nextBatch(100);
  ASSERT_EQ(gapCounts(second), std::vector<std::int64_t>{50 - waiting});
  // Drops after that start a new gap event; the one taken is not changed.
  for (int i = 0; i < 15; ++i) (void)appendOne(outbox, EventType::DnsDecision);
  EXPECT_EQ(gapCounts(outbox.nextBatch(100)), std::vector<std::int64_t>{50 - waiting});
  ASSERT_TRUE(outbox.remove(sequences(second)).ok());
  EXPECT_EQ(gapCounts(outbox.nextBatch(100)).size(), 1u);
  // Everything confirmed: the overflow is over, and the next one is reported again.
  ASSERT_TRUE(outbox.remove(sequences(outbox.nextBatch(100))).ok());
  EXPECT_EQ(outbox.storedBytes(), 0);
  for (int i = 0; i < 20; ++i) (void)appendOne(outbox, EventType::DnsDecision);
  const auto third = contentsOf(outbox);
  EXPECT_EQ(third.tamperKinds, std::vector<std::string>{"outbox_overflow"});
}

// CI found a gap event counting 11 more drops than there were missing numbers: the oldest
// events were dropped to make room while a batch holding them was on its way to the collector.
TEST_F(OutboxTest, ABatchOnItsWayIsNeverDroppedSoTheGapCountsOnlyEventsThatNeverArrive) {
  const auto dns = encodedSize(EventType::DnsDecision);
  Outbox outbox(path_, Outbox::Access::ReadWrite, capOf(10 * dns));
  for (int i = 0; i < 8; ++i) (void)appendOne(outbox, EventType::DnsDecision);
  const auto onItsWay = sequences(outbox.nextBatch(3));
  for (int i = 0; i < 20; ++i) (void)appendOne(outbox, EventType::DnsDecision);
  const auto during = contentsOf(outbox);
  for (const auto sequence : onItsWay) EXPECT_EQ(during.sequences.count(sequence), 1u) << sequence;
  EXPECT_EQ(during.gapDropped, 28 - during.byType.at(EventType::DnsDecision));
  // Confirmed, the batch leaves; the next one is what is protected now, not the old.
  ASSERT_TRUE(outbox.remove(onItsWay).ok());
  const auto next = sequences(outbox.nextBatch(2));
  for (int i = 0; i < 20; ++i) (void)appendOne(outbox, EventType::DnsDecision);
  const auto after = contentsOf(outbox);
  for (const auto sequence : next) EXPECT_EQ(after.sequences.count(sequence), 1u) << sequence;
  EXPECT_EQ(after.gapDropped, 48 - static_cast<std::int64_t>(onItsWay.size()) -
                                  after.byType.at(EventType::DnsDecision));
}

TEST_F(OutboxTest, AnOutboxFromBeforeTheCapKeepsItsEventsAndTakesNewOnes) {
  {
    Database db(path_, Database::Mode::ReadWriteCreate);
    db.execute(
        "CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, priority INTEGER NOT NULL,"
        " time_ms INTEGER NOT NULL, body TEXT NOT NULL, bytes INTEGER NOT NULL)");
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    auto event = makeEvent(EventType::Heartbeat);
    event.sequence = 1;
    const auto body = common::encodeEvent(event);
    db.prepare("INSERT INTO events (seq, priority, time_ms, body, bytes) VALUES (1, 0, 0, ?, ?)")
        .bind(1, body)
        .bind(2, static_cast<std::int64_t>(body.size()))
        .run();
    db.execute("PRAGMA user_version = 1");
  }
  const auto heartbeat = encodedSize(EventType::Heartbeat);
  Outbox outbox(path_, Outbox::Access::ReadWrite, capOf(2 * heartbeat));
  EXPECT_EQ(outbox.storedBytes(), heartbeat - 3);  // sequence 1 against 1000
  EXPECT_EQ(appendOne(outbox, EventType::Heartbeat), 2);
  // The old heartbeat is kept, not dropped: the newer one makes room (3 and 4 are the overflow's
  // tamper and gap events).
  EXPECT_EQ(appendOne(outbox, EventType::Heartbeat), 5);
  const auto contents = contentsOf(outbox);
  EXPECT_EQ(contents.sequences, (std::set<std::int64_t>{1, 3, 4, 5}));
  EXPECT_EQ(contents.gapDropped, 1);
}

}  // namespace
}  // namespace clubsafe::agent::outbox
