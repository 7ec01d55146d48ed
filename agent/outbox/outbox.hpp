#pragma once

#include "agent/outbox/disk_room.hpp"
#include "agent/outbox/sqlite.hpp"
#include "common/event.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::agent::outbox {

// Opening the outbox failed, or a read of it did; the message names the file and what to do.
class OutboxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The outcome of a write to the outbox. Writes report failure this way instead of throwing,
// so a full disk on the recording path is one checked value, not an exception per event.
class [[nodiscard]] Status {
 public:
  static Status success() { return Status({}); }
  static Status failure(std::string message) { return Status(std::move(message)); }

  [[nodiscard]] bool ok() const { return message_.empty(); }
  [[nodiscard]] const std::string& message() const { return message_; }

 private:
  explicit Status(std::string message) : message_(std::move(message)) {}
  std::string message_;
};

// One stored event, ready to send: its sequence number, its encodeEvent text and its type's
// wire name (empty for events saved before the outbox recorded types).
struct PendingEvent {
  std::int64_t sequence = 0;
  std::string encoded;
  std::string type;
};

// Keys of the small meta table that `clubsafe-agent status` reads.
inline constexpr std::string_view kLastUploadSuccess = "last_upload_success";
inline constexpr std::string_view kLastError = "last_error";
inline constexpr std::string_view kLastErrorTime = "last_error_time";

// Limits on what the outbox keeps on disk (SPEC R6).
struct OutboxBounds {
  // Most bytes of event text kept waiting (SQLite's pages and indexes add about a third on
  // disk); 0 keeps everything.
  std::int64_t maxBytes = 0;
  // Most bytes of events that are never dropped kept waiting (alerts, worry reports, tamper
  // evidence); 0 keeps them all. Beyond it such an event is counted in the gap event instead,
  // so a flood of them can neither push out everything else nor fill the disk.
  std::int64_t maxNeverDroppedBytes = 0;
  // Makes the tamper event recorded once when an overflow begins, from a sentence saying what
  // happened; none is recorded when empty.
  std::function<common::Event(const std::string& detail)> overflowEvent;
  // Room kept on the file system for a full disk (ReadWrite only).
  DiskRoomOptions disk{};
};

// The outbox file inside the agent's state directory.
[[nodiscard]] std::string outboxPath(const std::string& stateDir);

// The durable queue between recording and uploading (SPEC R6). Every event is committed to a
// SQLite file (WAL, synchronous=FULL) before append returns, and stays there until the
// collector has confirmed it. Sequence numbers come from AUTOINCREMENT, so they are never
// reused, even after rows are deleted. Safe to share between threads.
//
// With a byte cap, an event that does not fit makes room by dropping the oldest droppable
// events of its priority or lower (lowest priority first), never one of the batch on its way to
// the collector; a droppable event that still does not fit is dropped itself. What is dropped
// is counted in an outbox_gap event, updated in place and held back from nextBatch until the
// collector confirms a batch (remove), so an outage gives one gap event; the overflow's start
// is recorded once (see OutboxBounds::overflowEvent). Events that are never dropped are
// accepted, past the cap if need be (safeguarding evidence matters more than the disk), up to
// their own cap (OutboxBounds::maxNeverDroppedBytes); beyond it they too are counted in the gap
// event. The overflow ends when the uploader has brought the outbox below nine tenths of the
// cap. Only one process may write.
//
// A full disk is a cap too (DiskRoom): while the file system has no room, droppable events
// make room the same way instead of growing the file, and a reserve file released when the
// disk fills keeps room for the events never dropped and for the collector's confirmations.
// An event the collector refused as malformed is set aside: it stays in the file, marked, and
// is never sent again.
class Outbox {
 public:
  enum class Access {
    ReadWrite,  // the daemon: creates the file and its tables when missing
    ReadOnly,   // `status`, beside a running daemon
  };

  // Throws OutboxError naming the file when it cannot be opened, is damaged or unwritable.
  // `bounds` matter for ReadWrite only.
  Outbox(std::string path, Access access, OutboxBounds bounds = {});

  // Gives `event` the next sequence number and commits it; a droppable event for which the
  // byte cap leaves no room is counted in the gap event instead and keeps sequence 0.
  Status append(common::Event& event);

  // Up to `max` waiting events, highest priority first, then oldest first; an open gap event
  // only when nothing else waits or after a remove. The batch is never dropped to make room
  // until the next nextBatch or remove: the collector may hold it before it confirms.
  [[nodiscard]] std::vector<PendingEvent> nextBatch(std::size_t max);

  // Deletes exactly these events, once the collector has confirmed it holds them.
  Status remove(std::span<const std::int64_t> sequences);

  // Marks these events as refused by the collector, so they are kept but never sent again, and
  // appends `report` (which says so; none when null) in the same transaction.
  Status setAside(std::span<const std::int64_t> sequences, common::Event* report);

  // Moves the sequence counter so the next event gets a number above `highest`. The collector
  // reports the highest sequence it holds; when this outbox was lost and recreated, its
  // counter starts again at 1 and new events would otherwise look like resends.
  Status ensureSequenceAbove(std::int64_t highest);

  // Events waiting to be sent (not those set aside).
  [[nodiscard]] std::int64_t depth();
  // Bytes of event text waiting, as counted against the cap.
  [[nodiscard]] std::int64_t storedBytes();
  // The recorded time of the oldest waiting event (not set aside); nullopt when none is waiting.
  [[nodiscard]] std::optional<common::Timestamp> oldestPendingTime();

  // Fills in, as each event is appended, what it should say of who used the laptop and under
  // which profile (Event::member, Event::profile), from the sign-in in force then. Set it before
  // other threads append; it is called with the outbox's lock held, so it must not append.
  using Stamp = std::function<void(common::Event&)>;
  void setStamp(Stamp stamp);

  // Called after each Critical event (a safeguarding alert, a worry report) is committed, so it
  // can be sent at once instead of at the next upload tick. Set it before other threads append;
  // it is called without the outbox's lock.
  using OnCritical = std::function<void()>;
  void setOnCritical(OnCritical onCritical);

  Status setMeta(std::string_view key, std::string_view value);
  [[nodiscard]] std::optional<std::string> meta(std::string_view key);

  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  void createSchema();
  [[noreturn]] void fail(const SqliteError& error, std::string_view doing) const;
  Status failure(const SqliteError& error, std::string_view doing) const;
  // Runs `transaction` (a whole write); when it fails for want of space, releases the disk
  // reserve and runs it once more. What it changed in memory is put back on failure.
  Status write(std::string_view doing, const std::function<void()>& transaction);

  // These run inside the caller's transaction, with mutex_ held.
  [[nodiscard]] std::int64_t lastSequence();
  void raiseSequence(std::int64_t highest);
  void insert(common::Event& event);
  // The bytes the outbox may hold now, from the cap and the room on the disk; nullopt: any.
  [[nodiscard]] std::optional<std::int64_t> byteLimit();
  [[nodiscard]] std::string limitText() const;
  // Drops what must go for `event` to fit; false when the event itself goes.
  [[nodiscard]] bool makeRoomFor(common::Event& event);
  [[nodiscard]] bool overNeverDroppedCap(const common::EventTypeInfo& info, std::int64_t size);
  [[nodiscard]] bool makeRoom(const common::EventTypeInfo& incoming, std::int64_t need);
  void recordDropped(const std::map<std::string, std::int64_t>& dropped);
  void beginOverflow(bool nothingToDrop);
  void endOverflowIfBelow(std::int64_t bytes);
  [[nodiscard]] std::int64_t sumBytes(bool neverDroppedOnly = false);
  [[nodiscard]] std::int64_t reusableBytes();

  // The gap event counting this overflow's drops, while it waits unsent.
  struct OpenGap {
    common::Event event;
    std::map<std::string, std::int64_t> dropped;  // by event type name
    std::int64_t bytes = 0;                       // its size in the bytes column
  };

  std::string path_;
  std::mutex mutex_;
  Database db_;
  OutboxBounds bounds_;
  std::optional<DiskRoom> room_;
  Stamp stamp_;
  OnCritical onCritical_;
  std::int64_t bytes_ = 0;              // running total of the events' bytes column
  std::int64_t neverDroppedBytes_ = 0;  // ... of those never dropped
  bool pastNeverDroppedCap_ = false;    // the log said so, in this overflow
  bool overflowing_ = false;
  bool pastCap_ = false;  // the log said the cap is passed, in this overflow
  std::optional<OpenGap> openGap_;
  // The last batch nextBatch handed out, sorted: it may be at the collector already, so it is
  // never dropped (a drop would be counted in the gap event for an event that arrived).
  std::vector<std::int64_t> inFlight_;
};

}  // namespace clubsafe::agent::outbox
