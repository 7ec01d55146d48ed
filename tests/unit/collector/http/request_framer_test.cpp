#include "collector/http/server/request_framer.hpp"

#include <gtest/gtest.h>

namespace clubsafe::collector {
namespace {

using Status = Poco::Net::HTTPResponse::HTTPStatus;

const Poco::Net::SocketAddress kClient("127.0.0.1", 40000);

// Accepts 100 bytes on /small and nothing larger anywhere.
RequestFramer framer() {
  return RequestFramer(1024, [](const Poco::Net::HTTPRequest& request) -> std::size_t {
    return request.getURI() == "/small" ? 100 : 0;
  });
}

std::unique_ptr<ServerRequest> requestFrom(RequestFramer::Outcome outcome) {
  auto* request = std::get_if<std::unique_ptr<ServerRequest>>(&outcome);
  return request ? std::move(*request) : nullptr;
}

TEST(RequestFramerTest, TakesOneWholeRequestAndLeavesTheNextOne) {
  auto cut = framer();
  std::string input =
      "POST /small HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET /x HTTP/1.1\r\n";
  const auto request = requestFrom(cut.take(input, kClient));
  ASSERT_NE(request, nullptr);
  EXPECT_EQ(request->getMethod(), "POST");
  EXPECT_EQ(request->body(), "hello");
  EXPECT_EQ(request->clientAddress(), kClient);
  EXPECT_EQ(input, "GET /x HTTP/1.1\r\n");
  EXPECT_TRUE(std::holds_alternative<RequestFramer::NeedMore>(cut.take(input, kClient)));
}

TEST(RequestFramerTest, WaitsForTheBodyAcrossPieces) {
  auto cut = framer();
  std::string input = "POST /small HTTP/1.1\r\nContent-Length: 4\r\n\r\nab";
  EXPECT_TRUE(std::holds_alternative<RequestFramer::NeedMore>(cut.take(input, kClient)));
  EXPECT_TRUE(cut.midRequest());
  input += "cd";
  const auto request = requestFrom(cut.take(input, kClient));
  ASSERT_NE(request, nullptr);
  EXPECT_EQ(request->body(), "abcd");
  EXPECT_FALSE(cut.midRequest());
}

TEST(RequestFramerTest, RefusesATooLargeLengthBeforeAnyBodyArrives) {
  auto cut = framer();
  std::string input = "POST /small HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n";
  const auto outcome = cut.take(input, kClient);
  const auto* refusal = std::get_if<RequestFramer::Refusal>(&outcome);
  ASSERT_NE(refusal, nullptr);
  EXPECT_EQ(refusal->status, Status::HTTP_REQUESTENTITYTOOLARGE);
  EXPECT_NE(refusal->message.find("100 bytes"), std::string::npos);
}

TEST(RequestFramerTest, RefusesWhatItCannotFrame) {
  const std::vector<std::pair<std::string, Status>> cases{
      {"POST /small HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", Status::HTTP_LENGTH_REQUIRED},
      {"POST /small HTTP/1.1\r\nContent-Length: -3\r\n\r\n", Status::HTTP_BAD_REQUEST},
      {"POST /small HTTP/1.1\r\nContent-Length: ten\r\n\r\n", Status::HTTP_BAD_REQUEST},
      {"GET / HTTP/2.0\r\n\r\n", Status::HTTP_VERSION_NOT_SUPPORTED},
      {"\x01\x02\x03 nonsense\r\n\r\n", Status::HTTP_BAD_REQUEST},
      {"GET /" + std::string(2000, 'a') + " HTTP/1.1\r\n\r\n",
       Status::HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE},
  };
  for (const auto& [text, status] : cases) {
    auto cut = framer();
    std::string input = text;
    const auto outcome = cut.take(input, kClient);
    const auto* refusal = std::get_if<RequestFramer::Refusal>(&outcome);
    ASSERT_NE(refusal, nullptr) << text;
    EXPECT_EQ(refusal->status, status) << text;
  }
}

TEST(RequestFramerTest, HeadersWithoutTheirEndAreRefusedOnceTooLong) {
  auto cut = framer();
  std::string input = "GET / HTTP/1.1\r\nX-A: " + std::string(900, 'a');
  EXPECT_TRUE(std::holds_alternative<RequestFramer::NeedMore>(cut.take(input, kClient)));
  input += std::string(200, 'a');
  EXPECT_TRUE(std::holds_alternative<RequestFramer::Refusal>(cut.take(input, kClient)));
}

TEST(RequestFramerTest, AsksForContinueOnceWhenTheClientWaitsForIt) {
  auto cut = framer();
  std::string input = "POST /small HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n";
  auto outcome = cut.take(input, kClient);
  ASSERT_TRUE(std::holds_alternative<RequestFramer::NeedMore>(outcome));
  EXPECT_TRUE(std::get<RequestFramer::NeedMore>(outcome).sendContinue);
  outcome = cut.take(input, kClient);
  EXPECT_FALSE(std::get<RequestFramer::NeedMore>(outcome).sendContinue);
  input = "ok";
  EXPECT_NE(requestFrom(cut.take(input, kClient)), nullptr);
}

TEST(RequestFramerTest, EmptyLinesBetweenRequestsAreIgnored) {
  auto cut = framer();
  std::string input = "\r\n\r\nGET /x HTTP/1.1\r\n\r\n";
  const auto request = requestFrom(cut.take(input, kClient));
  ASSERT_NE(request, nullptr);
  EXPECT_EQ(request->getURI(), "/x");
  EXPECT_TRUE(input.empty());
}

}  // namespace
}  // namespace clubsafe::collector
