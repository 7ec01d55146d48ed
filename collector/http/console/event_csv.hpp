#pragma once

#include "collector/storage/event_query.hpp"

#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <streambuf>
#include <string>

namespace clubsafe::collector {

// The usage explorer's CSV: a header record, then one record per event with the columns the
// explorer shows and the whole payload (JSON) last.
void appendEventCsvHeader(std::string& out);
void appendEventCsvRecord(std::string& out, const ExploredEvent& event);

// How an export went, for the access log.
struct CsvExportOutcome {
  std::int64_t rows = 0;
  bool namesPerson = false;  // the filter or a row sent named a member or an OS account
  bool complete = false;     // false when the client left or the database failed first
};

// Every event matching a filter as CSV, read a page at a time as the server sends it, so an
// export of any size holds one page in memory. `finished` runs once, when the last record has
// been read or when the stream is dropped before (it must not throw). A database failure while
// reading sets the stream's badbit: the server then ends the answer incomplete.
class EventCsvStream : public std::istream {
 public:
  using Finished = std::function<void(const CsvExportOutcome&)>;
  static constexpr std::size_t kEventsPerPage = 500;

  EventCsvStream(EventQuery& events, EventFilter filter, Finished finished);

 private:
  class Buffer : public std::streambuf {
   public:
    Buffer(EventQuery& events, EventFilter filter, Finished finished);
    ~Buffer() override;
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;

   protected:
    int_type underflow() override;

   private:
    void finish(bool complete);

    EventQuery& events_;
    EventFilter filter_;
    Finished finished_;
    std::string text_;
    std::optional<EventCursor> next_;
    bool lastPageRead_ = false;
    CsvExportOutcome outcome_;
  };

  Buffer buffer_;
};

}  // namespace clubsafe::collector
