#include "agent/outbox/outbox.hpp"

#include "agent/outbox/outbox_texts.hpp"
#include "agent/outbox/schema.hpp"
#include "common/batch_codec.hpp"
#include "common/time.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

namespace clubsafe::agent::outbox {
namespace {

constexpr int kBusyTimeoutMs = 5000;
// Candidates for dropping are read this many at a time; one is usually enough.
constexpr std::int64_t kDropChunk = 64;
// Set while an overflow lasts, so a restart does not report it again.
constexpr std::string_view kOverflowSince = "overflow_since";
// The write-ahead log is checkpointed every this many pages and cut back to this size, so the
// room it takes on a full disk stays well inside DiskRoomOptions::marginBytes.
constexpr int kWalCheckpointPages = 128;
constexpr int kWalSizeLimitBytes = 512 * 1024;

Database openDatabase(const std::string& path, Outbox::Access access) {
  try {
    return Database(path, access == Outbox::Access::ReadOnly ? Database::Mode::ReadOnly
                                                             : Database::Mode::ReadWriteCreate);
  } catch (const SqliteError& error) {
    if (access == Outbox::Access::ReadOnly) {
      throw OutboxError("Cannot read the outbox file " + path + " (" + error.what() +
                        "). Run this as root (with sudo), or name the agent's state directory "
                        "with --define agent.state_dir=DIR.");
    }
    throw OutboxError("Cannot open the outbox file " + path + " for writing (" + error.what() +
                      "). Check that the agent runs as root and that its state directory exists "
                      "and is writable.");
  }
}

std::int64_t toMillis(common::Timestamp time) {
  return time.time_since_epoch().count();
}

}  // namespace

std::string outboxPath(const std::string& stateDir) {
  return (std::filesystem::path(stateDir) / "outbox.db").string();
}

Outbox::Outbox(std::string path, Access access, OutboxBounds bounds)
    : path_(std::move(path)), db_(openDatabase(path_, access)), bounds_(std::move(bounds)) {
  sqlite3_busy_timeout(db_.handle(), kBusyTimeoutMs);
  try {
    if (access == Access::ReadWrite) {
      db_.execute("PRAGMA journal_mode=WAL");
      db_.execute("PRAGMA synchronous=FULL");
      db_.execute("PRAGMA wal_autocheckpoint=" + std::to_string(kWalCheckpointPages));
      db_.execute("PRAGMA journal_size_limit=" + std::to_string(kWalSizeLimitBytes));
      createSchema();
      bytes_ = sumBytes();
      neverDroppedBytes_ = sumBytes(true);
      db_.prepare("SELECT 1 FROM meta WHERE key = ?")
          .bind(1, kOverflowSince)
          .forEachRow([&](const Statement&) { overflowing_ = true; });
      room_.emplace(std::filesystem::path(path_).parent_path().string(), bounds_.disk);
    }
    // Reading the table proves the file is a readable outbox, so damage is reported here, once,
    // instead of on the first event.
    (void)depth();
  } catch (const SqliteError& error) {
    fail(error, "opening it");
  }
}

void Outbox::createSchema() {
  int found = 0;
  if (!createOrMigrateSchema(db_, found)) {
    throw OutboxError("The outbox file " + path_ + " was made by a newer clubsafe-agent (schema " +
                      std::to_string(found) +
                      "). Install that version again, or move the file "
                      "aside to start a new, empty outbox.");
  }
}

void Outbox::fail(const SqliteError& error, std::string_view doing) const {
  throw OutboxError(describeFailure(path_, error, doing));
}

Status Outbox::failure(const SqliteError& error, std::string_view doing) const {
  return Status::failure(describeFailure(path_, error, doing));
}

Status Outbox::write(std::string_view doing, const std::function<void()>& transaction) {
  const auto bytes = bytes_;
  const auto neverDroppedBytes = neverDroppedBytes_;
  const auto overflowing = overflowing_;
  const auto pastCap = pastCap_;
  const auto pastNeverDroppedCap = pastNeverDroppedCap_;
  const auto openGap = openGap_;
  for (bool retried = false;; retried = true) {
    try {
      transaction();
      return Status::success();
    } catch (const SqliteError& error) {
      bytes_ = bytes;
      neverDroppedBytes_ = neverDroppedBytes;
      overflowing_ = overflowing;
      pastCap_ = pastCap;
      pastNeverDroppedCap_ = pastNeverDroppedCap;
      openGap_ = openGap;
      if (error.code() == SQLITE_FULL && !retried && room_ && room_->releaseReserve()) continue;
      return failure(error, doing);
    }
  }
}

std::int64_t Outbox::lastSequence() {
  std::int64_t last = 0;
  db_.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'")
      .forEachRow([&](const Statement& row) { last = row.integer(0); });
  return last;
}

void Outbox::raiseSequence(std::int64_t highest) {
  std::optional<std::int64_t> current;
  db_.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'")
      .forEachRow([&](const Statement& row) { current = row.integer(0); });
  if (!current) {
    db_.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('events', ?)")
        .bind(1, highest)
        .run();
  } else if (*current < highest) {
    db_.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'events'").bind(1, highest).run();
  }
}

std::int64_t Outbox::sumBytes(bool neverDroppedOnly) {
  std::int64_t total = 0;
  db_.prepare(neverDroppedOnly ? "SELECT COALESCE(SUM(bytes), 0) FROM events WHERE droppable = 0"
                               : "SELECT COALESCE(SUM(bytes), 0) FROM events")
      .forEachRow([&](const Statement& row) { total = row.integer(0); });
  return total;
}

std::int64_t Outbox::reusableBytes() {
  std::int64_t pages = 0;
  std::int64_t pageSize = 0;
  db_.prepare("PRAGMA freelist_count").forEachRow([&](const Statement& row) {
    pages = row.integer(0);
  });
  db_.prepare("PRAGMA page_size").forEachRow([&](const Statement& row) {
    pageSize = row.integer(0);
  });
  return pages * pageSize;
}

void Outbox::insert(common::Event& event) {
  const auto& info = common::eventTypeInfo(event.type);
  event.sequence = lastSequence() + 1;
  const std::string body = common::encodeEvent(event);
  const auto size = static_cast<std::int64_t>(body.size());
  db_.prepare(
         "INSERT INTO events (seq, priority, time_ms, body, bytes, droppable, type) "
         "VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind(1, event.sequence)
      .bind(2, static_cast<std::int64_t>(info.priority))
      .bind(3, toMillis(event.time))
      .bind(4, body)
      .bind(5, size)
      .bind(6, std::int64_t{info.droppable ? 1 : 0})
      .bind(7, info.name)
      .run();
  bytes_ += size;
  if (!info.droppable) neverDroppedBytes_ += size;
}

std::optional<std::int64_t> Outbox::byteLimit() {
  std::optional<std::int64_t> limit;
  if (bounds_.maxBytes > 0) limit = bounds_.maxBytes;
  if (room_ && room_->update(reusableBytes())) {
    // No room on the disk: the outbox holds what it holds, and only shrinks.
    beginOverflow(false);
    limit = std::min(limit.value_or(bytes_), bytes_);
  }
  return limit;
}

std::string Outbox::limitText() const {
  if (room_ && room_->full()) return "the room left on its disk";
  if (pastNeverDroppedCap_) {
    return "its cap of " + describeCap(bounds_.maxNeverDroppedBytes) +
           " for events that are never dropped";
  }
  return "its cap of " + describeCap(bounds_.maxBytes);
}

void Outbox::beginOverflow(bool nothingToDrop) {
  if (overflowing_) return;
  overflowing_ = true;
  db_.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)")
      .bind(1, kOverflowSince)
      .bind(2, common::formatTimestamp(common::nowUtc()))
      .run();
  const auto limit = limitText();
  // A full disk was logged by DiskRoom already.
  if (!nothingToDrop && !(room_ && room_->full())) {
    spdlog::warn(
        "The outbox {} is at {}: the oldest low-priority events are dropped "
        "and counted until the collector can be reached. Check the laptop's network "
        "and the collector.",
        path_, limit);
  }
  if (!bounds_.overflowEvent) return;
  auto event = bounds_.overflowEvent(
      nothingToDrop ? "The outbox reached " + limit +
                          " holding only events that are never dropped; it grows past it."
                    : "The outbox reached " + limit +
                          "; the oldest low-priority events are dropped and counted in an "
                          "outbox_gap event.");
  insert(event);
}

void Outbox::endOverflowIfBelow(std::int64_t bytes) {
  if (!overflowing_ || (room_ && room_->full())) return;
  if (bounds_.maxBytes > 0 && bytes * 10 > bounds_.maxBytes * 9) return;
  if (bounds_.maxNeverDroppedBytes > 0 &&
      neverDroppedBytes_ * 10 > bounds_.maxNeverDroppedBytes * 9) {
    return;
  }
  db_.prepare("DELETE FROM meta WHERE key = ?").bind(1, kOverflowSince).run();
  overflowing_ = false;
  pastCap_ = false;
  pastNeverDroppedCap_ = false;
  spdlog::info("The outbox {} is below its limits again; nothing more is dropped.", path_);
}

void Outbox::recordDropped(const std::map<std::string, std::int64_t>& dropped) {
  beginOverflow(false);
  if (openGap_) {
    for (const auto& [type, count] : dropped) openGap_->dropped[type] += count;
    openGap_->event.payload = gapPayload(openGap_->dropped, limitText());
    const std::string body = common::encodeEvent(openGap_->event);
    const auto size = static_cast<std::int64_t>(body.size());
    db_.prepare("UPDATE events SET body = ?, bytes = ? WHERE seq = ?")
        .bind(1, body)
        .bind(2, size)
        .bind(3, openGap_->event.sequence)
        .run();
    if (sqlite3_changes(db_.handle()) == 1) {
      bytes_ += size - openGap_->bytes;
      neverDroppedBytes_ += size - openGap_->bytes;
      openGap_->bytes = size;
      return;
    }
    openGap_.reset();
  }
  OpenGap gap{common::Event{}, dropped, 0};
  gap.event.type = common::EventType::OutboxGap;
  gap.event.time = common::nowUtc();
  gap.event.payload = gapPayload(dropped, limitText());
  const auto before = bytes_;
  insert(gap.event);
  gap.bytes = bytes_ - before;
  openGap_ = std::move(gap);
}

bool Outbox::makeRoomFor(common::Event& event) {
  const auto& info = common::eventTypeInfo(event.type);
  event.sequence = lastSequence() + 1;
  const auto size = static_cast<std::int64_t>(common::encodeEvent(event).size());
  if (overNeverDroppedCap(info, size)) {
    recordDropped({{std::string(info.name), 1}});
    raiseSequence(lastSequence() + 1);
    return false;
  }
  const auto limit = byteLimit();
  if (!limit) return true;
  if (bytes_ + size <= *limit) return true;
  if (makeRoom(info, bytes_ + size - *limit)) return true;
  // The dropped newcomer still uses up its number, so the collector sees the gap it counts.
  raiseSequence(lastSequence() + 1);
  return false;
}

bool Outbox::overNeverDroppedCap(const common::EventTypeInfo& info, std::int64_t size) {
  if (info.droppable || bounds_.maxNeverDroppedBytes <= 0 ||
      neverDroppedBytes_ + size <= bounds_.maxNeverDroppedBytes) {
    return false;
  }
  if (!pastNeverDroppedCap_) {
    // Said once per overflow: a flood (a program sending reports without end) would otherwise
    // fill the log as it would have filled the disk.
    pastNeverDroppedCap_ = true;
    spdlog::warn(
        "The outbox {} holds {} of events that are never dropped (alerts, reports, tamper "
        "evidence), its cap for them; more of them are counted in an outbox_gap event until "
        "the collector can be reached. Check the laptop's network and the collector.",
        path_, describeCap(bounds_.maxNeverDroppedBytes));
  }
  return true;
}

bool Outbox::makeRoom(const common::EventTypeInfo& incoming, std::int64_t need) {
  // A droppable event never pushes out one of higher priority than its own.
  const auto ceiling = static_cast<std::int64_t>(incoming.droppable ? incoming.priority
                                                                    : common::Priority::Critical);
  struct Victim {
    std::int64_t sequence;
    std::int64_t bytes;
    std::string type;
  };
  std::vector<Victim> victims;
  std::int64_t freed = 0;
  std::int64_t afterPriority = -1;
  std::int64_t afterSequence = 0;
  auto candidates = db_.prepare(
      "SELECT seq, bytes, type, priority FROM events"
      " WHERE droppable = 1 AND rejected = 0 AND priority <= ? AND (priority, seq) > (?, ?)"
      " ORDER BY priority, seq LIMIT ?");
  for (bool more = true; more && freed < need;) {
    std::int64_t read = 0;
    candidates.bind(1, ceiling)
        .bind(2, afterPriority)
        .bind(3, afterSequence)
        .bind(4, kDropChunk)
        .forEachRow([&](const Statement& row) {
          ++read;
          afterSequence = row.integer(0);
          afterPriority = row.integer(3);
          if (freed >= need ||
              std::binary_search(inFlight_.begin(), inFlight_.end(), row.integer(0))) {
            return;
          }
          victims.push_back({row.integer(0), row.integer(1), row.text(2)});
          freed += row.integer(1);
        });
    more = read == kDropChunk;
  }
  if (incoming.droppable && freed < need) {
    // Dropping what is there would not make room: the newcomer goes instead.
    recordDropped({{std::string(incoming.name), 1}});
    return false;
  }
  if (!victims.empty()) {
    std::map<std::string, std::int64_t> dropped;
    auto erase = db_.prepare("DELETE FROM events WHERE seq = ?");
    for (const auto& victim : victims) {
      erase.bind(1, victim.sequence).run();
      ++dropped[victim.type];
    }
    bytes_ -= freed;
    recordDropped(dropped);
  }
  if (freed < need) {
    beginOverflow(victims.empty());
    if (!pastCap_) {
      // Safeguarding evidence beats the cap; said once per overflow, not per event.
      pastCap_ = true;
      spdlog::warn(
          "The outbox {} is at {} and holds only events that are never "
          "dropped (alerts, tamper evidence, reports), so it grows past it until "
          "the collector can be reached. Check the laptop's network and the collector.",
          path_, limitText());
    }
  }
  return true;
}

void Outbox::setStamp(Stamp stamp) {
  std::lock_guard lock(mutex_);
  stamp_ = std::move(stamp);
}

void Outbox::setOnCritical(OnCritical onCritical) {
  onCritical_ = std::move(onCritical);
}

Status Outbox::append(common::Event& event) {
  const auto status = [&] {
    std::lock_guard lock(mutex_);
    if (stamp_) stamp_(event);
    auto written = write("saving an event", [&] {
      Transaction transaction(db_);
      if (makeRoomFor(event)) {
        insert(event);
      } else {
        event.sequence = 0;
      }
      transaction.commit();
    });
    if (!written.ok()) event.sequence = 0;
    return written;
  }();
  if (status.ok() && event.sequence != 0 && onCritical_ &&
      common::eventTypeInfo(event.type).priority == common::Priority::Critical) {
    onCritical_();
  }
  return status;
}

std::vector<PendingEvent> Outbox::nextBatch(std::size_t max) {
  std::lock_guard lock(mutex_);
  std::vector<PendingEvent> batch;
  const auto read = [&](std::int64_t heldBack) {
    db_.prepare(
           "SELECT seq, body, type FROM events WHERE seq != ? AND rejected = 0"
           " ORDER BY priority DESC, seq LIMIT ?")
        .bind(1, heldBack)
        .bind(2, static_cast<std::int64_t>(max))
        .forEachRow([&](const Statement& row) {
          batch.push_back({row.integer(0), row.text(1), row.text(2)});
        });
  };
  try {
    // The open gap event keeps counting until the collector has confirmed a batch (remove), so
    // an outage gives one gap event, not one per attempt to send. Once it may be on its way it
    // is never changed again.
    read(openGap_ ? openGap_->event.sequence : 0);
    if (batch.empty() && openGap_) {
      openGap_.reset();
      read(0);
    }
  } catch (const SqliteError& error) {
    fail(error, "reading waiting events");
  }
  inFlight_.clear();
  for (const auto& event : batch) inFlight_.push_back(event.sequence);
  std::sort(inFlight_.begin(), inFlight_.end());
  return batch;
}

Status Outbox::remove(std::span<const std::int64_t> sequences) {
  std::lock_guard lock(mutex_);
  auto status = write("removing sent events", [&] {
    Transaction transaction(db_);
    std::int64_t removed = 0;
    auto statement = db_.prepare("DELETE FROM events WHERE seq = ? RETURNING bytes, droppable");
    for (const auto sequence : sequences) {
      statement.bind(1, sequence).forEachRow([&](const Statement& row) {
        removed += row.integer(0);
        if (row.integer(1) == 0) neverDroppedBytes_ -= row.integer(0);
      });
    }
    bytes_ -= removed;
    // The collector is reachable: the gap event goes with the next batch.
    openGap_.reset();
    if (room_) (void)room_->update(reusableBytes());
    endOverflowIfBelow(bytes_);
    transaction.commit();
  });
  if (status.ok()) inFlight_.clear();
  return status;
}

Status Outbox::setAside(std::span<const std::int64_t> sequences, common::Event* report) {
  std::lock_guard lock(mutex_);
  const auto status = write("setting aside refused events", [&] {
    Transaction transaction(db_);
    auto mark = db_.prepare("UPDATE events SET rejected = 1 WHERE seq = ?");
    for (const auto sequence : sequences) mark.bind(1, sequence).run();
    if (report != nullptr) insert(*report);
    transaction.commit();
  });
  if (!status.ok() && report != nullptr) report->sequence = 0;
  return status;
}

Status Outbox::ensureSequenceAbove(std::int64_t highest) {
  std::lock_guard lock(mutex_);
  return write("moving the sequence counter", [&] {
    Transaction transaction(db_);
    raiseSequence(highest);
    transaction.commit();
  });
}

std::int64_t Outbox::depth() {
  std::lock_guard lock(mutex_);
  std::int64_t count = 0;
  try {
    db_.prepare("SELECT COUNT(*) FROM events WHERE rejected = 0")
        .forEachRow([&](const Statement& row) { count = row.integer(0); });
  } catch (const SqliteError& error) {
    fail(error, "counting waiting events");
  }
  return count;
}

std::int64_t Outbox::storedBytes() {
  std::lock_guard lock(mutex_);
  try {
    return sumBytes();
  } catch (const SqliteError& error) {
    fail(error, "counting waiting bytes");
  }
}

std::optional<common::Timestamp> Outbox::oldestPendingTime() {
  std::lock_guard lock(mutex_);
  std::optional<common::Timestamp> oldest;
  try {
    db_.prepare("SELECT MIN(time_ms) FROM events WHERE rejected = 0")
        .forEachRow([&](const Statement& row) {
          if (!row.isNull(0)) oldest = common::Timestamp(std::chrono::milliseconds(row.integer(0)));
        });
  } catch (const SqliteError& error) {
    fail(error, "reading the oldest waiting event");
  }
  return oldest;
}

Status Outbox::setMeta(std::string_view key, std::string_view value) {
  std::lock_guard lock(mutex_);
  return write("recording " + std::string(key), [&] {
    db_.prepare(
           "INSERT INTO meta (key, value) VALUES (?, ?) "
           "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(1, key)
        .bind(2, value)
        .run();
  });
}

std::optional<std::string> Outbox::meta(std::string_view key) {
  std::lock_guard lock(mutex_);
  std::optional<std::string> value;
  try {
    db_.prepare("SELECT value FROM meta WHERE key = ?")
        .bind(1, key)
        .forEachRow([&](const Statement& row) { value = row.text(0); });
  } catch (const SqliteError& error) {
    fail(error, "reading " + std::string(key));
  }
  return value;
}

}  // namespace clubsafe::agent::outbox
