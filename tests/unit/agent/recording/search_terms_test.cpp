#include "agent/recording/search_terms.hpp"

#include <gtest/gtest.h>

#include <string>

namespace clubsafe::agent::recording {
namespace {

using Engine = SearchEngine;

void expectTerms(std::string_view url, Engine engine, std::string_view terms) {
  const auto found = searchTermsFromUrl(url);
  ASSERT_TRUE(found.has_value()) << url;
  EXPECT_EQ(found->engine, engine) << url;
  EXPECT_EQ(found->terms, terms) << url;
}

TEST(SearchTermsTest, EachEngineAsItsResultPagesLookInHistory) {
  expectTerms(
      "https://www.google.com/search?q=how+to+revise+for+gcses&sca_esv=5b1c&source=hp"
      "&ei=Zx2YZf&iflsig=AO6bgOg&ved=0ahUKEwi&uact=5&oq=how+to+revise&gs_lp=Egdnd3",
      Engine::Google, "how to revise for gcses");
  expectTerms("https://www.google.co.uk/search?client=firefox-b-d&q=bus+times+margate",
              Engine::Google, "bus times margate");
  expectTerms("https://google.com.au/search?tbm=isch&q=koala", Engine::Google, "koala");
  expectTerms("https://www.bing.com/search?q=minecraft+seeds&form=QBLH&sp=-1&pq=minecraft+seeds",
              Engine::Bing, "minecraft seeds");
  expectTerms("https://www.bing.com/images/search?q=red+panda&form=HDRSC2", Engine::Bing,
              "red panda");
  expectTerms("https://duckduckgo.com/?q=football+results&t=h_&ia=web", Engine::DuckDuckGo,
              "football results");
  expectTerms("https://html.duckduckgo.com/html/?q=weather", Engine::DuckDuckGo, "weather");
  expectTerms("https://www.youtube.com/results?search_query=lofi+hip+hop", Engine::YouTube,
              "lofi hip hop");
  expectTerms("https://m.youtube.com/results?sp=mAEB&search_query=skate+tricks", Engine::YouTube,
              "skate tricks");
  expectTerms(
      "https://search.yahoo.com/search;_ylt=AwrFR.Lz;_ylu=Y29sbwNiZjE-?p=train+tickets"
      "&fr=sfp&fr2=p%3As%2Cv%3Asfp",
      Engine::Yahoo, "train tickets");
  expectTerms("https://uk.search.yahoo.com/search?p=cinema&fr=yfp-t", Engine::Yahoo, "cinema");
  expectTerms("https://www.ecosia.org/search?method=index&q=tree+planting", Engine::Ecosia,
              "tree planting");
  expectTerms("https://www.ecosia.org/images?q=tree", Engine::Ecosia, "tree");
  expectTerms("https://search.brave.com/search?q=guitar+chords&source=web", Engine::Brave,
              "guitar chords");
  expectTerms("https://www.startpage.com/sp/search?query=homework+help&cat=web&pl=ext-ff",
              Engine::Startpage, "homework help");
  expectTerms("https://www.startpage.com/do/search?q=chess", Engine::Startpage, "chess");
}

TEST(SearchTermsTest, PercentEscapesPlusSignsAndUnicodeAreDecoded) {
  expectTerms("https://www.google.com/search?q=caf%C3%A9+cr%C3%A8me%20br%C3%BBl%C3%A9e",
              Engine::Google,
              "caf\xC3\xA9 cr\xC3\xA8me br\xC3\xBBl\xC3\xA9"
              "e");
  expectTerms("https://duckduckgo.com/?q=%E6%97%A5%E6%9C%AC%E8%AA%9E", Engine::DuckDuckGo,
              "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E");
  expectTerms("https://www.bing.com/search?q=%F0%9F%98%80+emoji", Engine::Bing,
              "\xF0\x9F\x98\x80 emoji");
  // Firefox keeps some URLs with their characters unescaped.
  expectTerms("https://www.google.com/search?q=na\xC3\xAFve", Engine::Google, "na\xC3\xAFve");
  expectTerms("https://www.google.com/search?q=1%2B1%3D2+%26+more", Engine::Google, "1+1=2 & more");
  expectTerms("https://www.google.com/search?q=%22exact+phrase%22", Engine::Google,
              "\"exact phrase\"");
}

TEST(SearchTermsTest, MalformedEscapesAndInvalidUtf8AreMadeSafe) {
  expectTerms("https://www.google.com/search?q=100%+sure%zz%4", Engine::Google, "100% sure%zz%4");
  expectTerms("https://www.google.com/search?q=bad%FFbyte", Engine::Google,
              "bad\xEF\xBF\xBD"
              "byte");
  expectTerms("https://www.google.com/search?q=%C3%28", Engine::Google, "\xEF\xBF\xBD(");
  expectTerms("https://www.google.com/search?q=%ED%A0%80surrogate", Engine::Google,
              "\xEF\xBF\xBDsurrogate");
  expectTerms("https://www.google.com/search?q=%C0%AFoverlong", Engine::Google,
              "\xEF\xBF\xBDoverlong");
  expectTerms("https://www.google.com/search?q=tab%09and%00nul%0Aline", Engine::Google,
              "tab and nul line");
  expectTerms("https://www.google.com/search?q=++spaced+++out++", Engine::Google, "spaced out");
}

TEST(SearchTermsTest, TermsAreCutAtACharacterBoundary) {
  std::string url = "https://www.google.com/search?q=a";
  for (int i = 0; i < 10000; ++i) url += "%C3%A9";  // é, two bytes each
  const auto found = searchTermsFromUrl(url);
  ASSERT_TRUE(found.has_value());
  EXPECT_LE(found->terms.size(), kMaxSearchTermsBytes);
  EXPECT_GE(found->terms.size(), kMaxSearchTermsBytes - 1);
  EXPECT_EQ(found->terms.size() % 2, 1U);  // "a" then whole two-byte characters
  EXPECT_EQ(found->terms.substr(found->terms.size() - 2), "\xC3\xA9");
}

TEST(SearchTermsTest, HostsAreMatchedCaseInsensitivelyWithPortsAndUserInfo) {
  expectTerms("HTTPS://WWW.Google.COM/search?q=Case", Engine::Google, "Case");
  expectTerms("https://www.google.com:443/search?q=port", Engine::Google, "port");
  expectTerms("https://www.google.com./search?q=dot", Engine::Google, "dot");
  expectTerms("http://user:pw@www.bing.com/search?q=userinfo", Engine::Bing, "userinfo");
  expectTerms("https://www.bing.com/search/?q=slash#fragment", Engine::Bing, "slash");
}

TEST(SearchTermsTest, OtherPagesOfTheEnginesAndLookalikesGiveNothing) {
  for (const auto* url : {
           "https://www.google.com/url?q=https://example.com/&sa=U",  // a redirect, not a search
           "https://www.google.com/maps/search/cafe?q=cafe",
           "https://mail.google.com/search?q=inbox",
           "https://www.google.com.evil.net/search?q=phish",
           "https://notgoogle.com/search?q=x",
           "https://www.google.com/search?hl=en",      // no terms
           "https://www.google.com/search?q=",         // empty terms
           "https://www.google.com/search?q=+++",      // only spaces
           "https://www.google.com/search?qq=x&aq=y",  // other parameters
           "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
           "https://www.youtube.com/results?q",
           "https://bing.com.evil.net/search?q=x",
           "https://evilduckduckgo.com/?q=x",
           "https://duckduckgo.com/privacy?q=x",
           "https://yahoo.com/search?p=x",
           "https://search.yahoo.com/search?q=x",  // Yahoo's terms are in p
           "https://search.brave.com/settings?q=x",
           "https://www.startpage.com/sp/search",  // the usual POST form: no terms in the URL
           "ftp://www.google.com/search?q=ftp",
           "file:///home/user/search?q=x",
           "https://[2001:db8::1]/search?q=x",
           "www.google.com/search?q=noscheme",
           "https:///search?q=nohost",
           "",
           "https://",
           "https://www.google.com",
       }) {
    EXPECT_FALSE(searchTermsFromUrl(url).has_value()) << url;
  }
}

TEST(SearchTermsTest, EngineNamesAreStable) {
  EXPECT_EQ(searchEngineName(Engine::Google), "google");
  EXPECT_EQ(searchEngineName(Engine::DuckDuckGo), "duckduckgo");
  EXPECT_EQ(searchEngineName(Engine::Startpage), "startpage");
}

TEST(SearchTermsTest, DecodeQueryValueKeepsToItsLimit) {
  EXPECT_EQ(decodeQueryValue("a+b%20c", 3), "a b");
  EXPECT_EQ(decodeQueryValue("%E2%9C%93%E2%9C%93", 4), "\xE2\x9C\x93");
  EXPECT_EQ(decodeQueryValue("", 10), "");
  EXPECT_EQ(decodeQueryValue("%", 10), "%");
  EXPECT_EQ(decodeQueryValue("%4", 10), "%4");
}

}  // namespace
}  // namespace clubsafe::agent::recording
