// Issue 13, end to end: a real browser history file to safeguarding alerts at the collector.
// Debian's headless Chromium, running as a young person's account (4242) with a home of its own,
// searches and opens pages whose words are lines of the evaluation corpus
// (tests/data/safeguarding/): risky ones of every category and benign school work about the same
// topics (tests/browser/history_visit.mjs, on a local server answering for every host name). The
// real agent then reads the History file Chromium left and the real collector must hold the
// alerts: the right category for each risky search and title, as that account, and none for the
// school work.
//
// The agent looks for profiles in /root and /home only, so the test runs in a mount namespace of
// its own with empty folders over both (the machine's own browsing stays out of it): it needs
// root, node, Chromium and `npm ci --prefix tests/browser`, and is skipped, saying why, without.
#include "tests/integration/harness.hpp"

#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

namespace clubsafe::testing {
namespace {

constexpr const char* kNode = "/usr/bin/node";
constexpr const char* kChromium = "/usr/bin/chromium";
constexpr const char* kVisit = CLUBSAFE_BROWSER_TESTS_DIR "/history_visit.mjs";
constexpr const char* kPlaywright = CLUBSAFE_BROWSER_TESTS_DIR "/node_modules/playwright-core";
constexpr std::uint32_t kChildUid = 4242;
constexpr const char* kChildHome = "/home/kid";

struct Page {
  std::string text;      // the search terms or the page title, as typed or shown
  std::string category;  // the alert expected; empty for school work, which must raise none
  bool title = false;    // a page with this title, else a search for the text
};

// Risky lines of the corpus's dev part, one search of each category and two titles, and benign
// school work about the same topics.
const std::vector<Page> kPages{
    {"ways to hurt myself without anyone knowing", "self-harm"},
    {"i should just kms", "self-harm"},
    {"my class laughs at me when i answer questions", "bullying"},
    {"how to get to syria to join the brothers", "extremism"},
    {"he keeps asking if im alone at home", "sexual-exploitation"},
    {"dealer says i owe him and i have to work it off", "drugs"},
    {"how to get a knife into school", "weapons-violence"},
    {"The truth about the jews - Odysee", "hate", true},
    {"Omegle alternative for teens - random video chat", "sexual-exploitation", true},
    {"durkheim theory of suicide sociology", ""},
    {"how does heroin affect the brain biology", ""},
    {"revolution french history summary", ""},
    {"race relations act 1965", ""},
    {"caesars assassination history", ""},
    {"american bully xl ban explained", ""},
};

std::string lowered(std::string text) {
  std::ranges::transform(text, text.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The pages for history_visit.mjs: searches on Google and Bing in turn, titles on a forum.
std::string pagesJson() {
  Poco::JSON::Array pages;
  int number = 0;
  for (const auto& page : kPages) {
    Poco::JSON::Object item;
    ++number;
    if (page.title) {
      item.set("url", "http://forum.example.net/thread/" + std::to_string(number));
      item.set("title", page.text);
    } else {
      std::string terms = page.text;
      std::ranges::replace(terms, ' ', '+');
      item.set("url", (number % 2 != 0 ? "http://www.google.com/search?q="
                                       : "http://www.bing.com/search?q=") +
                          terms);
    }
    pages.add(item);
  }
  std::ostringstream out;
  pages.stringify(out);
  return out.str();
}

struct Alert {
  std::string osUser;
  std::string category;
  std::string source;
  std::string context;
};

std::vector<Alert> alertsAt(const Collector& collector) {
  std::vector<Alert> alerts;
  for (const auto& row : queryDatabase(collector.database(),
                                       "SELECT os_user, payload FROM events_as_text "
                                       "WHERE type = 'safeguarding_alert'")) {
    const auto payload = parseObject(row[1]);
    alerts.push_back({row[0], payload->getValue<std::string>("category"),
                      payload->getValue<std::string>("source"),
                      payload->getValue<std::string>("context")});
  }
  return alerts;
}

std::size_t visitsAt(const Collector& collector) {
  return queryDatabase(collector.database(),
                       "SELECT 1 FROM events_as_text WHERE type = 'browser_visit' AND os_user = ?",
                       {std::to_string(kChildUid)})
      .size();
}

TEST(HistoryAlertTest, SearchesAndTitlesInAChromiumHistoryRaiseTheirAlertsAtTheCollector) {
  if (::geteuid() != 0) {
    GTEST_SKIP() << "Needs root: the agent reads /root and /home, which the test replaces in a "
                    "mount namespace, and Chromium runs as the account 4242.";
  }
  if (!std::filesystem::exists(kNode) || !std::filesystem::exists(kChromium) ||
      !std::filesystem::exists(kPlaywright)) {
    GTEST_SKIP() << "Needs " << kNode << ", " << kChromium << " (apt install nodejs chromium) and "
                 << "npm ci --prefix tests/browser.";
  }
  if (!hideTheMachinesHomes()) GTEST_SKIP() << kNoPrivateMounts;
  std::filesystem::create_directories(kChildHome);
  ASSERT_EQ(::chown(kChildHome, kChildUid, kChildUid), 0);

  const auto visited = runAsAccount(kChildUid, "/usr/bin/env",
                                    {"HOME=" + std::string(kChildHome), kNode, kVisit,
                                     std::string(kChildHome) + "/.config/chromium", pagesJson()},
                                    120s);
  ASSERT_EQ(visited.status, 0) << visited.output;
  ASSERT_TRUE(
      std::filesystem::exists(std::string(kChildHome) + "/.config/chromium/Default/History"));

  const TempDir dir;
  Collector collector(dir);
  collector.start();
  Agent agent(dir);
  const auto enrolled = agent.enrol(collector);
  ASSERT_EQ(enrolled.status, 0) << enrolled.output;
  agent.start({"history.scan_interval=1", "upload.interval=0.1"});
  // Visits are read once they are 10 s old (a browser stores a title after the visit), and the
  // alerts of a visit are committed with it.
  ASSERT_TRUE(waitFor([&] { return visitsAt(collector) >= kPages.size(); }, 90s))
      << visitsAt(collector) << " visits arrived\n"
      << agent.output();

  const auto alerts = alertsAt(collector);
  for (const auto& page : kPages) {
    const auto about = [&](const Alert& alert) {
      return lowered(alert.context).find(lowered(page.text)) != std::string::npos;
    };
    if (page.category.empty()) {
      EXPECT_FALSE(std::ranges::any_of(alerts, about)) << "school work alerted: " << page.text;
      continue;
    }
    const auto source = page.title ? "page_title" : "search_term";
    EXPECT_TRUE(std::ranges::any_of(alerts,
                                    [&](const Alert& alert) {
                                      return about(alert) && alert.category == page.category &&
                                             alert.source == source;
                                    }))
        << page.category << " alert missing for: " << page.text;
  }
  std::set<std::string> accounts;
  for (const auto& alert : alerts) accounts.insert(alert.osUser);
  EXPECT_EQ(accounts, std::set<std::string>{std::to_string(kChildUid)});
}

}  // namespace
}  // namespace clubsafe::testing
