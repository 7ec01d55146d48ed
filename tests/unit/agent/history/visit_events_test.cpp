#include "agent/history/visit_events.hpp"

#include "agent/recording/alert_events.hpp"
#include "common/time.hpp"

#include <gtest/gtest.h>

namespace clubsafe::agent::history {
namespace {

using platform::Browser;

const recording::PhraseMatcher& starter() {
  static const recording::PhraseMatcher matcher = [] {
    recording::PhraseLibrary library;
    library.addStarterLibraries();
    return recording::PhraseMatcher(library);
  }();
  return matcher;
}

constexpr std::int64_t kTime = 1'795'561'753'018'523;

std::vector<common::Event> eventsOf(const Visit& visit, HistoryDetail detail) {
  std::vector<common::Event> events;
  appendVisitEvents(visit, {Browser::Chromium, "alice", detail}, starter(), events);
  return events;
}

std::vector<common::EventType> typesOf(const std::vector<common::Event>& events) {
  std::vector<common::EventType> types;
  for (const auto& event : events) types.push_back(event.type);
  return types;
}

TEST(VisitEventsTest, DetailNamesAreParsedStrictly) {
  EXPECT_EQ(parseHistoryDetail("domain"), HistoryDetail::Domain);
  EXPECT_EQ(parseHistoryDetail("url"), HistoryDetail::Url);
  EXPECT_EQ(parseHistoryDetail("url_and_title"), HistoryDetail::UrlAndTitle);
  EXPECT_EQ(parseHistoryDetail("URL"), std::nullopt);
  EXPECT_EQ(parseHistoryDetail(""), std::nullopt);
}

TEST(VisitEventsTest, DomainOnlyKeepsSchemeHostAndPortAndDropsEverythingElse) {
  EXPECT_EQ(domainOnly("https://user:secret@www.example.org:8443/a/b?c=d#e"),
            "https://www.example.org:8443/");
  EXPECT_EQ(domainOnly("http://example.org"), "http://example.org/");
  EXPECT_EQ(domainOnly("file:///home/alice/diary.txt"), "file:///");
  EXPECT_EQ(domainOnly("about:blank"), "about:");
  EXPECT_EQ(domainOnly("nonsense"), "");
}

TEST(VisitEventsTest, AVisitIsRecordedAsTheDetailSays) {
  const Visit visit{7, kTime, "https://www.example.org/path?x=1", "A page", ""};
  auto events = eventsOf(visit, HistoryDetail::UrlAndTitle);
  ASSERT_EQ(typesOf(events), std::vector{common::EventType::BrowserVisit});
  const auto& page = events[0];
  EXPECT_EQ(page.osUser, "alice");
  EXPECT_EQ(common::formatTimestamp(page.time), "2026-11-24T23:09:13.018Z");
  EXPECT_EQ(page.payload->getValue<std::string>("browser"), "chromium");
  EXPECT_EQ(page.payload->getValue<std::string>("url"), "https://www.example.org/path?x=1");
  EXPECT_EQ(page.payload->getValue<std::string>("title"), "A page");
  EXPECT_EQ(page.payload->getValue<std::string>("visited"), "2026-11-24T23:09:13.018Z");

  events = eventsOf(visit, HistoryDetail::Url);
  EXPECT_EQ(events[0].payload->getValue<std::string>("url"), "https://www.example.org/path?x=1");
  EXPECT_FALSE(events[0].payload->has("title"));

  events = eventsOf(visit, HistoryDetail::Domain);
  EXPECT_EQ(events[0].payload->getValue<std::string>("url"), "https://www.example.org/");
  EXPECT_FALSE(events[0].payload->has("title"));
}

TEST(VisitEventsTest, LongAndInvalidTextIsCutAndMadeValidUtf8) {
  const Visit visit{1, kTime, "http://x.example/" + std::string(5000, 'a'),
                    "bad \xff byte " + std::string(1000, 'b'), ""};
  const auto events = eventsOf(visit, HistoryDetail::UrlAndTitle);
  EXPECT_EQ(events[0].payload->getValue<std::string>("url").size(), kMaxUrlBytes);
  const auto title = events[0].payload->getValue<std::string>("title");
  EXPECT_LE(title.size(), kMaxTitleBytes + 2);
  EXPECT_EQ(title.substr(0, 12), "bad \xef\xbf\xbd byte");
}

TEST(VisitEventsTest, ASearchPageGivesASearchTermUnlessOnlyDomainsAreRecorded) {
  const Visit visit{1, kTime, "http://www.google.com/search?q=how+to+tie+a+tie", "", ""};
  const auto events = eventsOf(visit, HistoryDetail::Url);
  ASSERT_EQ(typesOf(events),
            (std::vector{common::EventType::BrowserVisit, common::EventType::SearchTerm}));
  EXPECT_EQ(events[1].payload->getValue<std::string>("engine"), "google");
  EXPECT_EQ(events[1].payload->getValue<std::string>("terms"), "how to tie a tie");
  EXPECT_EQ(events[1].payload->getValue<std::string>("searched"), "2026-11-24T23:09:13.018Z");
  EXPECT_EQ(events[1].osUser, "alice");

  EXPECT_EQ(typesOf(eventsOf(visit, HistoryDetail::Domain)),
            std::vector{common::EventType::BrowserVisit});
}

TEST(VisitEventsTest, AnEngineTheAgentDoesNotKnowIsNamedByItsHostFromTheBrowsersTerms) {
  const Visit visit{1, kTime, "https://search.example.net/find?k=rain+boots", "", "rain boots"};
  const auto events = eventsOf(visit, HistoryDetail::Url);
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[1].payload->getValue<std::string>("engine"), "search.example.net");
  EXPECT_EQ(events[1].payload->getValue<std::string>("terms"), "rain boots");
}

TEST(VisitEventsTest, APhraseInTheTermsTitleOrUrlIsOneAlertFromWhereItIsFirstSeen) {
  const Visit visit{1, kTime, "http://www.google.com/search?q=i+want+to+die",
                    "i want to die - Google Search", ""};
  const auto events = eventsOf(visit, HistoryDetail::Domain);
  ASSERT_EQ(typesOf(events),
            (std::vector{common::EventType::BrowserVisit, common::EventType::SafeguardingAlert}));
  const auto& alert = events[1];
  EXPECT_EQ(alert.osUser, "alice");
  EXPECT_EQ(alert.payload->getValue<std::string>("category"), "self-harm");
  EXPECT_EQ(alert.payload->getValue<int>("severity"), 5);
  EXPECT_EQ(alert.payload->getValue<std::string>("phrase"), "want to die");
  EXPECT_EQ(alert.payload->getValue<std::string>("context"), "i want to die");
  EXPECT_EQ(alert.payload->getValue<std::string>("source"), "search_term");

  const Visit titled{2, kTime, "http://forum.example/t/123", "I want to die, help", ""};
  const auto fromTitle = eventsOf(titled, HistoryDetail::Url);
  ASSERT_EQ(fromTitle.size(), 2U);
  EXPECT_EQ(fromTitle[1].payload->getValue<std::string>("source"), "page_title");

  const Visit plain{3, kTime, "http://www.example.org/kill-time-ideas", "Ideas", ""};
  EXPECT_EQ(typesOf(eventsOf(plain, HistoryDetail::Url)),
            std::vector{common::EventType::BrowserVisit});
}

TEST(AlertEventsTest, EveryTextIsLookedAtAndEachPhraseAlertsOnce) {
  const std::array<recording::AlertText, 2> texts{
      {{"window_title", "i want to die"}, {"page_url", "http://x/i-want-to-die"}}};
  const auto alerts = recording::safeguardingAlerts(starter(), texts, common::Timestamp{}, "bob");
  ASSERT_EQ(alerts.size(), 1U);
  EXPECT_EQ(alerts[0].type, common::EventType::SafeguardingAlert);
  EXPECT_EQ(alerts[0].payload->getValue<std::string>("source"), "window_title");
  EXPECT_EQ(alerts[0].payload->getValue<std::string>("matched"), "want to die");
  EXPECT_NE(alerts[0].payload->getValue<std::string>("why").find("phrase"), std::string::npos);
  EXPECT_FALSE(alerts[0].payload->getValue<bool>("help_seeking"));
  EXPECT_EQ(alerts[0].osUser, "bob");
}

}  // namespace
}  // namespace clubsafe::agent::history
