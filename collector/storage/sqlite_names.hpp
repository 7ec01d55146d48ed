#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace clubsafe::collector {

// rollup_names: every name the events table and the rollups keep (device ids, accounts,
// members, profiles, sites, apps, categories, actions), each once, by a small number. A name's
// number never changes while it lives; retention deletes a name once no row refers to it any
// more (deleteUnreferencedNames), and the name, should it come again, gets a new number.
//
// NameIds remembers the numbers it has looked up, across batches. It serves the one write
// connection: call begin() first in each of its transactions that uses it, then idOf; call
// forgetAll() in the transaction that deletes names, so it never hands out a deleted number.
class NameIds {
 public:
  NameIds();
  ~NameIds();
  NameIds(const NameIds&) = delete;
  NameIds& operator=(const NameIds&) = delete;

  // Forgets the names the previous transaction added should it have been rolled back.
  void begin(Poco::Data::Session& session);
  // The name's number, adding the name when it is new.
  [[nodiscard]] std::int64_t idOf(Poco::Data::Session& session, const std::string& name);
  // Forgets every number remembered: some of them may name deleted names.
  void forgetAll();

 private:
  // Enough for every site a club visits in a year; past it, or past the bytes (a laptop may
  // send names of 16 KiB, and 500,000 of those are 8 GB), the memory starts again.
  static constexpr std::size_t kMostRemembered = 500'000;
  static constexpr std::size_t kMostRememberedBytes = 32 << 20;

  // The lookup and the insert of a name, prepared once on the connection they run on: a new
  // name compiled two Poco::Data statements each time, 8% of a batch's time at ingest.
  struct Statements;
  Statements& statementsFor(Poco::Data::Session& session);
  // The number rollup_names keeps for the name, none when it has none yet.
  std::optional<std::int64_t> storedId(Poco::Data::Session& session, const std::string& name);

  std::unique_ptr<Statements> statements_;
  std::unordered_map<std::string, std::int64_t> ids_;
  std::size_t rememberedBytes_ = 0;  // of the names in ids_
  std::vector<std::string> addedInTransaction_;
};

// SQL for the name an id column holds, '' when none.
[[nodiscard]] std::string nameOf(std::string_view idColumn);
// SQL for the id of the name bound to its one parameter; NULL, matching nothing, when no event
// or rollup names it.
inline constexpr std::string_view kIdOfName = "(SELECT id FROM rollup_names WHERE name = ?)";

// A column that keeps rollup_names numbers, and how deleteUnreferencedNames looks a number up in
// it: through an index that leads with the column, or by reading the whole column once.
struct NameColumn {
  enum class Lookup {
    Index,            // an index leads with the column
    ExplorerIndexes,  // the events' partial index for the explorer (stored_event.hpp), and
                      // the types it leaves out read whole
    WholeColumn,      // no index: read once per sweep
  };
  std::string_view table;
  std::string_view column;
  Lookup lookup;
};
// Every such column. The list is in sqlite_names.cpp: a new column that keeps a name's number
// must be added to it.
[[nodiscard]] std::span<const NameColumn> nameColumns();

// Deletes the names no column of nameColumns() refers to; returns how many. Run on the write
// connection, in a transaction that then calls NameIds::forgetAll().
std::size_t deleteUnreferencedNames(Poco::Data::Session& session);
// The statement it runs, for a test of its query plan.
[[nodiscard]] const std::string& unreferencedNamesSql();

}  // namespace clubsafe::collector
