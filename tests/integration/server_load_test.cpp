// The collector's HTTPS server under idle, slow and many clients: none of them holds a worker,
// each is cut off on time, and a normal request from another client is still answered at once.
#include "tests/integration/harness.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <iostream>
#include <mutex>
#include <thread>

namespace clubsafe::testing {
namespace {

using Clock = std::chrono::steady_clock;

// A plain TCP connection to 127.0.0.1:port that sends nothing by itself.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port) : socket_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(socket_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawConnection() { ::close(socket_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  [[nodiscard]] bool connected() const { return connected_; }
  [[nodiscard]] int socket() const { return socket_; }
  // Whether the server has closed the connection (end of stream or reset), without blocking.
  [[nodiscard]] bool closedByServer() const {
    pollfd watch{socket_, POLLIN, 0};
    if (::poll(&watch, 1, 0) <= 0) return false;
    char byte = 0;
    return ::recv(socket_, &byte, 1, MSG_DONTWAIT | MSG_PEEK) <= 0;
  }

 private:
  int socket_;
  bool connected_ = false;
};

// A TLS connection made with OpenSSL directly, so the test controls every byte and pause.
class TlsConnection {
 public:
  explicit TlsConnection(std::uint16_t port) : tcp_(port) {
    static SSL_CTX* const context = [] {
      SSL_CTX* made = SSL_CTX_new(TLS_client_method());
      SSL_CTX_set_verify(made, SSL_VERIFY_NONE, nullptr);
      return made;
    }();
    ssl_ = SSL_new(context);
    SSL_set_fd(ssl_, tcp_.socket());
    established_ = tcp_.connected() && SSL_connect(ssl_) == 1;
  }
  ~TlsConnection() { SSL_free(ssl_); }
  TlsConnection(const TlsConnection&) = delete;
  TlsConnection& operator=(const TlsConnection&) = delete;

  [[nodiscard]] bool established() const { return established_; }
  bool send(const std::string& text) {
    std::lock_guard lock(mutex_);
    return SSL_write(ssl_, text.data(), static_cast<int>(text.size())) ==
           static_cast<int>(text.size());
  }
  // What arrives before the server closes or `timeout` passes.
  std::string receive(std::chrono::milliseconds timeout) {
    std::string received;
    const auto until = Clock::now() + timeout;
    char buffer[4096];
    while (Clock::now() < until) {
      pollfd watch{tcp_.socket(), POLLIN, 50};
      if (SSL_pending(ssl_) == 0 && ::poll(&watch, 1, 50) <= 0) continue;
      const int got = SSL_read(ssl_, buffer, sizeof buffer);
      if (got <= 0) break;
      received.append(buffer, static_cast<std::size_t>(got));
    }
    return received;
  }
  // Whether the server has closed the connection. What the server sent unasked (TLS 1.3
  // session tickets) is read and dropped on the way, without blocking.
  [[nodiscard]] bool closedByServer() {
    std::lock_guard lock(mutex_);
    const int flags = fcntl(tcp_.socket(), F_GETFL);
    fcntl(tcp_.socket(), F_SETFL, flags | O_NONBLOCK);
    char byte = 0;
    const int got = SSL_read(ssl_, &byte, 1);
    const bool open = got > 0 || SSL_get_error(ssl_, got) == SSL_ERROR_WANT_READ;
    fcntl(tcp_.socket(), F_SETFL, flags);
    return !open;
  }

 private:
  RawConnection tcp_;
  std::mutex mutex_;  // the slow senders send from another thread
  SSL* ssl_ = nullptr;
  bool established_ = false;
};

void allowManyOpenFiles() {
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, 8192);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &limit), 0);
  ASSERT_GE(limit.rlim_cur, 2048U) << "the test needs 2,048 open files";
}

// A request a console user's browser makes, timed.
std::chrono::milliseconds timedSessionRequest(std::uint16_t port, int& status) {
  const auto start = Clock::now();
  status = httpsRequest(port, "GET", "/api/console/session").status;
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

template <typename Connections>
std::size_t countClosed(Connections& connections) {
  std::size_t closed = 0;
  for (const auto& connection : connections) closed += connection->closedByServer() ? 1 : 0;
  return closed;
}

class ServerLoad : public ::testing::Test {
 protected:
  void SetUp() override { allowManyOpenFiles(); }
  TempDir dir_;
};

TEST_F(ServerLoad, IdleAndSlowClientsHoldNoWorkerAndAreCutOffOnTime) {
  Collector collector(
      dir_, {"server.max_connections_per_address=4000", "server.threads=4",
             "server.handshake_timeout=4", "server.idle_timeout=6", "server.request_timeout=8"});
  collector.start();
  const auto port = collector.port();

  std::vector<std::unique_ptr<RawConnection>> idleTcp;
  for (int i = 0; i < 1000; ++i) idleTcp.push_back(std::make_unique<RawConnection>(port));
  std::vector<std::unique_ptr<TlsConnection>> idleTls;
  for (int i = 0; i < 200; ++i) idleTls.push_back(std::make_unique<TlsConnection>(port));
  std::vector<std::unique_ptr<TlsConnection>> slow;
  for (int i = 0; i < 50; ++i) slow.push_back(std::make_unique<TlsConnection>(port));
  const auto opened = Clock::now();
  for (const auto& connection : idleTcp) ASSERT_TRUE(connection->connected());
  for (const auto& connection : idleTls) ASSERT_TRUE(connection->established());
  for (const auto& connection : slow) ASSERT_TRUE(connection->established());

  // The slow clients send a request one byte a second, for longer than the request deadline.
  std::atomic<bool> trickling = true;
  std::jthread trickle([&] {
    const std::string request =
        "POST /api/console/login HTTP/1.1\r\nHost: x\r\nContent-Length: "
        "2000\r\n\r\n" +
        std::string(2000, '{');
    for (std::size_t sent = 0; trickling && sent < request.size(); ++sent) {
      for (auto& connection : slow) (void)connection->send(request.substr(sent, 1));
      std::this_thread::sleep_for(1s);
    }
  });

  int status = 0;
  const auto firstAnswer = timedSessionRequest(port, status);
  EXPECT_EQ(status, 401);
  EXPECT_LT(firstAnswer, 1s) << "a normal request waited behind 1,250 idle and slow clients";
  std::cout << "A normal request with 1,250 idle and slow clients held: " << firstAnswer.count()
            << " ms\n";

  // Each kind is cut off by its own deadline (plus the server's quarter-second sweep and this
  // test's own polling), and until then the collector keeps answering.
  EXPECT_TRUE(waitFor([&] { return countClosed(idleTcp) == idleTcp.size(); }, 6s))
      << countClosed(idleTcp) << " of 1,000 connections without TLS were closed";
  EXPECT_LT(timedSessionRequest(port, status), 1s);
  EXPECT_TRUE(waitFor([&] { return countClosed(idleTls) == idleTls.size(); }, 3s))
      << countClosed(idleTls) << " of 200 idle TLS connections were closed";
  EXPECT_TRUE(waitFor([&] { return countClosed(slow) == slow.size(); }, 4s))
      << countClosed(slow) << " of 50 slow senders were cut off";
  const auto allClosed =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - opened);
  EXPECT_LT(allClosed, 13s);
  std::cout << "Every idle and slow client cut off after " << allClosed.count() << " ms\n";
  trickling = false;
  EXPECT_LT(timedSessionRequest(port, status), 1s);
  EXPECT_EQ(status, 401);
}

TEST_F(ServerLoad, AHugeContentLengthIsRefusedAtOnce) {
  Collector collector(dir_);
  collector.start();
  TlsConnection connection(collector.port());
  ASSERT_TRUE(connection.established());
  const auto start = Clock::now();
  ASSERT_TRUE(
      connection.send("POST /api/console/login HTTP/1.1\r\nHost: x\r\n"
                      "Content-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n"));
  const auto answer = connection.receive(2s);
  EXPECT_LT(Clock::now() - start, 1s);
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0U) << answer;
  EXPECT_NE(answer.find("larger than the collector accepts"), std::string::npos) << answer;
}

TEST_F(ServerLoad, OneAddressCannotTakeEveryConnection) {
  Collector collector(dir_, {"server.max_connections_per_address=10"});
  collector.start();
  {
    std::vector<std::unique_ptr<RawConnection>> held;
    for (int i = 0; i < 10; ++i) held.push_back(std::make_unique<RawConnection>(collector.port()));
    std::this_thread::sleep_for(300ms);
    RawConnection eleventh(collector.port());
    EXPECT_TRUE(waitFor([&] { return eleventh.closedByServer(); }, 1s));
    EXPECT_EQ(countClosed(held), 0U);
  }
  // Closing them gives the address its connections back.
  EXPECT_TRUE(waitFor(
      [&] { return httpsRequest(collector.port(), "GET", "/api/console/session").status == 401; },
      2s));
}

// Thirty laptops on kept-alive connections, each sending batches as fast as it is answered.
TEST_F(ServerLoad, ThirtyKeptAliveUploadersAllGetThrough) {
  Collector collector(dir_);
  collector.start();
  Agent agent(dir_);
  ASSERT_EQ(agent.enrol(collector).status, 0);
  const auto authorization = "Bearer " + agent.deviceId() + "." + agent.deviceSecret();
  constexpr int kClients = 30;
  constexpr int kBatches = 10;
  constexpr int kEventsPerBatch = 50;
  std::atomic<int> accepted = 0;
  {
    std::vector<std::jthread> clients;
    for (int client = 0; client < kClients; ++client) {
      clients.emplace_back([&, client] {
        std::vector<HttpRequestSpec> uploads;
        for (int number = 0; number < kBatches; ++number) {
          const auto first = 1 + ((client * kBatches) + number) * kEventsPerBatch;
          uploads.push_back({"POST",
                             "/api/device/v1/events",
                             heartbeatBatch(agent.deviceId(), first, kEventsPerBatch),
                             {{"Authorization", authorization}}});
        }
        for (const auto& answer : httpsRequestsOnOneConnection(collector.port(), uploads)) {
          if (answer.status == 200) ++accepted;
        }
      });
    }
  }
  EXPECT_EQ(accepted, kClients * kBatches);
  EXPECT_EQ(queryDatabase(collector.database(), "SELECT COUNT(*) FROM events")[0][0],
            std::to_string(kClients * kBatches * kEventsPerBatch));
}

}  // namespace
}  // namespace clubsafe::testing
