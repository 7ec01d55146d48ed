#include "agent/history/history_source.hpp"

#include "tests/support/temp_dir.hpp"
#include "tests/unit/agent/history/history_files.hpp"

#include <gtest/gtest.h>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace clubsafe::agent::history {
namespace {

namespace fs = std::filesystem;
using platform::Browser;
using platform::BrowserProfile;
using testing::HistoryFile;

const recording::PhraseMatcher& starter() {
  static const recording::PhraseMatcher matcher = [] {
    recording::PhraseLibrary library;
    library.addStarterLibraries();
    return recording::PhraseMatcher(library);
  }();
  return matcher;
}

std::int64_t nowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<std::string> visitedUrls(const std::vector<common::Event>& events) {
  std::vector<std::string> urls;
  for (const auto& event : events) {
    if (event.type == common::EventType::BrowserVisit) {
      urls.push_back(event.payload->getValue<std::string>("url"));
    }
  }
  return urls;
}

using Urls = std::vector<std::string>;

class HistorySourceTest : public ::testing::Test {
 protected:
  HistorySourceOptions options() const {
    HistorySourceOptions options;
    options.statePath = state_.file("history.db");
    options.settleTime = std::chrono::microseconds(0);
    return options;
  }
  std::unique_ptr<HistorySource> source(const HistorySourceOptions& options) {
    return std::make_unique<HistorySource>(
        options, [this] { return profiles_; }, starter());
  }
  std::unique_ptr<HistorySource> source() { return source(options()); }

  clubsafe::testing::TempDir state_;
  clubsafe::testing::TempDir home_;
  std::vector<BrowserProfile> profiles_;
};

TEST_F(HistorySourceTest, EachVisitIsRecordedOnceAcrossPollsAndRestarts) {
  const auto path = home_.path() / "History";
  HistoryFile file(path, Browser::Chromium);
  profiles_ = {{Browser::Chromium, "alice", path, ::getuid()}};
  const auto now = nowMicros();
  (void)file.add("http://one.example/", "One", now - 1000);

  auto history = source();
  auto events = history->poll();
  EXPECT_EQ(visitedUrls(events), Urls{"http://one.example/"});
  EXPECT_EQ(events[0].osUser, "alice");
  EXPECT_TRUE(history->poll().empty());

  (void)file.add("http://www.google.com/search?q=rain", "rain", now - 500);
  events = history->poll();
  EXPECT_EQ(visitedUrls(events), Urls{"http://www.google.com/search?q=rain"});
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[1].type, common::EventType::SearchTerm);

  // A clean stop saves where reading stopped; the restarted agent goes on from there.
  history.reset();
  (void)file.add("http://two.example/", "Two", now - 100);
  history = source();
  EXPECT_EQ(visitedUrls(history->poll()), Urls{"http://two.example/"});
  EXPECT_TRUE(history->poll().empty());
}

TEST_F(HistorySourceTest, VisitsAreSavedAsReadOnlyOnceTheNextPollStarts) {
  const auto path = home_.path() / "places.sqlite";
  HistoryFile file(path, Browser::Firefox);
  profiles_ = {{Browser::Firefox, "bob", path, ::getuid()}};
  (void)file.add("http://one.example/", "", nowMicros());

  // The first source is "killed" before its next poll: the state file says nothing was
  // committed, so the visits are read again rather than lost.
  {
    auto first = source();
    EXPECT_EQ(visitedUrls(first->poll()), Urls{"http://one.example/"});
    HistoryState state(options().statePath);
    EXPECT_EQ(state.cursor(profileKey(profiles_[0])), std::nullopt);
    (void)first->poll();
    EXPECT_NE(state.cursor(profileKey(profiles_[0])), std::nullopt);
  }
}

TEST_F(HistorySourceTest, AProfileSeenForTheFirstTimeIsReadFromItsRecentVisitsOnly) {
  const auto path = home_.path() / "History";
  HistoryFile file(path, Browser::Chromium);
  profiles_ = {{Browser::Chromium, "alice", path, ::getuid()}};
  const auto now = nowMicros();
  (void)file.add("http://last-week.example/", "", now - 7LL * 24 * 3600 * 1'000'000);
  (void)file.add("http://today.example/", "", now - 60'000'000);
  EXPECT_EQ(visitedUrls(source()->poll()), Urls{"http://today.example/"});
}

TEST_F(HistorySourceTest, AManyVisitBacklogIsReadOverSeveralPolls) {
  const auto path = home_.path() / "History";
  HistoryFile file(path, Browser::Chromium);
  profiles_ = {{Browser::Chromium, "alice", path, ::getuid()}};
  const auto now = nowMicros();
  for (int i = 0; i < 25; ++i) {
    (void)file.add("http://p.example/" + std::to_string(i), "", now - 1000 + i);
  }
  auto options = this->options();
  options.maxVisitsPerPoll = 10;
  auto history = source(options);
  EXPECT_EQ(visitedUrls(history->poll()).size(), 10U);
  EXPECT_EQ(visitedUrls(history->poll()).size(), 10U);
  const auto last = visitedUrls(history->poll());
  ASSERT_EQ(last.size(), 5U);
  EXPECT_EQ(last.back(), "http://p.example/24");
  EXPECT_TRUE(history->poll().empty());
}

TEST_F(HistorySourceTest, ADamagedProfileIsLoggedOnceAndTheOthersAreStillRead) {
  std::ostringstream log;
  const auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log)));

  const auto broken = home_.path() / "broken" / "History";
  fs::create_directories(broken.parent_path());
  std::ofstream(broken, std::ios::binary) << std::string(4096, '\x01');
  const auto good = home_.path() / "places.sqlite";
  HistoryFile file(good, Browser::Firefox);
  (void)file.add("http://fine.example/", "", nowMicros());
  profiles_ = {{Browser::Chromium, "alice", broken, ::getuid()},
               {Browser::Firefox, "bob", good, ::getuid()}};

  auto history = source();
  EXPECT_EQ(visitedUrls(history->poll()), Urls{"http://fine.example/"});
  (void)history->poll();
  // A different file, still garbage: the same problem, not logged again.
  std::ofstream(broken, std::ios::binary) << std::string(8192, '\x02');
  (void)history->poll();
  const auto text = log.str();
  spdlog::set_default_logger(previous);

  std::size_t lines = 0;
  for (auto at = text.find("cannot be read"); at != std::string::npos;
       at = text.find("cannot be read", at + 1)) {
    ++lines;
  }
  EXPECT_EQ(lines, 1U) << text;
  EXPECT_NE(text.find("damaged"), std::string::npos) << text;
}

TEST_F(HistorySourceTest, AVisitTooRecentToHaveItsTitleIsReadAtTheNextPoll) {
  const auto path = home_.path() / "History";
  HistoryFile file(path, Browser::Chromium);
  profiles_ = {{Browser::Chromium, "alice", path, ::getuid()}};
  const auto now = nowMicros();
  (void)file.add("http://settled.example/", "Settled", now - 60'000'000);
  (void)file.add("http://loading.example/", "", now + 1'000'000);
  (void)file.add("http://after.example/", "", now - 50'000'000);
  auto options = this->options();
  options.settleTime = std::chrono::seconds(10);
  auto history = source(options);
  // Reading stops at the first visit still settling, so none after it is skipped either.
  EXPECT_EQ(visitedUrls(history->poll()), Urls{"http://settled.example/"});
  EXPECT_EQ(visitedUrls(history->poll()), Urls{});
  file.db().execute("UPDATE visits SET visit_time = visit_time - 30000000 WHERE id = 2");
  EXPECT_EQ(visitedUrls(history->poll()),
            (Urls{"http://loading.example/", "http://after.example/"}));
}

TEST_F(HistorySourceTest, AnUnwritableStateFolderIsAnErrorAtStart) {
  auto options = this->options();
  options.statePath = (state_.path() / "missing" / "history.db").string();
  EXPECT_THROW(source(options), outbox::SqliteError);
}

}  // namespace
}  // namespace clubsafe::agent::history
