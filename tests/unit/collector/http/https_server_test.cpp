// The HTTPS server on its own, with handlers of the test's: what a real router cannot make
// happen on demand, such as every worker busy.
#include "collector/http/server/https_server.hpp"
#include "collector/http/json_io.hpp"
#include "collector/http/server/self_probe.hpp"
#include "collector/tls/self_signed_certificate.hpp"
#include "common/tls.hpp"
#include "tests/support/temp_dir.hpp"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/StreamCopier.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <future>
#include <sstream>
#include <streambuf>
#include <thread>

namespace clubsafe::collector {
namespace {

using namespace std::chrono_literals;

struct Answer {
  int status = 0;
  std::string retryAfter;
  std::string body;
};

Answer get(std::uint16_t port, const std::string& path) {
  Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "",
                                                           "", "", Poco::Net::Context::VERIFY_NONE);
  Poco::Net::HTTPSClientSession session("127.0.0.1", port, context);
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest request("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  Answer answer;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), answer.body);
  answer.status = response.getStatus();
  answer.retryAfter = response.get("Retry-After", "");
  return answer;
}

class HttpsServerTest : public ::testing::Test {
 protected:
  void start(ServerLimits limits, HttpsServer::Handler handler) {
    ASSERT_TRUE(ensureSelfSignedCertificate(dir_.file("c.crt"), dir_.file("c.key"), {"localhost"},
                                            {"127.0.0.1"}));
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    port_ = socket.address().port();
    server_ = std::make_unique<HttpsServer>(
        socket, common::makeServerContext(dir_.file("c.crt"), dir_.file("c.key")),
        std::move(handler), [](const Poco::Net::HTTPRequest&) { return std::size_t{0}; }, limits);
    server_->start();
  }

  testing::TempDir dir_;
  std::uint16_t port_ = 0;
  std::unique_ptr<HttpsServer> server_;
};

TEST_F(HttpsServerTest, WithEveryWorkerBusyAndTheQueueFullARequestIsAnsweredBusyAtOnce) {
  std::promise<void> release;
  const auto released = release.get_future().share();
  start({.threads = 1, .maxQueuedRequests = 1},
        [released](ServerRequest&, ServerResponse& response) {
          released.wait();
          sendNoContent(response);
        });
  auto busy = std::async(std::launch::async, [&] { return get(port_, "/first"); });
  std::this_thread::sleep_for(300ms);
  auto queued = std::async(std::launch::async, [&] { return get(port_, "/second"); });
  std::this_thread::sleep_for(300ms);

  const auto start = std::chrono::steady_clock::now();
  const auto refused = get(port_, "/third");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.retryAfter, "60");
  EXPECT_NE(refused.body.find("busy"), std::string::npos) << refused.body;

  release.set_value();
  EXPECT_EQ(busy.get().status, 204);
  EXPECT_EQ(queued.get().status, 204);
}

TEST_F(HttpsServerTest, AStreamedBodyArrivesWhole) {
  const std::string content(300'000, 'x');
  start({}, [&content](ServerRequest&, ServerResponse& response) {
    response.sendStream(std::make_unique<std::istringstream>(content), content.size());
  });
  const auto answer = get(port_, "/file");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, content);
}

// A body of unknown length, as an export makes it: chunked, whole, and the connection still
// good for the next request.
TEST_F(HttpsServerTest, AStreamOfUnknownLengthArrivesWholeInChunks) {
  const std::string content(300'001, 'y');
  start({}, [&content](ServerRequest&, ServerResponse& response) {
    response.sendChunkedStream(std::make_unique<std::istringstream>(content));
  });
  const auto answer = get(port_, "/export");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, content);
  EXPECT_EQ(get(port_, "/empty").body, content);
}

// A stream that fails midway (the database went) must not look complete to the client.
TEST_F(HttpsServerTest, AStreamThatFailsEndsTheAnswerIncomplete) {
  class Failing : public std::streambuf {
   protected:
    int_type underflow() override {
      if (sent_) throw std::runtime_error("the database went away");
      sent_ = true;
      setg(text_.data(), text_.data(), text_.data() + text_.size());
      return traits_type::to_int_type(text_.front());
    }

   private:
    std::string text_ = std::string(100'000, 'z');
    bool sent_ = false;
  };
  struct FailingStream : std::istream {
    FailingStream() : std::istream(nullptr) { rdbuf(&buffer); }
    Failing buffer;
  };
  start({}, [](ServerRequest&, ServerResponse& response) {
    response.sendChunkedStream(std::make_unique<FailingStream>());
  });
  Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "",
                                                           "", "", Poco::Net::Context::VERIFY_NONE);
  Poco::Net::SecureStreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port_), context);
  socket.setReceiveTimeout(Poco::Timespan(10, 0));
  const std::string request = "GET /export HTTP/1.1\r\nHost: localhost\r\n\r\n";
  socket.sendBytes(request.data(), static_cast<int>(request.size()));
  std::string received;
  std::array<char, 16384> buffer{};
  // The server closes without TLS's close_notify, which the client reports as an error: a
  // truncated answer is what the test expects, so it reads until then.
  try {
    for (int got = 0; (got = socket.receiveBytes(buffer.data(), buffer.size())) > 0;) {
      received.append(buffer.data(), static_cast<std::size_t>(got));
    }
  } catch (const Poco::Exception&) {
  }
  EXPECT_NE(received.find("Transfer-Encoding: chunked"), std::string::npos);
  // The pieces read whole before the failure went out; the one it broke did not.
  EXPECT_EQ(std::count(received.begin(), received.end(), 'z'), 65'536);
  EXPECT_FALSE(received.ends_with("\r\n0\r\n\r\n")) << "a failed stream must not end as if whole";
}

TEST_F(HttpsServerTest, AHandlerThatThrowsGetsA500AndTheServerGoesOn) {
  start({}, [](ServerRequest& request, ServerResponse& response) {
    if (request.getURI() == "/throw") throw std::runtime_error("a handler's bug");
    sendNoContent(response);
  });
  EXPECT_EQ(get(port_, "/throw").status, 500);
  EXPECT_EQ(get(port_, "/fine").status, 204);
}

// The watchdog's look at the server: an answer passes, "busy" and silence do not.
TEST_F(HttpsServerTest, TheSelfProbeNeedsARealAnswer) {
  std::promise<void> release;
  const auto released = release.get_future().share();
  start({.threads = 1, .maxQueuedRequests = 1},
        [released](ServerRequest& request, ServerResponse& response) {
          if (request.getURI() != "/") released.wait();
          sendNoContent(response);
        });
  const Poco::Net::SocketAddress listening("0.0.0.0", port_);  // a wildcard: asked on loopback
  EXPECT_NO_THROW(probeOwnServer(listening, 5s));

  auto busy = std::async(std::launch::async, [&] { return get(port_, "/stuck"); });
  std::this_thread::sleep_for(300ms);
  auto queued = std::async(std::launch::async, [&] { return get(port_, "/queued"); });
  std::this_thread::sleep_for(300ms);
  EXPECT_THROW(probeOwnServer(listening, 5s), std::runtime_error) << "every worker stuck";
  release.set_value();
  (void)busy.get();
  (void)queued.get();
  EXPECT_NO_THROW(probeOwnServer(listening, 5s));

  server_->stop();
  EXPECT_THROW(probeOwnServer(listening, 2s), std::runtime_error) << "nothing listening";
}

}  // namespace
}  // namespace clubsafe::collector
