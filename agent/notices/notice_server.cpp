#include "agent/notices/notice_server.hpp"

#include "agent/platform/file_stamp.hpp"
#include "agent/platform/local_socket.hpp"
#include "agent/platform/peer_credentials.hpp"
#include "agent/platform/process_lister.hpp"
#include "agent/platform/socket.hpp"
#include "common/notice_protocol.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <system_error>

namespace clubsafe::agent::notices {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kReadChunk = 4096;
// Read from one connection per wake-up at most, so that one busy client cannot starve the others.
constexpr std::size_t kMaxReadPerWake = std::size_t{64} * 1024;
// A client that lets this much pile up unread is not reading what it is sent: it is closed.
constexpr std::size_t kMaxUnsent = std::size_t{256} * 1024;
// Pushes waiting for run(), dropped past this (none are made without connections).
constexpr std::size_t kMaxQueued = 256;
// run() looks at deadlines (idle connections, acknowledgements, sessions) this often.
constexpr std::chrono::milliseconds kTick{1000};

// std::strerror is not thread-safe; this is.
std::string systemError() {
  return std::system_category().message(errno);
}

platform::WakePipe makeWakePipe() {
  try {
    return platform::WakePipe();
  } catch (const std::system_error& error) {
    throw NoticeSocketError("The notice socket could not be set up: no pipe could be made (" +
                            error.code().message() + ").");
  }
}

void checkPath(const std::string& path) {
  if (path.empty() || path.front() != '/' || path.size() > platform::longestLocalSocketPath()) {
    throw NoticeSocketError("notices.socket_path must be a full file path shorter than " +
                            std::to_string(platform::longestLocalSocketPath() + 1) +
                            " bytes, not \"" + path + "\".");
  }
}

// Makes the socket's directory when missing (0755: others' notice programs go through it).
void makeDirectory(const std::filesystem::path& directory) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (directory.empty() || fs::exists(directory, error)) return;
  fs::create_directories(directory, error);
  if (!error) {
    fs::permissions(directory,
                    fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                        fs::perms::others_read | fs::perms::others_exec,
                    error);
  }
  if (error) {
    throw NoticeSocketError("The notice socket's directory " + directory.string() +
                            " could not be made (" + error.message() +
                            "): check notices.socket_path.");
  }
}

// The listening socket at `path`, open to every user; `inode` is its file's.
platform::FileDescriptor listenOn(const std::string& path, std::uint64_t& inode) {
  namespace fs = std::filesystem;
  checkPath(path);
  makeDirectory(fs::path(path).parent_path());
  std::error_code error;
  const auto status = fs::symlink_status(path, error);
  if (fs::exists(status)) {
    if (!fs::is_socket(status)) {
      throw NoticeSocketError(path +
                              " is in the way of the notice socket and is not a socket: remove "
                              "it, or set notices.socket_path to another file.");
    }
    if (platform::localSocketAnswers(path)) {
      throw NoticeSocketError(
          "A program (another clubsafe agent?) already answers on the notice "
          "socket " +
          path + ": stop it first.");
    }
    fs::remove(path, error);  // left behind by an agent that was killed
  }
  try {
    // Every person's notice program connects: who may stay is checked per connection.
    auto socket = platform::listenLocal(path, static_cast<int>(kMaxNoticeConnections));
    const auto stamp = platform::fileStamp(path);
    inode = stamp ? stamp->inode : 0;
    return socket;
  } catch (const std::system_error& failure) {
    throw NoticeSocketError("The notice socket " + path + " could not be opened (" +
                            failure.code().message() + "): check notices.socket_path.");
  }
}

}  // namespace

struct NoticeServer::Connection {
  Connection(platform::FileDescriptor fd, std::uint64_t number, SteadyClock::time_point now)
      : socket(std::move(fd)), id(number), accepted(now), lastProgress(now) {}

  platform::FileDescriptor socket;
  std::uint64_t id;
  std::uint32_t uid = 0;  // whose it is, as the kernel says
  SteadyClock::time_point accepted;
  SteadyClock::time_point lastProgress;  // of sending, while something waits to be sent
  common::notice::LineReader reader;
  std::string unsent;
  bool greeted = false;
  bool open = true;
};

NoticeServer::NoticeServer(NoticeServerOptions options, NoticeService& service,
                           platform::LoginSessions& sessions)
    : wake_(makeWakePipe()),
      options_(std::move(options)),
      service_(service),
      sessions_(sessions),
      listening_(listenOn(options_.socketPath, socketInode_)) {
  service_.setPush([this](std::uint32_t uid, std::string line) { push(uid, std::move(line)); });
  spdlog::info("The notice socket is open at {}: {} may connect.", options_.socketPath,
               options_.allowedUsers.empty() ? "people with a login session open on this laptop"
                                             : "the users named in notices.allowed_users");
}

NoticeServer::~NoticeServer() {
  service_.setPush(nullptr);
  if (const auto stamp = platform::fileStamp(options_.socketPath);
      stamp && stamp->inode == socketInode_) {
    std::error_code error;
    std::filesystem::remove(options_.socketPath, error);
  }
}

void NoticeServer::run() {
  std::vector<platform::Awaited> fds;
  while (!stopping_.load()) {
    heartbeat_.beat();
    fds.clear();
    fds.push_back({.fd = listening_.get()});
    fds.push_back({.fd = wake_.readEnd()});
    for (const auto& connection : connections_) {
      fds.push_back({.fd = connection->socket.get(), .forWriting = !connection->unsent.empty()});
    }
    if (!platform::waitForAny(fds, kTick)) {
      spdlog::error("The notice socket stopped answering: {}.", systemError());
      break;
    }
    if (stopping_.load()) break;
    if (fds[1].readable) deliverQueued();
    for (std::size_t i = 0; i + 2 < fds.size(); ++i) {
      auto& connection = *connections_[i];
      if (fds[i + 2].readable && !readFrom(connection)) continue;
      if (!connection.unsent.empty() && !writeTo(connection)) {
        close(connection, "it did not take what it was sent");
      }
    }
    if (fds[0].readable) acceptAll();
    expireIdle();
    closeEndedSessions();
    std::erase_if(connections_, [](const auto& connection) { return !connection->open; });
    service_.tick();
  }
  for (auto& connection : connections_) close(*connection, "the agent is stopping");
  connections_.clear();
}

void NoticeServer::stop() {
  stopping_.store(true);
  wake();
}

void NoticeServer::push(std::uint32_t uid, std::string line) {
  {
    const std::lock_guard lock(queueMutex_);
    if (queued_.size() >= kMaxQueued) return;
    queued_.push_back({uid, std::move(line)});
  }
  wake();
}

void NoticeServer::wake() {
  wake_.notify();
}

void NoticeServer::deliverQueued() {
  wake_.drain();
  std::vector<Queued> lines;
  {
    const std::lock_guard lock(queueMutex_);
    lines.swap(queued_);
  }
  const auto now = SteadyClock::now();
  for (auto& connection : connections_) {
    if (!connection->open) continue;
    for (const auto& line : lines) {
      if (line.uid != connection->uid) continue;
      if (connection->unsent.empty()) connection->lastProgress = now;
      connection->unsent += line.line;
    }
  }
}

void NoticeServer::acceptAll() {
  for (;;) {
    auto connection = platform::acceptConnection(listening_.get());
    if (connection.valid()) {
      admit(std::move(connection));
      continue;
    }
    if (errno == EINTR || errno == ECONNABORTED) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      spdlog::warn("The notice socket could not take a connection: {}.", systemError());
    }
    return;
  }
}

void NoticeServer::admit(platform::FileDescriptor socket) {
  const int fd = socket.get();
  auto connection =
      std::make_unique<Connection>(std::move(socket), nextConnection_++, SteadyClock::now());
  const auto peer = platform::peerCredentials(fd);
  if (!peer) {
    spdlog::warn("The notice socket refused a connection whose user the system could not tell.");
    return;
  }
  const auto user = platform::userName(peer->uid);
  if (!allowed(peer->uid, user)) {
    spdlog::warn("The notice socket refused a connection from process {} of user id {}: {}.",
                 peer->pid, peer->uid,
                 options_.allowedUsers.empty()
                     ? "that user has no login session open on this laptop"
                     : "that user is not named in notices.allowed_users");
    return;
  }
  const auto open = std::count_if(connections_.begin(), connections_.end(),
                                  [](const auto& other) { return other->open; });
  const auto theirs =
      std::count_if(connections_.begin(), connections_.end(),
                    [&peer](const auto& other) { return other->open && other->uid == peer->uid; });
  if (static_cast<std::size_t>(open) >= kMaxNoticeConnections ||
      static_cast<std::size_t>(theirs) >= kMaxNoticeConnectionsPerAccount) {
    spdlog::warn(
        "The notice socket refused a connection from process {} of user id {}: it already has "
        "{} connections, {} of them that account's (at most {}, {} an account).",
        peer->pid, peer->uid, open, theirs, kMaxNoticeConnections, kMaxNoticeConnectionsPerAccount);
    return;
  }
  connection->uid = peer->uid;
  spdlog::debug("Notice socket connection {} is from process {} of {}.", connection->id, peer->pid,
                user);
  service_.opened({connection->id, peer->uid, user});
  connections_.push_back(std::move(connection));
}

bool NoticeServer::allowed(std::uint32_t uid, const std::string& user) {
  if (!options_.allowedUsers.empty()) {
    return std::find(options_.allowedUsers.begin(), options_.allowedUsers.end(), user) !=
           options_.allowedUsers.end();
  }
  return platform::hasOpenSession(sessions_.list(), uid);
}

void NoticeServer::closeEndedSessions() {
  if (!options_.allowedUsers.empty() || connections_.empty()) return;
  const auto now = SteadyClock::now();
  if (now - sessionsChecked_ < kTick) return;
  sessionsChecked_ = now;
  const auto sessions = sessions_.list();
  for (auto& connection : connections_) {
    if (connection->open && !platform::hasOpenSession(sessions, connection->uid)) {
      close(*connection, "its account's login sessions ended");
    }
  }
}

bool NoticeServer::readFrom(Connection& connection) {
  std::array<char, kReadChunk> buffer{};
  for (std::size_t total = 0; total < kMaxReadPerWake;) {
    const auto got = platform::receiveSome(connection.socket.get(), buffer);
    if (got.status == platform::Transfer::Status::NothingYet) return true;
    if (got.status == platform::Transfer::Status::Ended) {
      // The other end has finished: what it asked before is still answered if it can be.
      (void)writeTo(connection);
      close(connection, "the notice program closed it");
      return false;
    }
    total += got.bytes;
    connection.reader.append({buffer.data(), got.bytes});
    try {
      while (const auto line = connection.reader.next()) {
        if (connection.unsent.empty()) connection.lastProgress = SteadyClock::now();
        connection.unsent += service_.handleLine(connection.id, *line);
      }
    } catch (const common::notice::ProtocolError&) {
      spdlog::warn(
          "A connection to the notice socket sent a line longer than {} bytes and was "
          "closed.",
          common::notice::kMaxLineBytes);
      close(connection, "it sent a line that was too long");
      return false;
    }
  }
  return true;
}

bool NoticeServer::writeTo(Connection& connection) {
  while (!connection.unsent.empty()) {
    const auto sent = platform::sendSome(connection.socket.get(), connection.unsent);
    if (sent.status == platform::Transfer::Status::Moved) {
      connection.unsent.erase(0, sent.bytes);
      connection.lastProgress = SteadyClock::now();
      continue;
    }
    return sent.status == platform::Transfer::Status::NothingYet &&
           connection.unsent.size() <= kMaxUnsent;
  }
  return true;
}

void NoticeServer::expireIdle() {
  const auto now = SteadyClock::now();
  for (auto& connection : connections_) {
    if (!connection->open) continue;
    if (!connection->unsent.empty() && now - connection->lastProgress > options_.idleTimeout) {
      close(*connection, "it did not take what it was sent in time");
      continue;
    }
    if (!connection->greeted) connection->greeted = service_.greeted(connection->id);
    if (!connection->greeted && now - connection->accepted > options_.idleTimeout) {
      close(*connection, "it did not say hello in time");
    }
  }
}

void NoticeServer::close(Connection& connection, const char* why) {
  if (!connection.open) return;
  connection.open = false;
  (void)connection.socket.close();
  spdlog::debug("Notice socket connection {} closed: {}.", connection.id, why);
  service_.closed(connection.id);
}

}  // namespace clubsafe::agent::notices
