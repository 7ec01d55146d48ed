#include "collector/http/server/https_server.hpp"

#include "collector/http/json_io.hpp"
#include "collector/http/server/connection_table.hpp"
#include "collector/http/server/worker_pool.hpp"

#include <Poco/Timestamp.h>

#include <spdlog/spdlog.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

namespace clubsafe::collector {
namespace {

using Clock = std::chrono::steady_clock;
using Progress = TlsSession::Progress;

constexpr std::uint64_t kListenerKey = 0;
constexpr std::uint64_t kWakeKey = 1;
constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::size_t kStreamChunk = 64 * 1024;
constexpr std::size_t kMostDrained = 4 * 1024 * 1024;
constexpr auto kMostDrainTime = std::chrono::seconds(3);
constexpr auto kSweepInterval = std::chrono::milliseconds(250);
constexpr auto kAcceptPause = std::chrono::milliseconds(100);
// File descriptors kept for everything but connections: the database, logs, index files.
constexpr rlim_t kOtherDescriptors = 256;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

std::system_error systemError(const char* what) {
  return {errno, std::generic_category(), what};
}

// What a worker hands back to the I/O thread: the answer's bytes for one connection.
struct Answer {
  std::uint64_t key = 0;
  std::string text;  // head and text body
  std::unique_ptr<std::istream> stream;
  std::uint64_t streamSize = 0;
  bool chunked = false;
  bool keepAlive = false;
};

Answer answerFor(std::uint64_t key, ServerResponse& response) {
  auto body = response.takeBody();
  auto stream = response.takeStream();
  if (!stream) response.setContentLength64(static_cast<Poco::Int64>(body.size()));
  response.setDate(Poco::Timestamp());
  std::ostringstream head;
  response.write(head);
  return {.key = key,
          .text = head.str() + body,
          .stream = std::move(stream),
          .streamSize = response.streamSize(),
          .chunked = response.chunkedStream(),
          .keepAlive = response.getKeepAlive()};
}

// Lets the process keep as many sockets open as the limits allow; returns the connections it
// can really hold.
std::size_t raiseDescriptorLimit(std::size_t wantedConnections) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return wantedConnections;
  const rlim_t wanted = wantedConnections + kOtherDescriptors;
  if (limit.rlim_cur < wanted) {
    limit.rlim_cur = std::min(wanted, limit.rlim_max);
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) (void)getrlimit(RLIMIT_NOFILE, &limit);
  }
  if (limit.rlim_cur >= wanted) return wantedConnections;
  const auto possible = limit.rlim_cur > kOtherDescriptors * 2 ? limit.rlim_cur - kOtherDescriptors
                                                               : limit.rlim_cur / 2;
  spdlog::warn(
      "The system lets the collector open only {} files, so it holds at most {} "
      "connections instead of {} (server.max_connections). Raise LimitNOFILE in its "
      "systemd unit to allow more.",
      limit.rlim_cur, possible, wantedConnections);
  return static_cast<std::size_t>(possible);
}

}  // namespace

class HttpsServer::Loop {
 public:
  Loop(Poco::Net::ServerSocket listening, Poco::Net::Context::Ptr tls, Handler handler,
       RequestFramer::BodyLimit bodyLimit, ServerLimits limits)
      : listening_(std::move(listening)),
        tls_(std::move(tls)),
        handler_(std::move(handler)),
        bodyLimit_(std::move(bodyLimit)),
        limits_(limits) {}

  ~Loop() { stop(); }

  void start();
  void stop();

 private:
  void run();
  void acceptAll();
  void admit(int socket, const Poco::Net::SocketAddress& peer);
  void serve(std::uint64_t key, Connection& connection, std::uint32_t happened);
  void advance(std::uint64_t key, Connection& connection);
  [[nodiscard]] Progress readRequest(Connection& connection);
  [[nodiscard]] Progress writeAnswer(Connection& connection);
  [[nodiscard]] Progress flush(Connection& connection);
  [[nodiscard]] bool readChunk(Connection& connection);
  [[nodiscard]] Progress drain(Connection& connection);
  void handOver(Connection& connection, std::unique_ptr<ServerRequest> request);
  void refuse(Connection& connection, Poco::Net::HTTPResponse::HTTPStatus status,
              const std::string& message);
  void startAnswer(Connection& connection, Answer answer);
  void applyAnswers();
  void post(Answer answer);
  void watch(Connection& connection, Progress waitingFor);
  void setInterest(int socket, std::uint64_t key, std::uint32_t events, int operation);
  void sweep();

  Poco::Net::ServerSocket listening_;
  Poco::Net::Context::Ptr tls_;
  Handler handler_;
  RequestFramer::BodyLimit bodyLimit_;
  ServerLimits limits_;

  int epoll_ = -1;
  int wake_ = -1;
  std::atomic<bool> stopping_ = false;
  std::optional<Clock::time_point> acceptPausedUntil_;
  ConnectionTable connections_;

  std::mutex answersMutex_;
  std::vector<Answer> answers_;

  std::unique_ptr<WorkerPool> workers_;
  std::jthread thread_;
};

void HttpsServer::Loop::start() {
  // A peer that has gone makes a write raise SIGPIPE, which would end the collector; OpenSSL
  // writes with write(2), so the signal is ignored for the whole process.
  std::signal(SIGPIPE, SIG_IGN);
  limits_.maxConnections = raiseDescriptorLimit(limits_.maxConnections);
  connections_.setLimits(limits_.maxConnections, limits_.maxConnectionsPerAddress);
  epoll_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_ < 0) throw systemError("epoll_create1");
  wake_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_ < 0) throw systemError("eventfd");
  listening_.setBlocking(false);
  setInterest(listening_.impl()->sockfd(), kListenerKey, EPOLLIN, EPOLL_CTL_ADD);
  setInterest(wake_, kWakeKey, EPOLLIN, EPOLL_CTL_ADD);
  workers_ = std::make_unique<WorkerPool>(limits_.threads, limits_.maxQueuedRequests);
  thread_ = std::jthread([this] { run(); });
}

void HttpsServer::Loop::stop() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  const std::uint64_t one = 1;
  (void)::write(wake_, &one, sizeof one);
  thread_.join();
  workers_.reset();  // waits for the handlers running; they post to answers_ and wake_
  connections_.clear();
  ::close(wake_);
  ::close(epoll_);
}

void HttpsServer::Loop::run() {
  std::array<epoll_event, 256> events{};
  auto nextSweep = Clock::now() + kSweepInterval;
  while (!stopping_) {
    const int ready = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()),
                                 static_cast<int>(kSweepInterval.count()));
    if (ready < 0 && errno != EINTR) {
      spdlog::critical("The HTTPS server cannot wait for its connections: {}.",
                       std::strerror(errno));
      return;
    }
    for (int i = 0; i < ready; ++i) {
      const auto key = events[static_cast<std::size_t>(i)].data.u64;
      const auto happened = events[static_cast<std::size_t>(i)].events;
      if (key == kListenerKey) {
        acceptAll();
      } else if (key == kWakeKey) {
        std::uint64_t count = 0;
        (void)::read(wake_, &count, sizeof count);
        applyAnswers();
      } else if (auto* connection = connections_.find(key)) {
        serve(key, *connection, happened);
      }
    }
    if (Clock::now() >= nextSweep) {
      sweep();
      nextSweep = Clock::now() + kSweepInterval;
    }
  }
}

void HttpsServer::Loop::acceptAll() {
  const int listener = listening_.impl()->sockfd();
  for (;;) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    const int socket = accept4(listener, reinterpret_cast<sockaddr*>(&address), &length,
                               SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (socket >= 0) {
      admit(socket, Poco::Net::SocketAddress(reinterpret_cast<sockaddr*>(&address), length));
      continue;
    }
    if (errno == EINTR || errno == ECONNABORTED) continue;
    if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
      // Out of descriptors or memory: the waiting connection stays in the backlog, and the
      // listener is not watched for a moment so the loop does not spin on it.
      spdlog::warn("The collector cannot take more connections now: {}.", std::strerror(errno));
      setInterest(listener, kListenerKey, 0, EPOLL_CTL_MOD);
      acceptPausedUntil_ = Clock::now() + kAcceptPause;
    }
    return;
  }
}

void HttpsServer::Loop::admit(int socket, const Poco::Net::SocketAddress& peer) {
  auto [key, connection] = connections_.open(socket, peer, tls_->sslContext(),
                                             RequestFramer(limits_.maxHeadBytes, bodyLimit_));
  if (connection == nullptr) return;  // over a limit: the table has closed it
  const int noDelay = 1;
  (void)setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &noDelay, sizeof noDelay);
  connection->deadline = Clock::now() + limits_.handshakeTimeout;
  connection->events = EPOLLIN;
  setInterest(socket, key, EPOLLIN, EPOLL_CTL_ADD);
}

void HttpsServer::Loop::serve(std::uint64_t key, Connection& connection, std::uint32_t happened) {
  // Hung up or broken: nothing more can be read or written.
  if ((happened & (EPOLLERR | EPOLLHUP)) != 0) {
    connections_.close(key);
    return;
  }
  try {
    advance(key, connection);
  } catch (const std::exception& error) {
    // One connection's failure (out of memory, say) must not stop the server for the others.
    spdlog::error("A connection failed and was closed: {}", error.what());
    connections_.close(key);
  }
}

// Moves a connection on as far as it can go now; closes it once it is finished or broken.
void HttpsServer::Loop::advance(std::uint64_t key, Connection& connection) {
  auto progress = Progress::WantRead;
  switch (connection.phase) {
    case Phase::Handshake:
      progress = connection.tls.handshake();
      if (progress == Progress::Done) {
        connection.phase = Phase::Idle;
        connection.deadline = Clock::now() + limits_.idleTimeout;
        progress = readRequest(connection);
      }
      break;
    case Phase::Idle:
    case Phase::Reading:
      progress = readRequest(connection);
      break;
    case Phase::Handling:
      return;  // the answer comes from a worker
    case Phase::Answering:
      progress = writeAnswer(connection);
      break;
    case Phase::Draining:
      progress = drain(connection);
      break;
  }
  if (progress == Progress::Closed) {
    connections_.close(key);
  } else {
    watch(connection, progress);
  }
}

Progress HttpsServer::Loop::readRequest(Connection& connection) {
  for (;;) {
    auto outcome = connection.framer.take(connection.input, connection.peer);
    if (auto* request = std::get_if<std::unique_ptr<ServerRequest>>(&outcome)) {
      handOver(connection, std::move(*request));
      // Refused at once when every worker is busy and the queue full: send that answer now.
      return connection.phase == Phase::Answering ? writeAnswer(connection) : Progress::Done;
    }
    if (auto* refusal = std::get_if<RequestFramer::Refusal>(&outcome)) {
      refuse(connection, refusal->status, refusal->message);
      return writeAnswer(connection);
    }
    if (std::get<RequestFramer::NeedMore>(outcome).sendContinue) connection.output = kContinue;
    if (connection.phase == Phase::Idle &&
        (!connection.input.empty() || connection.framer.midRequest())) {
      connection.phase = Phase::Reading;
      connection.deadline = Clock::now() + limits_.requestTimeout;
    }
    if (!connection.output.empty()) {
      if (const auto progress = flush(connection); progress != Progress::Done) return progress;
    }
    const auto before = connection.input.size();
    const auto progress = connection.tls.read(connection.input, kReadChunk);
    if (progress == Progress::Closed) return progress;
    if (connection.input.size() == before) return progress;
  }
}

Progress HttpsServer::Loop::flush(Connection& connection) {
  const auto progress = connection.tls.write(connection.output, connection.written);
  if (progress == Progress::Done) {
    connection.output.clear();
    connection.written = 0;
  }
  return progress;
}

Progress HttpsServer::Loop::writeAnswer(Connection& connection) {
  for (;;) {
    if (const auto progress = flush(connection); progress != Progress::Done) return progress;
    if (connection.chunked && connection.stream) {
      if (!readChunk(connection)) return Progress::Closed;
      continue;
    }
    if (connection.streamLeft > 0) {
      // Each piece of a long body has the time a whole answer has.
      connection.deadline = Clock::now() + limits_.requestTimeout;
      connection.output.resize(std::min<std::uint64_t>(kStreamChunk, connection.streamLeft));
      connection.stream->read(connection.output.data(),
                              static_cast<std::streamsize>(connection.output.size()));
      const auto got = static_cast<std::size_t>(connection.stream->gcount());
      // The length is promised in the head: a file that ends early ends the connection.
      if (got == 0) return Progress::Closed;
      connection.output.resize(got);
      connection.streamLeft -= got;
      continue;
    }
    connection.stream.reset();
    if (connection.closeWhenAnswered) {
      connection.tls.shutdown();
      connection.phase = Phase::Draining;
      connection.deadline = Clock::now() + kMostDrainTime;
      return drain(connection);
    }
    connection.phase = Phase::Idle;
    connection.deadline = Clock::now() + limits_.idleTimeout;
    return readRequest(connection);  // the next request may have arrived already
  }
}

// The next piece of a body of unknown length in chunked encoding (RFC 9112 section 7.1), or the
// last chunk once the stream ends. False when the stream failed: the connection then ends
// without the last chunk, so the client knows the body is incomplete.
bool HttpsServer::Loop::readChunk(Connection& connection) {
  connection.deadline = Clock::now() + limits_.requestTimeout;
  std::string data(kStreamChunk, '\0');
  connection.stream->read(data.data(), static_cast<std::streamsize>(data.size()));
  const auto got = static_cast<std::size_t>(connection.stream->gcount());
  if (got == 0) {
    if (connection.stream->bad() || !connection.stream->eof()) return false;
    connection.output = "0\r\n\r\n";
    connection.stream.reset();
    return true;
  }
  data.resize(got);
  std::array<char, 16> size{};
  const auto end = std::to_chars(size.data(), size.data() + size.size(), got, 16).ptr;
  connection.output = std::string(size.data(), end) + "\r\n" + data + "\r\n";
  return true;
}

// A client still sending a refused body would get a reset instead of the answer if the
// connection closed at once (RFC 9112 section 9.6): so the server reads and drops what follows
// for a little while, up to a bound, before it closes.
Progress HttpsServer::Loop::drain(Connection& connection) {
  std::string dropped;
  for (;;) {
    dropped.clear();
    const auto progress = connection.tls.read(dropped, kReadChunk);
    connection.drained += dropped.size();
    if (connection.drained > kMostDrained) return Progress::Closed;
    if (progress != Progress::Done) return progress;
  }
}

void HttpsServer::Loop::handOver(Connection& connection, std::unique_ptr<ServerRequest> request) {
  connection.phase = Phase::Handling;
  const auto key = connection.key;
  std::shared_ptr<ServerRequest> shared(std::move(request));
  const bool queued = workers_->submit([this, key, shared] {
    ServerResponse response;
    response.setKeepAlive(shared->getKeepAlive());
    try {
      handler_(*shared, response);
    } catch (const std::exception& error) {
      spdlog::error("A request's handler failed: {}", error.what());
      response = ServerResponse();
      response.setKeepAlive(false);
      sendError(response, Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR,
                "The collector hit an internal error; it is logged. Try again.");
    }
    post(answerFor(key, response));
  });
  if (!queued) {
    refuse(connection, Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
           "The collector is busy. Try again in a minute.");
  }
}

void HttpsServer::Loop::refuse(Connection& connection, Poco::Net::HTTPResponse::HTTPStatus status,
                               const std::string& message) {
  ServerResponse response;
  response.setKeepAlive(false);
  if (status == Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE)
    response.set("Retry-After", "60");
  sendError(response, status, message);
  startAnswer(connection, answerFor(connection.key, response));
}

void HttpsServer::Loop::startAnswer(Connection& connection, Answer answer) {
  connection.phase = Phase::Answering;
  connection.deadline = Clock::now() + limits_.requestTimeout;
  connection.output = std::move(answer.text);
  connection.written = 0;
  connection.stream = std::move(answer.stream);
  connection.streamLeft = connection.stream ? answer.streamSize : 0;
  connection.chunked = answer.chunked;
  connection.closeWhenAnswered = !answer.keepAlive;
}

void HttpsServer::Loop::post(Answer answer) {
  {
    std::lock_guard lock(answersMutex_);
    answers_.push_back(std::move(answer));
  }
  const std::uint64_t one = 1;
  (void)::write(wake_, &one, sizeof one);
}

void HttpsServer::Loop::applyAnswers() {
  std::vector<Answer> ready;
  {
    std::lock_guard lock(answersMutex_);
    ready.swap(answers_);
  }
  for (auto& answer : ready) {
    const auto key = answer.key;
    auto* connection = connections_.find(key);
    if (connection == nullptr) continue;  // the client went away meanwhile
    startAnswer(*connection, std::move(answer));
    advance(key, *connection);
  }
}

void HttpsServer::Loop::watch(Connection& connection, Progress waitingFor) {
  std::uint32_t events = EPOLLIN;
  if (connection.phase == Phase::Handling) {
    events = 0;
  } else if (waitingFor == Progress::WantWrite) {
    events = EPOLLOUT;
  }
  if (events == connection.events) return;
  connection.events = events;
  setInterest(connection.socket, connection.key, events, EPOLL_CTL_MOD);
}

void HttpsServer::Loop::setInterest(int socket, std::uint64_t key, std::uint32_t events,
                                    int operation) {
  epoll_event event{};
  event.events = events;
  event.data.u64 = key;
  if (epoll_ctl(epoll_, operation, socket, &event) != 0) throw systemError("epoll_ctl");
}

// Closes every connection past its deadline, except those whose handler is still running.
void HttpsServer::Loop::sweep() {
  const auto now = Clock::now();
  connections_.closeIf([now](const Connection& connection) {
    return connection.phase != Phase::Handling && now >= connection.deadline;
  });
  if (acceptPausedUntil_ && now >= *acceptPausedUntil_) {
    acceptPausedUntil_.reset();
    setInterest(listening_.impl()->sockfd(), kListenerKey, EPOLLIN, EPOLL_CTL_MOD);
  }
}

HttpsServer::HttpsServer(Poco::Net::ServerSocket listening, Poco::Net::Context::Ptr tls,
                         Handler handler, RequestFramer::BodyLimit bodyLimit, ServerLimits limits)
    : loop_(std::make_unique<Loop>(std::move(listening), std::move(tls), std::move(handler),
                                   std::move(bodyLimit), limits)) {}

HttpsServer::~HttpsServer() = default;

void HttpsServer::start() {
  loop_->start();
}

void HttpsServer::stop() {
  loop_->stop();
}

}  // namespace clubsafe::collector
