#include "agent/upload/uploader.hpp"

#include "agent/recording/utf8.hpp"
#include "common/batch_codec.hpp"
#include "common/time.hpp"

#include <Poco/JSON/Array.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>

namespace clubsafe::agent::upload {
namespace {

template <typename... Handlers>
struct Overloaded : Handlers... {
  using Handlers::operator()...;
};
template <typename... Handlers>
Overloaded(Handlers...) -> Overloaded<Handlers...>;

// The most of the collector's reason a `rejected` event carries.
constexpr std::size_t kReasonBytes = 500;

common::Event rejectedReport(std::int64_t sequence, const std::string& reason) {
  common::Event report;
  report.type = common::EventType::Rejected;
  report.time = common::nowUtc();
  report.payload->set("count", 1);
  report.payload->set("reason",
                      reason.substr(0, recording::utf8BoundaryBefore(reason, kReasonBytes)));
  Poco::JSON::Array::Ptr sequences = new Poco::JSON::Array;
  sequences->add(std::to_string(sequence));
  report.payload->set("sequences", sequences);
  return report;
}

}  // namespace

Uploader::Uploader(outbox::Outbox& outbox, BatchSender& sender, UploaderOptions options,
                   std::uint64_t seed)
    : outbox_(outbox),
      sender_(sender),
      options_(std::move(options)),
      backoff_(options_.backoffInitial, options_.backoffMax, seed),
      batchSize_(std::max<std::size_t>(options_.batchSize, 1)) {
  options_.batchSize = batchSize_;
}

std::chrono::milliseconds Uploader::uploadOnce() {
  std::int64_t depth = 0;
  std::vector<outbox::PendingEvent> pending;
  const bool splitting = !suspects_.empty();
  try {
    depth = outbox_.depth();
    pending = splitting ? suspects_.back() : outbox_.nextBatch(batchSize_);
  } catch (const outbox::OutboxError& error) {
    return failed(link_, error.what());
  }
  if (pending.empty()) return options_.idleInterval;

  std::vector<std::int64_t> sequences;
  std::vector<std::string> encoded;
  sequences.reserve(pending.size());
  encoded.reserve(pending.size());
  for (const auto& event : pending) {
    sequences.push_back(event.sequence);
    encoded.push_back(event.encoded);
  }
  const auto waiting = std::max<std::int64_t>(depth - static_cast<std::int64_t>(pending.size()), 0);
  const auto batch =
      common::assembleBatch({common::kBatchVersion, options_.deviceId, waiting}, encoded);
  spdlog::debug("Sending {} events ({} bytes), {} more waiting.", pending.size(), batch.size(),
                waiting);

  return std::visit(
      Overloaded{
          [&](const Stored& stored) {
            if (splitting) suspects_.pop_back();
            return delivered(pending.size(), waiting, sequences, stored.highestSequence);
          },
          [&](const Rejected& rejected) {
            if (rejected.httpStatus == 400) {
              if (splitting) suspects_.pop_back();
              return malformed(std::move(pending), rejected.message);
            }
            if (rejected.httpStatus == 413) {
              suspects_.clear();
              return tooLarge(pending.size(), rejected.message);
            }
            return failed(Link::Up, "The collector refused a batch of " +
                                        std::to_string(pending.size()) + " events (HTTP " +
                                        std::to_string(rejected.httpStatus) + ": " +
                                        rejected.message + "). They stay in the outbox.");
          },
          [&](const Unauthorized& refused) {
            return failed(Link::Up,
                          "The collector no longer accepts this laptop (" + refused.message +
                              "); it may have been revoked in the console. Events stay in the "
                              "outbox: enrol the laptop again with clubsafe-agent enrol --force.");
          },
          [&](const Unavailable& unavailable) {
            return failed(Link::Down, "Cannot reach the collector (" + unavailable.message +
                                          "). Events stay on this laptop and are sent when it "
                                          "is back.");
          },
      },
      sender_.send(batch));
}

std::chrono::milliseconds Uploader::delivered(std::size_t sent, std::int64_t waiting,
                                              const std::vector<std::int64_t>& sequences,
                                              std::int64_t highestSequence) {
  if (const auto removed = outbox_.remove(sequences); !removed.ok()) {
    // The collector holds them, so sending them again later changes nothing there.
    return failed(Link::Up, removed.message());
  }
  if (const auto moved = outbox_.ensureSequenceAbove(highestSequence); !moved.ok()) {
    return failed(Link::Up, moved.message());
  }
  if (const auto noted =
          outbox_.setMeta(outbox::kLastUploadSuccess, common::formatTimestamp(common::nowUtc()));
      !noted.ok()) {
    spdlog::warn("{}", noted.message());
  }
  const auto total = waiting + static_cast<std::int64_t>(sent);
  if (link_ == Link::Down) {
    spdlog::info("The collector is reachable again; sending the {} events that waited.", total);
  } else if (link_ == Link::Unknown) {
    spdlog::info("Connected to the collector; {} events waiting to send.", total);
  }
  link_ = Link::Up;
  lastProblem_.clear();
  backoff_.reset();
  // A batch that had to shrink after a 413 grows back step by step.
  batchSize_ = std::min(batchSize_ * 2, options_.batchSize);
  spdlog::debug("The collector stored {} events; it holds up to sequence {}.", sent,
                highestSequence);
  return waiting > 0 ? std::chrono::milliseconds(0) : options_.idleInterval;
}

std::chrono::milliseconds Uploader::tooLarge(std::size_t sent, const std::string& message) {
  if (sent > 1) {
    batchSize_ = sent / 2;
    spdlog::debug("The collector found a batch of {} events too large ({}); trying {}.", sent,
                  message, batchSize_);
    return std::chrono::milliseconds(0);
  }
  batchSize_ = 1;
  return failed(Link::Up, "The collector refused one event as too large (" + message +
                              "). It stays in the outbox; the collector's "
                              "ingest.max_body_bytes setting may be too small.");
}

std::chrono::milliseconds Uploader::malformed(std::vector<outbox::PendingEvent> batch,
                                              const std::string& reason) {
  if (batch.size() == 1) return setAside(batch.front(), reason);
  // Halving finds the refused event in a few round trips; no back-off, as the collector
  // answered and every other event should still flow.
  const auto middle = batch.begin() + static_cast<std::ptrdiff_t>(batch.size() / 2);
  suspects_.emplace_back(middle, batch.end());
  suspects_.emplace_back(batch.begin(), middle);
  spdlog::debug("The collector refused a batch of {} events as malformed ({}); sending halves.",
                batch.size(), reason);
  return std::chrono::milliseconds(0);
}

std::chrono::milliseconds Uploader::setAside(const outbox::PendingEvent& event,
                                             const std::string& reason) {
  const std::array sequence{event.sequence};
  // A refused report is not reported again, or a collector that refuses every report would
  // get a new one for ever.
  const bool report = event.type != common::eventTypeInfo(common::EventType::Rejected).name;
  auto rejected = rejectedReport(event.sequence, reason);
  const auto status = outbox_.setAside(sequence, report ? &rejected : nullptr);
  if (!status.ok()) return failed(Link::Up, status.message());
  spdlog::error(
      "The collector refused event {} ({}) as malformed: {}. It is kept in {} but not sent "
      "again{}.",
      event.sequence, event.type, reason, outbox_.path(),
      report ? ", and a rejected event tells the collector" : "");
  return std::chrono::milliseconds(0);
}

std::chrono::milliseconds Uploader::failed(Link link, const std::string& message) {
  recordError(message);
  if (message != lastProblem_ || link != link_) {
    if (link == Link::Down) {
      spdlog::warn("{} Retrying with back-off.", message);
    } else {
      spdlog::error("{}", message);
    }
  } else {
    spdlog::debug("{}", message);
  }
  lastProblem_ = message;
  link_ = link;
  return backoff_.next();
}

void Uploader::recordError(const std::string& message) {
  const auto saved = outbox_.setMeta(outbox::kLastError, message);
  const auto timed =
      outbox_.setMeta(outbox::kLastErrorTime, common::formatTimestamp(common::nowUtc()));
  if (!saved.ok() || !timed.ok()) {
    spdlog::debug("Could not record the upload error for status: {}",
                  saved.ok() ? timed.message() : saved.message());
  }
}

void Uploader::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    urgent_ = false;
    heartbeat_.beat();
    lock.unlock();
    const auto wait = uploadOnce();
    const bool backingOff = !lastProblem_.empty();  // the wait came from a failure
    lock.lock();
    (void)runtime::waitBeating(wake_, lock, wait, heartbeat_,
                               [&] { return stopping_ || (urgent_ && !backingOff); });
  }
}

void Uploader::sendSoon() {
  {
    std::lock_guard lock(mutex_);
    urgent_ = true;
  }
  wake_.notify_all();
}

void Uploader::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

}  // namespace clubsafe::agent::upload
