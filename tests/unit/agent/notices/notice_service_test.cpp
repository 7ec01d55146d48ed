#include "agent/notices/notice_service.hpp"

#include "agent/notices/notice_events.hpp"
#include "tests/unit/agent/notices/notice_fixture.hpp"

#include <Poco/JSON/Array.h>

#include <gtest/gtest.h>

#include <algorithm>

namespace clubsafe::agent::notices {
namespace {

namespace proto = common::notice;
using common::EventType;
using std::chrono::minutes;

constexpr std::uint64_t kConnection = 1;
constexpr std::uint32_t kUid = 1000;

class NoticeServiceTest : public ::testing::Test, public testing::NoticeFixture {
 protected:
  NoticeServiceTest() {
    service.setPush([this](std::uint32_t uid, const std::string& line) {
      pushed_.push_back(proto::parseMessage(line));
      pushedTo_.push_back(uid);
    });
    service.opened({kConnection, kUid, "pupil"});
  }

  // The reply to `line` from `connection`, checked against the protocol.
  proto::Message send(const std::string& line, std::uint64_t connection = kConnection) {
    const auto reply = service.handleLine(connection, line);
    EXPECT_EQ(reply.back(), '\n');
    auto message = proto::parseMessage(std::string_view(reply).substr(0, reply.size() - 1));
    EXPECT_EQ(message.type, proto::MessageType::Reply);
    return message;
  }
  static bool ok(const proto::Message& reply) { return reply.body->getValue<bool>("ok"); }
  static std::string error(const proto::Message& reply) {
    return reply.body->has("error") ? reply.body->getValue<std::string>("error") : "";
  }
  static Poco::JSON::Object::Ptr state(const proto::Message& message) {
    return message.body->getObject("state");
  }
  proto::Message signIn(const std::string& name, const std::string& band) {
    return send(R"({"type":"sign_in","id":2,"name":")" + name + R"(","age_band":")" + band +
                R"("})");
  }
  std::string noticeVersion() {
    return send(R"({"type":"hello","id":1})")
        .body->getObject("notice")
        ->getValue<std::string>("version");
  }

  // That nothing a refused request could have changed has changed.
  void expectNothingChanged() {
    EXPECT_TRUE(events().empty());
    EXPECT_EQ(active.current().profileId, "juniors");
    EXPECT_FALSE(active.current().ageBand.has_value());
    EXPECT_TRUE(pushed_.empty());
  }

  // What was pushed to `uid`'s notice programs.
  std::vector<proto::Message> pushedTo(std::uint32_t uid) const {
    std::vector<proto::Message> theirs;
    for (std::size_t i = 0; i < pushed_.size(); ++i) {
      if (pushedTo_[i] == uid) theirs.push_back(pushed_[i]);
    }
    return theirs;
  }

  std::vector<proto::Message> pushed_;
  std::vector<std::uint32_t> pushedTo_;  // whose each of pushed_ was
};

TEST_F(NoticeServiceTest, HelloShowsTheNoticeAndWhoIsSignedIn) {
  const auto reply = send(R"({"type":"hello","id":1})");
  EXPECT_EQ(reply.id, 1);
  EXPECT_TRUE(ok(reply));
  const auto notice = reply.body->getObject("notice");
  EXPECT_EQ(notice->getValue<std::string>("club_name"), "Your youth club");
  EXPECT_GE(notice->getArray("paragraphs")->size(), 4U);
  EXPECT_FALSE(notice->getValue<std::string>("version").empty());
  const auto shown = state(reply);
  EXPECT_FALSE(shown->has("member"));
  EXPECT_FALSE(shown->getValue<bool>("staff"));
  EXPECT_EQ(shown->getValue<std::string>("profile"), "Profile juniors");
  // The staff band is a PIN's, never a choice.
  const auto bands = shown->getArray("age_bands");
  ASSERT_EQ(bands->size(), 3U);  // youngest first
  EXPECT_EQ(bands->getElement<std::string>(0), "8-12");
  EXPECT_EQ(bands->getElement<std::string>(1), "12-14");
  EXPECT_EQ(bands->getElement<std::string>(2), "15-17");
  EXPECT_TRUE(events().empty());
}

TEST_F(NoticeServiceTest, TheNoticeComesFromThePolicyWhenItHasOne) {
  auto withNotice = policy();
  withNotice.notice = common::NoticeText{
      "Riverside Youth Club", {"We keep a record."}, "https://riverside.example/policy", ""};
  withNotice.notice->version = common::noticeVersion(*withNotice.notice);
  (void)active.setPolicy(dns::CompiledPolicy::compile(withNotice, nullptr));
  const auto notice = send(R"({"type":"hello","id":1})").body->getObject("notice");
  EXPECT_EQ(notice->getValue<std::string>("club_name"), "Riverside Youth Club");
  EXPECT_EQ(notice->getValue<std::string>("policy_url"), "https://riverside.example/policy");
  EXPECT_EQ(notice->getValue<std::string>("version"), withNotice.notice->version);
}

TEST_F(NoticeServiceTest, SigningInSwitchesTheProfileAndEveryEventSaysWho) {
  const auto reply = signIn("  Amira  ", "15-17");
  ASSERT_TRUE(ok(reply)) << error(reply);
  EXPECT_EQ(active.current().profileId, "seniors");
  EXPECT_TRUE(blocked("seniors.test"));
  EXPECT_FALSE(blocked("juniors.test"));
  EXPECT_EQ(state(reply)->getValue<std::string>("member"), "Amira");
  EXPECT_EQ(state(reply)->getValue<std::string>("profile"), "Profile seniors");
  ASSERT_EQ(pushed_.size(), 1U);  // every notice program hears of it
  EXPECT_EQ(pushed_[0].type, proto::MessageType::State);
  EXPECT_EQ(state(pushed_[0])->getValue<std::string>("age_band"), "15-17");

  auto other = blockNoticeEvent("pupil", "bet.test", "gambling");
  ASSERT_TRUE(outbox.append(other).ok());
  const auto signedIn = events();
  ASSERT_EQ(signedIn.size(), 2U);
  const auto& event = signedIn[0].type == EventType::MemberSignIn ? signedIn[0] : signedIn[1];
  EXPECT_EQ(event.type, EventType::MemberSignIn);
  EXPECT_EQ(event.osUser, "pupil");
  EXPECT_EQ(event.member, "Amira");
  EXPECT_EQ(event.profile, "seniors");
  EXPECT_EQ(event.payload->getValue<std::string>("method"), "first_name");
  EXPECT_EQ(event.payload->getValue<std::string>("age_band"), "15-17");
  for (const auto& any : signedIn) {
    EXPECT_EQ(any.member, "Amira");
    EXPECT_EQ(any.profile, "seniors");
  }
  // Another account's events are not Amira's; the laptop's own are.
  auto anotherAccount = blockNoticeEvent("teacher", "bet.test", "gambling");
  ASSERT_TRUE(outbox.append(anotherAccount).ok());
  auto laptops = blockNoticeEvent("", "bet.test", "gambling");
  ASSERT_TRUE(outbox.append(laptops).ok());
  const auto stamped = outbox.nextBatch(100);
  const auto last = common::decodeEvent(stamped.back().encoded);
  const auto beforeLast = common::decodeEvent(stamped[stamped.size() - 2].encoded);
  EXPECT_TRUE(beforeLast.member.empty());
  EXPECT_EQ(beforeLast.profile, "seniors");
  EXPECT_EQ(last.member, "Amira");

  const auto out = send(R"({"type":"sign_out","id":3})");
  ASSERT_TRUE(ok(out)) << error(out);
  EXPECT_FALSE(state(out)->has("member"));
  EXPECT_EQ(active.current().profileId, "juniors");
  EXPECT_TRUE(blocked("juniors.test"));
  const auto signOuts = events(EventType::MemberSignOut);
  ASSERT_EQ(signOuts.size(), 1U);
  EXPECT_EQ(signOuts[0].member, "Amira");
  EXPECT_EQ(signOuts[0].payload->getValue<std::string>("reason"), "signed_out");
  EXPECT_EQ(pushed_.size(), 2U);

  // Nobody signed in: events name nobody, and the default profile.
  auto later = blockNoticeEvent("pupil", "bet.test", "gambling");
  ASSERT_TRUE(outbox.append(later).ok());
  const auto afterSignOut = common::decodeEvent(outbox.nextBatch(100).back().encoded);
  EXPECT_TRUE(afterSignOut.member.empty());
  EXPECT_EQ(afterSignOut.profile, "juniors");
  EXPECT_FALSE(ok(send(R"({"type":"sign_out","id":4})")));
}

TEST_F(NoticeServiceTest, AMemberCodeHasADigitAndNamesMayBeInAnyScript) {
  ASSERT_TRUE(ok(signIn("JS-2041", "8-12")));
  EXPECT_EQ(events(EventType::MemberSignIn).back().payload->getValue<std::string>("method"),
            "member_code");
  const auto zoe = signIn("Zoë Nuñez-Łukasz", "12-14");
  ASSERT_TRUE(ok(zoe)) << error(zoe);
  const auto signIns = events(EventType::MemberSignIn);
  EXPECT_EQ(signIns.back().member, "Zoë Nuñez-Łukasz");
  EXPECT_EQ(signIns.back().payload->getValue<std::string>("method"), "first_name");
  // The first member was signed out as the second signed in.
  const auto signOuts = events(EventType::MemberSignOut);
  ASSERT_EQ(signOuts.size(), 1U);
  EXPECT_EQ(signOuts[0].member, "JS-2041");
  // 40 letters of two bytes each: within the protocol's and the name's limits.
  std::string forty;
  for (int i = 0; i < 40; ++i) forty += "é";
  EXPECT_TRUE(ok(signIn(forty, "8-12")));
}

TEST_F(NoticeServiceTest, ABadSignInIsRefusedInPlainWordsAndChangesNothing) {
  const std::vector<std::pair<std::string, std::string>> bad{
      {"", "8-12"},     {"   ", "8-12"},
      {"Sam!", "8-12"}, {"<b>Sam</b>", "8-12"},
      {"---", "8-12"},  {"Sam\\nSmith", "8-12"},
      {"Sam", "staff"}, {"Sam", "99-100"},
      {"Sam", ""},      {std::string(41, 'a'), "8-12"},
  };
  for (const auto& [name, band] : bad) {
    const auto reply = signIn(name, band);
    EXPECT_FALSE(ok(reply)) << name << " " << band;
    EXPECT_GT(error(reply).size(), 10U) << name;
    EXPECT_EQ(reply.id, 2);
  }
  std::string fortyOne;
  for (int i = 0; i < 41; ++i) fortyOne += "é";
  EXPECT_FALSE(ok(signIn(fortyOne, "8-12")));
  expectNothingChanged();
}

TEST_F(NoticeServiceTest, AMalformedMessageIsRefusedAndChangesNothing) {
  const std::vector<std::string> malformed{
      "",
      "not json",
      "[1,2,3]",
      R"({"type":"sign_in","id":4,"name":"Sam","age_band":"15-17","admin":true})",
      R"({"type":"sign_in","id":4,"name":"Sam"})",
      R"({"type":"sign_in","id":4,"name":7,"age_band":"15-17"})",
      R"({"type":"sign_in","id":-4,"name":"Sam","age_band":"15-17"})",
      R"({"type":"report_worry","id":4,"about":"bullying","message":")" +
          std::string(proto::kMaxWorryLength + 1, 'x') + "\"}",
      R"({"type":"reply","id":4,"ok":true})",
      R"({"type":"state","state":{"staff":true,"profile":"x","age_bands":[],"overrides":[]}})",
      R"({"type":"launch_missiles","id":4})",
      R"({"a":[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]})",
      "{\"type\":\"sign_in\",\"id\":4,\"name\":\"\xff\xfe\",\"age_band\":\"15-17\"}",
  };
  for (const auto& line : malformed) {
    const auto reply = send(line);
    EXPECT_FALSE(ok(reply)) << line.substr(0, 80);
    EXPECT_FALSE(error(reply).empty());
  }
  // The id is repeated when there was one to read.
  EXPECT_EQ(send(malformed[3]).id, 4);
  EXPECT_EQ(send(malformed[1]).id, 0);
  EXPECT_NE(error(send(malformed[3])).find("Nothing was changed"), std::string::npos);
  expectNothingChanged();
}

TEST_F(NoticeServiceTest, ARequestOnAConnectionNotOpenIsRefused) {
  const auto reply = send(R"({"type":"sign_in","id":5,"name":"Sam","age_band":"8-12"})", 99);
  EXPECT_FALSE(ok(reply));
  EXPECT_EQ(reply.id, 5);
  expectNothingChanged();
}

TEST_F(NoticeServiceTest, AWorryIsRecordedAsCriticalAndLeavesFirst) {
  auto older = blockNoticeEvent("pupil", "bet.test", "gambling");
  ASSERT_TRUE(outbox.append(older).ok());
  const auto reply = send(
      R"({"type":"report_worry","id":9,"about":"someone_online","message":"  Someone keeps messaging me.\nI don't like it.  "})");
  ASSERT_TRUE(ok(reply)) << error(reply);
  EXPECT_EQ(reply.id, 9);
  const auto all = events();
  ASSERT_EQ(all.size(), 2U);
  EXPECT_EQ(all[0].type, EventType::WorryReport);  // before the older event
  EXPECT_EQ(common::eventTypeInfo(all[0].type).priority, common::Priority::Critical);
  EXPECT_EQ(all[0].osUser, "pupil");
  EXPECT_EQ(all[0].payload->getValue<std::string>("about"), "someone_online");
  EXPECT_EQ(all[0].payload->getValue<std::string>("message"),
            "Someone keeps messaging me.\nI don't like it.");

  EXPECT_FALSE(ok(send(R"({"type":"report_worry","id":10,"about":"homework","message":"x"})")));
  EXPECT_FALSE(ok(send(R"({"type":"report_worry","id":11,"about":"bullying","message":" \n "})")));
  EXPECT_EQ(events(EventType::WorryReport).size(), 1U);
}

TEST_F(NoticeServiceTest, AnAcknowledgementIsRecordedOnceWithTheVersionShown) {
  EXPECT_FALSE(ok(send(R"({"type":"acknowledge","id":1,"notice_version":"x"})")));  // no hello
  const auto version = noticeVersion();
  EXPECT_FALSE(ok(send(R"({"type":"acknowledge","id":2,"notice_version":"old"})")));
  ASSERT_TRUE(ok(send(R"({"type":"acknowledge","id":3,"notice_version":")" + version + "\"}")));
  ASSERT_TRUE(ok(send(R"({"type":"acknowledge","id":4,"notice_version":")" + version + "\"}")));
  now += minutes(30);
  service.tick();
  service.closed(kConnection);
  const auto acknowledged = events(EventType::NoticeAcknowledged);
  ASSERT_EQ(acknowledged.size(), 1U);
  EXPECT_TRUE(acknowledged[0].payload->getValue<bool>("acknowledged"));
  EXPECT_EQ(acknowledged[0].payload->getValue<std::string>("notice_version"), version);
  EXPECT_EQ(acknowledged[0].osUser, "pupil");
}

TEST_F(NoticeServiceTest, ANoticeNotAcknowledgedInTimeIsRecordedOnce) {
  const auto version = noticeVersion();
  now += minutes(9);
  service.tick();
  EXPECT_TRUE(events().empty());
  now += minutes(1);
  service.tick();
  now += minutes(10);
  service.tick();
  service.closed(kConnection);
  const auto missing = events(EventType::NoticeAcknowledged);
  ASSERT_EQ(missing.size(), 1U);
  EXPECT_FALSE(missing[0].payload->getValue<bool>("acknowledged"));
  EXPECT_EQ(missing[0].payload->getValue<std::string>("notice_version"), version);
}

TEST_F(NoticeServiceTest, AConnectionEndingBeforeTheAcknowledgementIsRecorded) {
  service.opened({2, kUid, "pupil"});
  (void)noticeVersion();
  service.closed(kConnection);
  service.closed(2);  // never shown the notice: nothing to say
  const auto missing = events(EventType::NoticeAcknowledged);
  ASSERT_EQ(missing.size(), 1U);
  EXPECT_FALSE(missing[0].payload->getValue<bool>("acknowledged"));
}

TEST_F(NoticeServiceTest, TheMemberIsSignedOutWhenTheirSessionEnds) {
  sessions.set({session(kUid, "active")});
  service.opened({2, kUid + 1, "other"});  // another person's connection keeps nobody signed in
  ASSERT_TRUE(ok(signIn("Amira", "15-17")));
  service.closed(kConnection);  // the notice program restarting: the session is still open
  service.tick();
  EXPECT_EQ(active.current().profileId, "seniors");
  sessions.set({session(kUid, "closing")});
  service.tick();
  EXPECT_EQ(active.current().profileId, "juniors");
  const auto signOuts = events(EventType::MemberSignOut);
  ASSERT_EQ(signOuts.size(), 1U);
  EXPECT_EQ(signOuts[0].payload->getValue<std::string>("reason"), "session_ended");
  EXPECT_FALSE(state(pushed_.back())->has("member"));
}

TEST_F(NoticeServiceTest, OnlyAMemberOnTheRegisterMayChooseABandOlderThanTheDefault) {
  const auto anyone = signIn("Zz Anyone", "15-17");
  EXPECT_FALSE(ok(anyone));
  EXPECT_NE(error(anyone).find("youth worker"), std::string::npos);
  expectNothingChanged();
  // The default profile's bands, and a younger one, need no register.
  ASSERT_TRUE(ok(signIn("Zz Anyone", "12-14")));
  EXPECT_EQ(active.current().profileId, "juniors");
  // On the register, however it is typed: the register's band, whatever was chosen.
  const auto amira = signIn("  aMIRA ", "8-12");
  ASSERT_TRUE(ok(amira)) << error(amira);
  EXPECT_EQ(state(amira)->getValue<std::string>("age_band"), "15-17");
  EXPECT_EQ(active.current().profileId, "seniors");
}

TEST_F(NoticeServiceTest, TheMemberIsSignedOutWhenThePolicyDropsTheirBand) {
  ASSERT_TRUE(ok(signIn("Amira", "15-17")));
  auto without = policy();
  without.profiles[1].ageBands = {"16-18"};
  without.members.clear();
  (void)active.setPolicy(dns::CompiledPolicy::compile(without, nullptr));
  service.tick();
  const auto signOuts = events(EventType::MemberSignOut);
  ASSERT_EQ(signOuts.size(), 1U);
  EXPECT_EQ(signOuts[0].payload->getValue<std::string>("reason"), "policy_changed");
  EXPECT_FALSE(active.current().ageBand.has_value());
}

TEST_F(NoticeServiceTest, AWorkerSignsInWithTheirPin) {
  const auto wrong = send(R"({"type":"staff_sign_in","id":5,"pin":"654321"})");
  EXPECT_FALSE(ok(wrong));
  EXPECT_NE(error(wrong).find("PIN"), std::string::npos);
  expectNothingChanged();
  const auto reply = send(R"({"type":"staff_sign_in","id":6,"pin":"123456"})");
  ASSERT_TRUE(ok(reply)) << error(reply);
  EXPECT_TRUE(state(reply)->getValue<bool>("staff"));
  EXPECT_EQ(state(reply)->getValue<std::string>("member"), "Sam Worker");
  EXPECT_EQ(active.current().profileId, "staff");
  const auto signIns = events(EventType::MemberSignIn);
  ASSERT_EQ(signIns.size(), 1U);
  EXPECT_EQ(signIns[0].payload->getValue<std::string>("method"), "staff_pin");
  EXPECT_EQ(signIns[0].payload->getValue<std::string>("age_band"), "staff");
}

TEST_F(NoticeServiceTest, AWorkerUnlocksASiteWithTheirPin) {
  const std::string unlock =
      R"(,"scope":"domain","target":"juniors.test","minutes":30,"reason":"Homework research"})";
  EXPECT_FALSE(ok(send(R"({"type":"override","id":7,"pin":"000000")" + unlock)));
  expectNothingChanged();
  const auto illegal = send(
      R"({"type":"override","id":8,"pin":"123456","scope":"category","target":"iwf","minutes":30,"reason":"Homework research"})");
  EXPECT_FALSE(ok(illegal));
  EXPECT_FALSE(error(illegal).empty());
  EXPECT_TRUE(blocked("juniors.test"));

  const auto reply = send(R"({"type":"override","id":9,"pin":"123456")" + unlock);
  ASSERT_TRUE(ok(reply)) << error(reply);
  EXPECT_FALSE(blocked("juniors.test"));
  const auto unlocks = state(reply)->getArray("overrides");
  ASSERT_EQ(unlocks->size(), 1U);
  EXPECT_EQ(unlocks->getElement<std::string>(0).find("juniors.test until "), 0U);
  const auto recorded = events(EventType::Override);
  ASSERT_EQ(recorded.size(), 1U);
  EXPECT_EQ(recorded[0].payload->getValue<std::string>("worker"), "Sam Worker");
  EXPECT_EQ(recorded[0].osUser, "pupil");
  EXPECT_EQ(state(pushed_.back())->getArray("overrides")->size(), 1U);
}

TEST_F(NoticeServiceTest, AReviewRequestNamesTheSiteAndItsCategory) {
  const auto reply = send(
      R"({"type":"review_request","id":3,"domain":"Bet.Test.","message":"For my maths homework"})");
  ASSERT_TRUE(ok(reply)) << error(reply);
  const auto requests = events(EventType::ReviewRequest);
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].payload->getValue<std::string>("domain"), "bet.test");
  EXPECT_EQ(requests[0].payload->getValue<std::string>("category"), "gambling");
  EXPECT_EQ(requests[0].payload->getValue<std::string>("message"), "For my maths homework");
  EXPECT_FALSE(ok(send(R"({"type":"review_request","id":4,"domain":"not a site!"})")));
  EXPECT_EQ(events(EventType::ReviewRequest).size(), 1U);
}

TEST_F(NoticeServiceTest, SomeoneListensOnceANoticeProgramHasSaidHello) {
  service.closed(kConnection);
  EXPECT_FALSE(service.anyoneListening());
  service.opened({2, kUid, "pupil"});
  EXPECT_FALSE(service.anyoneListening());  // connected, not yet a notice program
  ASSERT_TRUE(ok(proto::parseMessage(service.handleLine(2, R"({"type":"hello","id":1})"))));
  EXPECT_TRUE(service.anyoneListening());
  service.closed(2);
  EXPECT_FALSE(service.anyoneListening());
}

TEST_F(NoticeServiceTest, ABlockGoesToTheAccountAtTheScreenAndIsRecordedOncePerAccount) {
  service.closed(kConnection);
  service.pushBlocked("bet.test", "gambling", "betting and gambling");
  EXPECT_TRUE(pushed_.empty());  // nobody to tell, nothing recorded
  EXPECT_TRUE(events(EventType::BlockNotice).empty());

  service.opened({2, kUid, "pupil"});
  service.opened({3, kUid, "pupil"});
  service.opened({4, kUid + 1, "other"});
  // No session manager: every account connected is told.
  service.pushBlocked("bet.test", "gambling", "betting and gambling");
  ASSERT_EQ(pushed_.size(), 2U);
  EXPECT_EQ(pushed_[0].type, proto::MessageType::Blocked);
  EXPECT_EQ(pushed_[0].body->getValue<std::string>("domain"), "bet.test");
  EXPECT_EQ(pushed_[0].body->getValue<std::string>("reason"), "betting and gambling");
  EXPECT_EQ(events(EventType::BlockNotice).size(), 2U);

  // The other account is logged in, but not at the screen: it hears nothing.
  sessions.set({session(kUid, "active"), session(kUid + 1, "online")});
  service.pushBlocked("games.test", "games", "games");
  ASSERT_EQ(pushedTo(kUid).size(), 2U);
  EXPECT_EQ(pushedTo(kUid + 1).size(), 1U);
  const auto notices = events(EventType::BlockNotice);
  ASSERT_EQ(notices.size(), 3U);
  EXPECT_EQ(notices[2].osUser, "pupil");
  EXPECT_EQ(notices[2].payload->getValue<std::string>("category"), "games");
  // What the protocol cannot carry is dropped, not sent half-right.
  service.pushBlocked(std::string(300, 'a'), "gambling", "betting");
  EXPECT_EQ(pushed_.size(), 3U);
}

TEST_F(NoticeServiceTest, WhoIsSignedInIsToldOnlyToTheirOwnAccount) {
  service.opened({2, kUid + 1, "other"});
  ASSERT_TRUE(ok(signIn("Amira", "15-17")));
  const auto theirs = pushedTo(kUid);
  ASSERT_FALSE(theirs.empty());
  EXPECT_EQ(state(theirs.back())->getValue<std::string>("member"), "Amira");
  const auto others = pushedTo(kUid + 1);
  ASSERT_FALSE(others.empty());  // the profile in force changed for them too
  EXPECT_FALSE(state(others.back())->has("member"));
  EXPECT_EQ(state(others.back())->getValue<std::string>("profile"), "Profile seniors");
  const auto hello = send(R"({"type":"hello","id":1})", 2);
  EXPECT_FALSE(state(hello)->has("member"));
  EXPECT_FALSE(state(hello)->has("age_band"));
}

TEST_F(NoticeServiceTest, AnotherAccountCannotSignTheMemberOutOrSignInOverThem) {
  service.opened({2, kUid + 1, "other"});
  ASSERT_TRUE(ok(signIn("Amira", "15-17")));
  const auto signOut = send(R"({"type":"sign_out","id":3})", 2);
  EXPECT_FALSE(ok(signOut));
  EXPECT_NE(error(signOut).find("Only the person who signed in"), std::string::npos);
  const auto signIn = send(R"({"type":"sign_in","id":4,"name":"Alex","age_band":"8-12"})", 2);
  EXPECT_FALSE(ok(signIn));
  EXPECT_NE(error(signIn).find("another account"), std::string::npos);
  EXPECT_EQ(active.current().profileId, "seniors");
  EXPECT_TRUE(events(EventType::MemberSignOut).empty());

  // A worker's PIN still takes over, from any account.
  ASSERT_TRUE(ok(send(R"({"type":"staff_sign_in","id":5,"pin":"123456"})", 2)));
  EXPECT_EQ(active.current().profileId, "staff");
  EXPECT_FALSE(ok(send(R"({"type":"sign_out","id":6})")));
  ASSERT_TRUE(ok(send(R"({"type":"sign_out","id":7})", 2)));
  EXPECT_EQ(active.current().profileId, "juniors");
}

TEST_F(NoticeServiceTest, AWorkersSignInEndsAfterItsTimeLimit) {
  sessions.set({session(kUid, "active")});
  ASSERT_TRUE(ok(send(R"({"type":"staff_sign_in","id":6,"pin":"123456"})")));
  now += std::chrono::hours(2) - std::chrono::seconds(1);
  service.tick();
  EXPECT_EQ(active.current().profileId, "staff");
  now += std::chrono::seconds(1);
  service.tick();
  EXPECT_EQ(active.current().profileId, "juniors");
  const auto signOuts = events(EventType::MemberSignOut);
  ASSERT_EQ(signOuts.size(), 1U);
  EXPECT_EQ(signOuts[0].payload->getValue<std::string>("reason"), "time_limit");
}

}  // namespace
}  // namespace clubsafe::agent::notices
