#pragma once

#include "agent/history/history_database.hpp"
#include "agent/outbox/sqlite.hpp"
#include "agent/platform/browser_profiles.hpp"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

// Real history databases built from the schemas Debian's Chromium and Firefox wrote
// (data/*.sql), for the history tests and benchmark.
namespace clubsafe::agent::history::testing {

// Chromium's page transition: a link, the whole of its redirect chain (CHAIN_START|CHAIN_END).
inline constexpr std::int64_t kChromiumLink = 0x30000000;
// The first step of a redirect chain (CHAIN_START only) and its last (SERVER_REDIRECT|CHAIN_END).
inline constexpr std::int64_t kChromiumRedirectStart = 0x10000000;
inline constexpr std::int64_t kChromiumRedirectEnd = static_cast<std::int64_t>(0xA0000000);
// Firefox's visit types: link, embedded, reached by a temporary redirect.
inline constexpr std::int64_t kFirefoxLink = 1;
inline constexpr std::int64_t kFirefoxEmbed = 4;
inline constexpr std::int64_t kFirefoxRedirectTemporary = 6;

inline std::string readSchema(platform::Browser browser) {
  const std::filesystem::path file =
      std::filesystem::path(CLUBSAFE_HISTORY_SCHEMAS_DIR) / (browser == platform::Browser::Firefox
                                                                 ? "firefox_places_schema.sql"
                                                                 : "chromium_history_schema.sql");
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct VisitSpec {
  std::string url;
  std::string title;
  std::int64_t micros = 0;  // since 1970
  std::int64_t kind = -1;   // transition or visit type; -1: a plain link
  std::int64_t fromVisit = 0;
  std::string keywordTerm;  // Chromium only
};

// A history database being written, like a browser does: Firefox's in WAL mode, Chromium's with
// a rollback journal. The connection stays open until this goes away, so WAL content is not
// checkpointed into the database before then.
class HistoryFile {
 public:
  HistoryFile(const std::filesystem::path& path, platform::Browser browser)
      : browser_(browser), db_(path.string(), outbox::Database::Mode::ReadWriteCreate) {
    if (browser_ == platform::Browser::Firefox) {
      db_.execute("PRAGMA page_size = 32768");
      db_.execute("PRAGMA journal_mode = WAL");
    } else {
      db_.execute("PRAGMA journal_mode = TRUNCATE");
    }
    db_.execute(readSchema(browser_));
    if (browser_ != platform::Browser::Firefox) {
      db_.execute("INSERT INTO meta (key, value) VALUES ('version', '70')");
    }
  }

  outbox::Database& db() { return db_; }

  std::int64_t add(std::string url, std::string title, std::int64_t micros) {
    return add({std::move(url), std::move(title), micros, -1, 0, ""});
  }

  std::int64_t add(const VisitSpec& visit) {
    const bool firefox = browser_ == platform::Browser::Firefox;
    auto place = db_.prepare(firefox ? "INSERT INTO moz_places (url, title) VALUES (?1, ?2)"
                                     : "INSERT INTO urls (url, title, last_visit_time) "
                                       "VALUES (?1, ?2, 0)");
    place.bind(1, visit.url).bind(2, visit.title).run();
    const auto placeId = db_.lastInsertRowId();
    const auto kind = visit.kind >= 0 ? visit.kind : (firefox ? kFirefoxLink : kChromiumLink);
    auto row = db_.prepare(firefox ? "INSERT INTO moz_historyvisits "
                                     "(place_id, visit_date, visit_type, from_visit) "
                                     "VALUES (?1, ?2, ?3, ?4)"
                                   : "INSERT INTO visits (url, visit_time, transition, from_visit) "
                                     "VALUES (?1, ?2, ?3, ?4)");
    row.bind(1, placeId)
        .bind(2, firefox ? visit.micros : visit.micros + kChromiumEpochOffsetMicros)
        .bind(3, kind)
        .bind(4, visit.fromVisit)
        .run();
    const auto visitId = db_.lastInsertRowId();
    if (!firefox && !visit.keywordTerm.empty()) {
      auto term = db_.prepare(
          "INSERT INTO keyword_search_terms (keyword_id, url_id, term, normalized_term) "
          "VALUES (2, ?1, ?2, ?2)");
      term.bind(1, placeId).bind(2, visit.keywordTerm).run();
    }
    return visitId;
  }

 private:
  platform::Browser browser_;
  outbox::Database db_;
};

}  // namespace clubsafe::agent::history::testing
