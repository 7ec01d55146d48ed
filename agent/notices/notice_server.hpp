#pragma once

#include "agent/notices/notice_service.hpp"
#include "agent/platform/file_descriptor.hpp"
#include "agent/platform/login_sessions.hpp"
#include "agent/platform/readiness.hpp"
#include "agent/runtime/heartbeat.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

// The agent's end of the notice socket (docs/NOTICES.md, "Notice socket"): a Unix stream socket
// each person's notice program connects to. The kernel says whose each connection is (the peer
// credentials), and only a person with a login session open now (or one named in the settings)
// is let in and kept: a connection whose account's sessions have all ended is closed within a
// second. What they send goes, a line at a time, to the NoticeService; what it pushes goes only
// to the connections of the account it is for.
namespace clubsafe::agent::notices {

inline constexpr std::string_view kDefaultNoticeSocket = "/run/clubsafe/notice.sock";
inline constexpr std::size_t kMaxNoticeConnections = 16;
// So that one account cannot take every place (a person runs one notice program a session).
inline constexpr std::size_t kMaxNoticeConnectionsPerAccount = 4;

struct NoticeServerOptions {
  std::string socketPath{kDefaultNoticeSocket};
  // Login names let in; empty: whoever has a login session open now (systemd-logind). Naming
  // them is for machines without logind, such as the tests'.
  std::vector<std::string> allowedUsers;
  // A connection that has not said hello by then, or has not taken what it was sent for that
  // long, is closed, so nothing can hold one of the kMaxNoticeConnections places for nothing.
  std::chrono::milliseconds idleTimeout{std::chrono::seconds(30)};
};

// The socket could not be set up; what() says why and what to do.
class NoticeSocketError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One thread (run) waits on the socket, every connection and a wake-up pipe with poll(); every
// socket is non-blocking, so one slow or hostile client cannot hold up the others.
class NoticeServer {
 public:
  // Creates the socket's directory (0755) when missing, replaces a stale socket file and
  // listens, the socket open to every user (0666): who may stay is checked per connection.
  // Throws NoticeSocketError. Sends `service`'s pushes from then on.
  NoticeServer(NoticeServerOptions options, NoticeService& service,
               platform::LoginSessions& sessions);
  // Removes the socket file and stops taking `service`'s pushes.
  ~NoticeServer();
  NoticeServer(const NoticeServer&) = delete;
  NoticeServer& operator=(const NoticeServer&) = delete;

  // Serves until stop(); the connections still open are then closed.
  void run();
  // Any thread.
  void stop();
  // Beaten at every turn of run() and while it waits (runtime/heartbeat.hpp).
  [[nodiscard]] const runtime::Heartbeat& heartbeat() const { return heartbeat_; }

 private:
  struct Connection;

  // Any thread: queues `line` for the connections of `uid` and wakes run().
  void push(std::uint32_t uid, std::string line);
  void wake();
  // Moves the queued pushes to every connection.
  void deliverQueued();
  void acceptAll();
  void admit(platform::FileDescriptor connection);
  [[nodiscard]] bool allowed(std::uint32_t uid, const std::string& user);
  // Without named users: closes the connections of accounts with no login session open now.
  void closeEndedSessions();
  // False when the connection must be closed.
  [[nodiscard]] bool readFrom(Connection& connection);
  [[nodiscard]] bool writeTo(Connection& connection);
  void expireIdle();
  void close(Connection& connection, const char* why);

  // First, so it is closed if listening fails.
  platform::WakePipe wake_;
  NoticeServerOptions options_;
  NoticeService& service_;
  platform::LoginSessions& sessions_;
  std::uint64_t socketInode_ = 0;  // the file removed at the end, unless another replaced it
  platform::FileDescriptor listening_;
  std::atomic<bool> stopping_{false};
  runtime::Heartbeat heartbeat_;

  std::mutex queueMutex_;
  struct Queued {
    std::uint32_t uid;
    std::string line;
  };
  std::vector<Queued> queued_;  // pushes waiting for run(), under queueMutex_

  // run()'s own.
  std::vector<std::unique_ptr<Connection>> connections_;
  std::uint64_t nextConnection_ = 1;
  std::chrono::steady_clock::time_point sessionsChecked_;
};

}  // namespace clubsafe::agent::notices
