// The usage explorer's query string: what it accepts, what it refuses with a 400, cursors that
// go out and come back, and the context of an event.
#include "collector/http/console/explorer_filter.hpp"
#include "collector/http/api_error.hpp"
#include "common/crypto.hpp"
#include "common/time.hpp"

#include <Poco/URI.h>
#include <gtest/gtest.h>

namespace clubsafe::collector {
namespace {

using namespace std::chrono_literals;

Timestamp at(std::string_view text) {
  return common::parseTimestamp(text).value();
}

ExplorerQuery parse(const std::string& queryString) {
  return parseExplorerQuery(Poco::URI("/api/console/events?" + queryString).getQueryParameters());
}

// The message of the 400 a query string gets, or "" when it is accepted.
std::string refusal(const std::string& queryString) {
  try {
    (void)parse(queryString);
    return "";
  } catch (const ApiError& error) {
    EXPECT_EQ(error.status(), 400);
    return error.what();
  }
}

TEST(ExplorerFilter, ReadsEveryFilter) {
  const auto query = parse(
      "from=2026-03-01T18:00:00Z&to=2026-03-01T22:00:00.000Z&device=dev_1&member=M-7&"
      "account=alex&profile=juniors&app=minetest&site=Casino.Test&category=gambling&"
      "action=blocked&type=dns_decision&limit=250");
  const auto& filter = query.filter;
  EXPECT_EQ(filter.from, at("2026-03-01T18:00:00.000Z"));
  EXPECT_EQ(filter.to, at("2026-03-01T22:00:00.000Z"));
  EXPECT_EQ(filter.deviceId, "dev_1");
  EXPECT_EQ(filter.member, "M-7");
  EXPECT_EQ(filter.osUser, "alex");
  EXPECT_EQ(filter.profile, "juniors");
  EXPECT_EQ(filter.app, "minetest");
  EXPECT_EQ(filter.site, "casino.test");  // domains are compared in lower case
  EXPECT_EQ(filter.category, "gambling");
  EXPECT_EQ(filter.action, "blocked");
  EXPECT_EQ(filter.type, common::EventType::DnsDecision);
  EXPECT_EQ(query.limit, 250U);
  EXPECT_FALSE(query.after);
}

TEST(ExplorerFilter, EmptyValuesAndNoParametersFilterNothing) {
  EXPECT_EQ(parse("").filter, EventFilter{});
  EXPECT_EQ(parse("member=&site=&from=").filter, EventFilter{});
  EXPECT_EQ(parse("").limit, ExplorerQuery::kDefaultLimit);
}

TEST(ExplorerFilter, RefusesWhatIsNotAFilterWithAMessageNamingIt) {
  EXPECT_NE(refusal("colour=red").find("\"colour\""), std::string::npos);
  EXPECT_NE(refusal("member=a&member=b").find("more than once"), std::string::npos);
  EXPECT_NE(refusal("from=yesterday").find("\"from\""), std::string::npos);
  EXPECT_NE(refusal("to=2026-02-30T00:00:00Z").find("\"to\""), std::string::npos);
  EXPECT_NE(refusal("from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z").find("ends before"),
            std::string::npos);
  EXPECT_NE(refusal("from=2026-03-01T00:00:00Z&to=2026-03-01T00:00:00Z"), "");
  EXPECT_NE(refusal("type=picnic").find("\"type\""), std::string::npos);
  EXPECT_NE(refusal("type=safeguarding_alert").find("safeguarding lead"), std::string::npos);
  EXPECT_NE(refusal("type=worry_report"), "");
  for (const auto* limit : {"0", "1001", "-1", "ten", "5x", "99999999999999999999"}) {
    EXPECT_NE(refusal(std::string("limit=") + limit).find("\"limit\""), std::string::npos);
  }
  EXPECT_NE(refusal("member=" + std::string(257, 'm')).find("too long"), std::string::npos);
  EXPECT_EQ(refusal("member=" + std::string(256, 'm')), "");
  EXPECT_NE(refusal("cursor=zz").find("cursor"), std::string::npos);
}

TEST(ExplorerFilter, ACursorComesBackAsItWent) {
  const EventCursor cursor{.time = at("2026-03-01T18:00:00.125Z"),
                           .deviceId = "dev_9f.with.dots",
                           .sequence = 123456789};
  const auto text = encodeCursor(cursor);
  EXPECT_EQ(decodeCursor(text), cursor);
  EXPECT_EQ(parse("cursor=" + text).after, cursor);
}

TEST(ExplorerFilter, ACursorNotMadeHereIsRefused) {
  for (const std::string& text : std::vector<std::string>{
           "", "0", "abc", "zz", "2e2e", "31", "312e", "312e322e", "2d312e312e64", "312e2d312e64x",
           encodeCursor({at("2026-03-01T18:00:00Z"), "d", 1}) + "0"}) {
    EXPECT_FALSE(decodeCursor(text)) << text;
  }
  // A time beyond what the database holds (year 10000 and later) is no cursor either.
  EXPECT_FALSE(decodeCursor(common::toHex("253402300800000.1.d")));
}

TEST(ExplorerFilter, AQueryStringReadsBackAsTheSameFilter) {
  EventFilter filter;
  filter.from = at("2026-03-01T18:00:00.000Z");
  filter.to = at("2026-03-01T19:00:00.000Z");
  filter.member = "Jo & Sam = 100% +1 ?#/";
  filter.osUser = "alex";
  filter.site = "casino.test";
  filter.type = common::EventType::BrowserVisit;
  const auto text = filterQueryString(filter);
  EXPECT_EQ(text.find(' '), std::string::npos);
  EXPECT_EQ(parse(text).filter, filter);
  EXPECT_EQ(filterQueryString({}), "");
}

TEST(ExplorerFilter, TheContextIsThePersonOnTheLaptopAnHourEitherSide) {
  ExploredEvent event;
  event.deviceId = "dev_1";
  event.time = at("2026-03-01T18:30:00.000Z");
  event.osUser = "club";
  event.member = "M-7";
  auto context = contextOf(event);
  EXPECT_EQ(context.from, at("2026-03-01T17:30:00.000Z"));
  EXPECT_EQ(context.to, at("2026-03-01T19:30:00.000Z"));
  EXPECT_EQ(context.deviceId, "dev_1");
  EXPECT_EQ(context.member, "M-7");
  EXPECT_EQ(context.osUser, "");  // a shared account: the member is the person

  event.member.clear();
  context = contextOf(event);
  EXPECT_EQ(context.member, "");
  EXPECT_EQ(context.osUser, "club");
}

TEST(ExplorerFilter, APersonIsNamedByAMemberOrAnAccount) {
  EXPECT_FALSE(filterNamesPerson({.site = "casino.test"}));
  EXPECT_TRUE(filterNamesPerson({.member = "M-7"}));
  EXPECT_TRUE(filterNamesPerson({.osUser = "alex"}));
  ExploredEvent event;
  EXPECT_FALSE(eventNamesPerson(event));
  event.osUser = "alex";
  EXPECT_TRUE(eventNamesPerson(event));
}

}  // namespace
}  // namespace clubsafe::collector
