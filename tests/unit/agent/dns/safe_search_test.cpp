#include "agent/dns/safe_search.hpp"

#include <gtest/gtest.h>

namespace clubsafe::agent::dns {
namespace {

using Level = SafeSearchLevel;

TEST(SafeSearchTest, EveryGoogleCountryFormIsRewritten) {
  for (const auto* name : {"google.com", "www.google.com", "google.co.uk", "www.google.co.uk",
                           "google.com.au", "www.google.com.au", "google.de", "www.google.de"}) {
    EXPECT_EQ(safeSearchTarget(name, Level::Strict), "forcesafesearch.google.com") << name;
    EXPECT_EQ(safeSearchTarget(name, Level::Moderate), "forcesafesearch.google.com") << name;
  }
}

TEST(SafeSearchTest, LookalikesAndOtherGoogleServicesAreNot) {
  for (const auto* name :
       {"google.com.evil.net", "notgoogle.com", "mail.google.com", "www.notgoogle.com",
        "google.evil.net", "google.co.evil", "google.com.a", "google.c0m", "google",
        "google.", "www.google", "forcesafesearch.google.com", "google.com.au.evil.net",
        "www.www.google.com", "google.community", "youtube.com.evil.net", "bing.com.evil.net",
        "evilbing.com", "duckduckgo.com.evil.net", "brave.com", "safe.duckduckgo.com"}) {
    EXPECT_EQ(safeSearchTarget(name, Level::Strict), "") << name;
  }
}

TEST(SafeSearchTest, EachEnginesHostsGetItsTarget) {
  for (const auto* name : {"www.youtube.com", "m.youtube.com", "youtubei.googleapis.com",
                           "youtube.googleapis.com", "www.youtube-nocookie.com"}) {
    EXPECT_EQ(safeSearchTarget(name, Level::Strict), "restrict.youtube.com") << name;
    EXPECT_EQ(safeSearchTarget(name, Level::Moderate), "restrictmoderate.youtube.com") << name;
  }
  for (const auto level : {Level::Strict, Level::Moderate}) {
    EXPECT_EQ(safeSearchTarget("www.bing.com", level), "strict.bing.com");
    EXPECT_EQ(safeSearchTarget("bing.com", level), "strict.bing.com");
    EXPECT_EQ(safeSearchTarget("duckduckgo.com", level), "safe.duckduckgo.com");
    EXPECT_EQ(safeSearchTarget("www.duckduckgo.com", level), "safe.duckduckgo.com");
    EXPECT_EQ(safeSearchTarget("search.brave.com", level), "forcesafe.search.brave.com");
  }
}

TEST(SafeSearchTest, OffRewritesNothing) {
  for (const auto& engine : safeSearchEngines()) {
    for (const auto host : engine.hosts) EXPECT_EQ(safeSearchTarget(host, Level::Off), "") << host;
  }
  EXPECT_EQ(safeSearchTarget("www.google.com", Level::Off), "");
  EXPECT_EQ(SafeSearchFilter(Level::Off).decide("www.google.com", 1).action,
            Verdict::Action::Allow);
}

TEST(SafeSearchTest, TheFilterAnswersWithARewrite) {
  const SafeSearchFilter filter(Level::Moderate);
  const auto youtube = filter.decide("m.youtube.com", 28);
  EXPECT_EQ(youtube.action, Verdict::Action::Rewrite);
  EXPECT_EQ(youtube.rewriteTarget, "restrictmoderate.youtube.com");
  EXPECT_EQ(filter.decide("allowed.test", 1).action, Verdict::Action::Allow);
}

TEST(SafeSearchTest, LevelsAreParsedFromTheSetting) {
  EXPECT_EQ(parseSafeSearchLevel("strict"), Level::Strict);
  EXPECT_EQ(parseSafeSearchLevel("moderate"), Level::Moderate);
  EXPECT_EQ(parseSafeSearchLevel("off"), Level::Off);
  EXPECT_EQ(parseSafeSearchLevel("Strict"), std::nullopt);
  EXPECT_EQ(parseSafeSearchLevel(""), std::nullopt);
}

}  // namespace
}  // namespace clubsafe::agent::dns
