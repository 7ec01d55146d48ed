#include "collector/http/console/event_csv.hpp"

#include "collector/http/console/csv.hpp"
#include "collector/http/console/explorer_filter.hpp"
#include "common/time.hpp"

#include <spdlog/spdlog.h>

namespace clubsafe::collector {

void appendEventCsvHeader(std::string& out) {
  // A byte order mark, so that a spreadsheet reads the text as UTF-8.
  out += "\xEF\xBB\xBF";
  appendCsvRecord(
      out, {"time", "laptop", "laptop_id", "sequence", "type", "os_account", "member", "profile",
            "app", "site", "category", "action", "title", "url", "search_terms", "payload"});
}

void appendEventCsvRecord(std::string& out, const ExploredEvent& event) {
  appendCsvRecord(out, {common::formatTimestamp(event.time), event.deviceName, event.deviceId,
                        std::to_string(event.sequence), event.type, event.osUser, event.member,
                        event.profile, event.app, event.site, event.category, event.action,
                        event.title, event.url, event.searchTerms, event.payload});
}

EventCsvStream::EventCsvStream(EventQuery& events, EventFilter filter, Finished finished)
    : std::istream(nullptr), buffer_(events, std::move(filter), std::move(finished)) {
  rdbuf(&buffer_);
}

EventCsvStream::Buffer::Buffer(EventQuery& events, EventFilter filter, Finished finished)
    : events_(events), filter_(std::move(filter)), finished_(std::move(finished)) {
  outcome_.namesPerson = filterNamesPerson(filter_);
  appendEventCsvHeader(text_);
  setg(text_.data(), text_.data(), text_.data() + text_.size());
}

EventCsvStream::Buffer::~Buffer() {
  finish(false);
}

EventCsvStream::Buffer::int_type EventCsvStream::Buffer::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  text_.clear();
  while (text_.empty() && !lastPageRead_) {
    EventPage page;
    try {
      page = events_.listEvents(filter_, next_, kEventsPerPage);
    } catch (const std::exception& error) {
      spdlog::error("A CSV export of events stopped: {}", error.what());
      throw;  // the stream sets its badbit
    }
    for (const auto& event : page.events) {
      appendEventCsvRecord(text_, event);
      outcome_.namesPerson = outcome_.namesPerson || eventNamesPerson(event);
    }
    outcome_.rows += static_cast<std::int64_t>(page.events.size());
    next_ = page.next;
    lastPageRead_ = !next_;
  }
  setg(text_.data(), text_.data(), text_.data() + text_.size());
  if (text_.empty()) {
    finish(true);
    return traits_type::eof();
  }
  return traits_type::to_int_type(*gptr());
}

void EventCsvStream::Buffer::finish(bool complete) {
  if (!finished_) return;
  outcome_.complete = complete;
  auto finished = std::move(finished_);
  finished_ = nullptr;
  finished(outcome_);
}

}  // namespace clubsafe::collector
