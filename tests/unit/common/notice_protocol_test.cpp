#include "common/notice_protocol.hpp"

#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <string>

namespace clubsafe::common::notice {
namespace {

std::string errorOf(std::string_view line) {
  try {
    (void)parseMessage(line);
  } catch (const ProtocolError& error) {
    return error.what();
  }
  return "";
}

TEST(NoticeProtocol, ARequestRoundTripsWithItsId) {
  Message message;
  message.type = MessageType::SignIn;
  message.id = 7;
  message.body->set("name", "Sam");
  message.body->set("age_band", "8-12");
  const auto line = serialiseMessage(message);
  ASSERT_EQ(line.back(), '\n');

  const auto parsed = parseMessage(line.substr(0, line.size() - 1));
  EXPECT_EQ(parsed.type, MessageType::SignIn);
  EXPECT_EQ(parsed.id, 7);
  EXPECT_EQ(parsed.body->getValue<std::string>("name"), "Sam");
  EXPECT_EQ(parsed.body->getValue<std::string>("age_band"), "8-12");
  EXPECT_FALSE(parsed.body->has("type"));
}

TEST(NoticeProtocol, AReplyCarriesItsNestedNoticeAndStateChecked) {
  Poco::JSON::Object::Ptr notice = new Poco::JSON::Object;
  notice->set("club_name", "Riverside Youth Club");
  Poco::JSON::Array::Ptr paragraphs = new Poco::JSON::Array;
  paragraphs->add("We look after you online.");
  notice->set("paragraphs", paragraphs);
  notice->set("policy_url", "");
  notice->set("version", "abc123");
  Poco::JSON::Object::Ptr state = new Poco::JSON::Object;
  state->set("staff", false);
  state->set("profile", "Juniors");
  state->set("age_bands", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
  state->set("overrides", Poco::JSON::Array::Ptr(new Poco::JSON::Array));

  Message reply;
  reply.type = MessageType::Reply;
  reply.id = 1;
  reply.body->set("ok", true);
  reply.body->set("notice", notice);
  reply.body->set("state", state);
  const auto parsed = parseMessage(serialiseMessage(reply));
  EXPECT_EQ(parsed.body->getObject("notice")->getValue<std::string>("club_name"),
            "Riverside Youth Club");

  state->set("colour", "blue");
  EXPECT_THROW((void)serialiseMessage(reply), ProtocolError);
  state->remove("colour");
  state->remove("profile");
  EXPECT_THROW((void)serialiseMessage(reply), ProtocolError);
}

TEST(NoticeProtocol, PushedMessagesHaveNoId) {
  const auto parsed = parseMessage(
      R"({"type":"blocked","domain":"casino.example","category":"gambling","reason":"gambling"})");
  EXPECT_EQ(parsed.type, MessageType::Blocked);
  EXPECT_EQ(parsed.id, 0);
  EXPECT_NE(errorOf(R"({"type":"blocked","id":3,"domain":"a","category":"b","reason":"c"})"), "");
}

TEST(NoticeProtocol, BrokenMessagesAreRefusedNamingTheProblem) {
  EXPECT_NE(errorOf("not json").find("not valid JSON"), std::string::npos);
  EXPECT_NE(errorOf("[1,2]").find("expected an object"), std::string::npos);
  EXPECT_NE(errorOf(R"({"type":"launch","id":1})").find("unknown type"), std::string::npos);
  EXPECT_NE(errorOf(R"({"type":"hello"})").find("missing field \"id\""), std::string::npos);
  EXPECT_NE(errorOf(R"({"type":"hello","id":0})").find("1 or more"), std::string::npos);
  EXPECT_NE(errorOf(R"({"type":"hello","id":"1"})").find("whole number"), std::string::npos);
  EXPECT_NE(errorOf(R"({"type":"hello","id":1,"extra":true})").find("unexpected field"),
            std::string::npos);
  EXPECT_NE(errorOf(R"({"type":"sign_in","id":1,"name":"Sam"})").find("age_band"),
            std::string::npos);
  EXPECT_NE(errorOf(R"({"type":"sign_in","id":1,"name":5,"age_band":"8-12"})")
                .find("message.name: expected a string"),
            std::string::npos);
  EXPECT_NE(errorOf(R"({"type":"override","id":1,"pin":"123456","scope":"domain","target":"a",)"
                    R"("minutes":true,"reason":"homework"})")
                .find("message.minutes"),
            std::string::npos);
}

TEST(NoticeProtocol, TextOverItsBoundIsRefused) {
  const std::string longName(kMaxNameLength + 1, 'a');
  EXPECT_NE(errorOf(R"({"type":"sign_in","id":1,"name":")" + longName + R"(","age_band":"8-12"})")
                .find("longer than"),
            std::string::npos);
  const std::string longWorry(kMaxWorryLength + 1, 'a');
  EXPECT_NE(
      errorOf(R"({"type":"report_worry","id":1,"about":"bullying","message":")" + longWorry + "\"}")
          .find("longer than"),
      std::string::npos);
  EXPECT_NE(errorOf(std::string(kMaxLineBytes + 1, ' ')).find("longer than"), std::string::npos);
}

TEST(NoticeProtocol, BoundsCountCharactersNotBytes) {
  std::string accented;
  for (std::size_t i = 0; i < kMaxNameLength; ++i) accented += "é";  // two bytes each
  EXPECT_EQ(errorOf(R"({"type":"sign_in","id":1,"name":")" + accented + R"(","age_band":"8-12"})"),
            "");
  EXPECT_NE(errorOf(R"({"type":"sign_in","id":1,"name":")" + accented +
                    R"(é","age_band":"8-12"})")
                .find("longer than 40 characters"),
            std::string::npos);
}

TEST(NoticeProtocol, OnlyAReplyMayCarryIdZeroForALineWithoutOne) {
  EXPECT_EQ(errorOf(R"({"type":"reply","id":0,"ok":false,"error":"not JSON"})"), "");
  EXPECT_NE(errorOf(R"({"type":"hello","id":0})"), "");
}

TEST(NoticeProtocol, DeepNestingIsRefusedNotRecursedInto) {
  std::string deep(200, '[');
  deep += std::string(200, ']');
  EXPECT_NE(errorOf(deep), "");
}

TEST(LineReader, SplitsLinesAcrossReads) {
  LineReader reader;
  reader.append("{\"a\":1}\n{\"b\"");
  EXPECT_EQ(reader.next(), "{\"a\":1}");
  EXPECT_EQ(reader.next(), std::nullopt);
  reader.append(":2}\n");
  EXPECT_EQ(reader.next(), "{\"b\":2}");
  EXPECT_EQ(reader.next(), std::nullopt);
}

TEST(LineReader, ALineOverTheLimitIsAnErrorEvenBeforeItEnds) {
  LineReader reader;
  reader.append(std::string(kMaxLineBytes + 1, 'x'));
  EXPECT_THROW((void)reader.next(), ProtocolError);
}

TEST(WorryTopics, AreFoundByTheirWireId) {
  ASSERT_NE(findWorryTopic("bullying"), nullptr);
  EXPECT_EQ(findWorryTopic("bullying")->words, "Someone being unkind or bullying");
  EXPECT_EQ(findWorryTopic("Bullying"), nullptr);
}

}  // namespace
}  // namespace clubsafe::common::notice
