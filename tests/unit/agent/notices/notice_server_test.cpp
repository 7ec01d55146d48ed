#include "agent/notices/notice_server.hpp"

#include "agent/platform/peer_credentials.hpp"
#include "agent/platform/process_lister.hpp"
#include "tests/unit/agent/notices/notice_fixture.hpp"

#include <gtest/gtest.h>

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <thread>

namespace clubsafe::agent::notices {
namespace {

namespace proto = common::notice;
using common::EventType;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr uid_t kNobody = 65534;

sockaddr_un addressOf(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.data(), std::min(path.size(), sizeof(address.sun_path) - 1));
  return address;
}

// A notice program's end of the socket.
class Client {
 public:
  explicit Client(const std::string& path) {
    const auto address = addressOf(path);
    connected_ =
        ::connect(fd_.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0;
  }

  [[nodiscard]] bool connected() const { return connected_; }

  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      const auto sent = ::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
  }

  // The next line, or nullopt when the connection ended or nothing came in time.
  std::optional<std::string> line(milliseconds timeout = seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (const auto end = buffer_.find('\n'); end != std::string::npos) {
        auto line = buffer_.substr(0, end);
        buffer_.erase(0, end + 1);
        return line;
      }
      const auto left =
          std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
      pollfd readable{fd_.get(), POLLIN, 0};
      if (left.count() <= 0 || ::poll(&readable, 1, static_cast<int>(left.count())) <= 0) {
        return std::nullopt;
      }
      std::array<char, 4096> chunk{};
      const auto got = ::recv(fd_.get(), chunk.data(), chunk.size(), 0);
      if (got <= 0) {
        ended_ = true;
        return std::nullopt;
      }
      buffer_.append(chunk.data(), static_cast<std::size_t>(got));
    }
  }

  // The next message of `type`, passing over the others (State pushes, say).
  std::optional<proto::Message> next(proto::MessageType type, milliseconds timeout = seconds(5)) {
    while (const auto text = line(timeout)) {
      auto message = proto::parseMessage(*text);
      if (message.type == type) return message;
    }
    return std::nullopt;
  }

  proto::Message request(const std::string& line) {
    EXPECT_TRUE(send(line + "\n"));
    auto reply = next(proto::MessageType::Reply);
    if (!reply) {
      ADD_FAILURE() << "no reply to " << line;
      return {};
    }
    return *reply;
  }

  // Whether the agent closes the connection within `timeout`.
  bool endedByAgent(milliseconds timeout = seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!ended_ && std::chrono::steady_clock::now() < deadline) (void)line(milliseconds(100));
    return ended_;
  }

 private:
  platform::FileDescriptor fd_{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  bool connected_ = false;
  bool ended_ = false;
  std::string buffer_;
};

// What a notice program of another user saw, reported as its exit code.
enum ChildOutcome {
  kAnswered = 10,
  kClosedUnanswered = 20,
  kCannotConnect = 30,
  kNoSwitch = 40,
  kHeardOthers = 50,
  kHeardNothingOfOthers = 60,
};

// In a forked child: becomes `uid`, connects and says hello; the connection, or _exit with why not.
// Only system calls, as the parent has threads.
int helloAs(uid_t uid, const sockaddr_un& address) {
  if (::setresgid(uid, uid, uid) != 0 || ::setresuid(uid, uid, uid) != 0) ::_exit(kNoSwitch);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    ::_exit(kCannotConnect);
  }
  static const char kHello[] = "{\"type\":\"hello\",\"id\":1}\n";
  (void)!::write(fd, kHello, sizeof(kHello) - 1);
  return fd;
}

// In a child process running as `uid` (the tests run as root): connects, says hello and reports
// what happened. Only system calls after fork, as the parent has threads.
int helloAsUser(uid_t uid, const std::string& path) {
  const auto address = addressOf(path);
  const pid_t child = ::fork();
  if (child == 0) {
    const int fd = helloAs(uid, address);
    char byte = 0;
    pollfd readable{fd, POLLIN, 0};
    if (::poll(&readable, 1, 5000) != 1) ::_exit(0);
    ::_exit(::read(fd, &byte, 1) == 1 ? kAnswered : kClosedUnanswered);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// In a child process running as `uid`: says hello, writes a byte to `ready` once answered, then
// listens for two seconds and reports whether it heard another account's member or block.
int listenAsUser(uid_t uid, const std::string& path, int ready) {
  const auto address = addressOf(path);
  const pid_t child = ::fork();
  if (child == 0) {
    const int fd = helloAs(uid, address);
    static char heard[65536];
    std::size_t got = 0;
    pollfd readable{fd, POLLIN, 0};
    if (::poll(&readable, 1, 5000) != 1) ::_exit(kClosedUnanswered);
    (void)!::write(ready, "r", 1);
    while (got < sizeof(heard) && ::poll(&readable, 1, 2000) == 1) {
      const auto n = ::read(fd, heard + got, sizeof(heard) - got);
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    const bool others = ::memmem(heard, got, "Amira", 5) != nullptr ||
                        ::memmem(heard, got, "\"blocked\"", 9) != nullptr;
    ::_exit(others ? kHeardOthers : kHeardNothingOfOthers);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool eventually(const std::function<bool()>& done, milliseconds timeout = seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return true;
}

class NoticeServerTest : public ::testing::Test, public testing::NoticeFixture {
 protected:
  NoticeServerTest() {
    // mkdtemp made it 0700: another user's notice program must get to the socket inside.
    std::filesystem::permissions(dir.path(), std::filesystem::perms(0755));
  }
  ~NoticeServerTest() override { stop(); }

  [[nodiscard]] std::string path() const { return dir.file("run/clubsafe/notice.sock"); }

  NoticeServerOptions options() const {
    NoticeServerOptions options;
    options.socketPath = path();
    options.allowedUsers = {platform::userName(::getuid())};
    return options;
  }

  void start(NoticeServerOptions options) {
    server_ = std::make_unique<NoticeServer>(std::move(options), service, sessions);
    thread_ = std::thread([this] { server_->run(); });
  }
  void stop() {
    if (!server_) return;
    server_->stop();
    thread_.join();
    server_.reset();
  }

  std::unique_ptr<NoticeServer> server_;
  std::thread thread_;
};

TEST_F(NoticeServerTest, TheSocketIsOpenToEveryoneInADirectoryTheyCanEnter) {
  start(options());
  struct stat info {};
  ASSERT_EQ(::stat(dir.file("run/clubsafe").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0755U);
  ASSERT_EQ(::stat(path().c_str(), &info), 0);
  EXPECT_TRUE(S_ISSOCK(info.st_mode));
  EXPECT_EQ(info.st_mode & 0777, 0666U);
  stop();
  EXPECT_FALSE(std::filesystem::exists(path()));
}

TEST_F(NoticeServerTest, AStaleSocketIsReplacedButNotALiveOneOrAnotherFile) {
  std::filesystem::create_directories(dir.file("run/clubsafe"));
  {
    const platform::FileDescriptor stale(::socket(AF_UNIX, SOCK_STREAM, 0));
    const auto address = addressOf(path());
    ASSERT_EQ(::bind(stale.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)), 0);
  }  // closed without removing its file, as a killed agent leaves it
  start(options());
  Client client(path());
  ASSERT_TRUE(client.connected());
  EXPECT_TRUE(client.request(R"({"type":"hello","id":1})").body->getValue<bool>("ok"));

  EXPECT_THROW(NoticeServer(options(), service, sessions), NoticeSocketError);
  EXPECT_TRUE(client.request(R"({"type":"hello","id":2})").body->getValue<bool>("ok"));

  auto elsewhere = options();
  elsewhere.socketPath = dir.file("not-a-socket");
  std::ofstream(elsewhere.socketPath) << "keep me";
  EXPECT_THROW(NoticeServer(elsewhere, service, sessions), NoticeSocketError);
  std::ifstream kept(elsewhere.socketPath);
  std::string text;
  std::getline(kept, text);
  EXPECT_EQ(text, "keep me");
}

TEST_F(NoticeServerTest, APersonIsServedOverTheSocket) {
  start(options());
  Client client(path());
  const auto hello = client.request(R"({"type":"hello","id":1})");
  EXPECT_EQ(hello.id, 1);
  EXPECT_EQ(hello.body->getObject("notice")->getValue<std::string>("club_name"), "Your youth club");
  const auto signedIn =
      client.request(R"({"type":"sign_in","id":2,"name":"Amira","age_band":"15-17"})");
  ASSERT_TRUE(signedIn.body->getValue<bool>("ok"));
  EXPECT_EQ(active.current().profileId, "seniors");
  EXPECT_TRUE(blocked("seniors.test"));
  const auto signIns = events(EventType::MemberSignIn);
  ASSERT_EQ(signIns.size(), 1U);
  EXPECT_EQ(signIns[0].osUser, platform::userName(::getuid()));
}

TEST_F(NoticeServerTest, AnotherUsersProgramIsRefused) {
  if (::getuid() != 0) GTEST_SKIP() << "switching to another user needs root";
  start(options());
  EXPECT_EQ(helloAsUser(kNobody, path()), kClosedUnanswered);
  EXPECT_TRUE(events().empty());
  Client client(path());  // the user named in the settings still is served
  EXPECT_TRUE(client.request(R"({"type":"hello","id":1})").body->getValue<bool>("ok"));
}

TEST_F(NoticeServerTest, WithoutNamedUsersOnlyAUserWithASessionOpenIsLetIn) {
  if (::getuid() != 0) GTEST_SKIP() << "switching to another user needs root";
  auto bySession = options();
  bySession.allowedUsers.clear();
  sessions.set({session(0, "active")});
  start(bySession);
  EXPECT_EQ(helloAsUser(kNobody, path()), kClosedUnanswered);
  EXPECT_TRUE(Client(path()).request(R"({"type":"hello","id":1})").body->getValue<bool>("ok"));
  sessions.set({session(kNobody, "active")});
  EXPECT_EQ(helloAsUser(kNobody, path()), kAnswered);
  sessions.set({session(kNobody, "closing")});
  EXPECT_EQ(helloAsUser(kNobody, path()), kClosedUnanswered);
}

TEST_F(NoticeServerTest, AMalformedLineIsAnsweredAndTheConnectionStays) {
  start(options());
  Client client(path());
  const auto refused = client.request("{\"type\":\"sign_in\",\"id\":3}");
  EXPECT_EQ(refused.id, 3);
  EXPECT_FALSE(refused.body->getValue<bool>("ok"));
  const auto garbage = client.request("\x01\x02 garbage");
  EXPECT_EQ(garbage.id, 0);
  EXPECT_FALSE(garbage.body->getValue<std::string>("error").empty());
  EXPECT_TRUE(client.request(R"({"type":"hello","id":4})").body->getValue<bool>("ok"));
  EXPECT_TRUE(events().empty());
  EXPECT_EQ(active.current().profileId, "juniors");
}

TEST_F(NoticeServerTest, ALineOverTheLimitClosesTheConnection) {
  start(options());
  Client client(path());
  (void)client.send(std::string(proto::kMaxLineBytes + 100, 'x'));
  EXPECT_TRUE(client.endedByAgent());
  EXPECT_TRUE(events().empty());
  EXPECT_TRUE(Client(path()).request(R"({"type":"hello","id":1})").body->getValue<bool>("ok"));
}

TEST_F(NoticeServerTest, ABlockReachesTheNoticeProgram) {
  start(options());
  Client client(path());
  (void)client.request(R"({"type":"hello","id":1})");
  service.pushBlocked("bet.test", "gambling", "betting and gambling");
  const auto blocked = client.next(proto::MessageType::Blocked);
  ASSERT_TRUE(blocked.has_value());
  EXPECT_EQ(blocked->body->getValue<std::string>("domain"), "bet.test");
  EXPECT_EQ(blocked->body->getValue<std::string>("category"), "gambling");
  EXPECT_EQ(blocked->body->getValue<std::string>("reason"), "betting and gambling");
  EXPECT_EQ(events(EventType::BlockNotice).size(), 1U);
}

TEST_F(NoticeServerTest, AnotherAccountHearsNeitherTheMemberNorTheirBlocks) {
  if (::getuid() != 0) GTEST_SKIP() << "switching to another user needs root";
  auto both = options();
  both.allowedUsers.push_back(platform::userName(kNobody));
  sessions.set({session(0, "active"), session(kNobody, "online")});
  start(both);
  Client client(path());
  (void)client.request(R"({"type":"hello","id":1})");
  std::array<int, 2> ready{};
  ASSERT_EQ(::pipe(ready.data()), 0);
  const platform::FileDescriptor readyRead(ready[0]);
  const platform::FileDescriptor readyWrite(ready[1]);
  std::thread nobody(
      [&] { EXPECT_EQ(listenAsUser(kNobody, path(), readyWrite.get()), kHeardNothingOfOthers); });
  char byte = 0;
  pollfd answered{readyRead.get(), POLLIN, 0};
  ASSERT_EQ(::poll(&answered, 1, 5000), 1);
  ASSERT_EQ(::read(readyRead.get(), &byte, 1), 1);
  ASSERT_TRUE(client.request(R"({"type":"sign_in","id":2,"name":"Amira","age_band":"15-17"})")
                  .body->getValue<bool>("ok"));
  service.pushBlocked("bet.test", "gambling", "betting and gambling");
  EXPECT_TRUE(client.next(proto::MessageType::Blocked).has_value());
  nobody.join();
  const auto told = events(EventType::BlockNotice);
  ASSERT_EQ(told.size(), 1U);
  EXPECT_EQ(told[0].osUser, platform::userName(0));
}

TEST_F(NoticeServerTest, AConnectionIsClosedWhenItsAccountsSessionsEnd) {
  auto bySession = options();
  bySession.allowedUsers.clear();
  sessions.set({session(::getuid(), "active")});
  start(bySession);
  Client client(path());
  ASSERT_TRUE(client.request(R"({"type":"hello","id":1})").body->getValue<bool>("ok"));
  EXPECT_FALSE(client.endedByAgent(milliseconds(1500)));
  sessions.set({session(::getuid(), "closing")});
  EXPECT_TRUE(client.endedByAgent(seconds(4)));
}

TEST_F(NoticeServerTest, ASignInIsPushedToEveryNoticeProgramOfThatAccount) {
  start(options());
  Client first(path());
  Client second(path());
  (void)first.request(R"({"type":"hello","id":1})");
  (void)second.request(R"({"type":"hello","id":1})");
  (void)first.request(R"({"type":"sign_in","id":2,"name":"Amira","age_band":"15-17"})");
  const auto state = second.next(proto::MessageType::State);
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->body->getObject("state")->getValue<std::string>("member"), "Amira");
}

TEST_F(NoticeServerTest, AConnectionThatNeverSaysHelloIsClosed) {
  auto quick = options();
  quick.idleTimeout = milliseconds(200);
  start(quick);
  Client greeted(path());
  (void)greeted.request(R"({"type":"hello","id":1})");
  Client silent(path());
  EXPECT_TRUE(silent.endedByAgent(seconds(4)));
  EXPECT_TRUE(greeted.request(R"({"type":"hello","id":2})").body->getValue<bool>("ok"));
}

TEST_F(NoticeServerTest, OneAccountCannotTakeEveryPlace) {
  auto both = options();
  both.allowedUsers.push_back(platform::userName(kNobody));
  start(both);
  std::vector<std::unique_ptr<Client>> clients;
  for (std::size_t i = 0; i < kMaxNoticeConnectionsPerAccount; ++i) {
    clients.push_back(std::make_unique<Client>(path()));
    ASSERT_TRUE(clients.back()->request(R"({"type":"hello","id":1})").body->getValue<bool>("ok"));
  }
  Client extra(path());
  EXPECT_TRUE(extra.endedByAgent());
  if (::getuid() == 0) {
    EXPECT_EQ(helloAsUser(kNobody, path()), kAnswered);  // another account still gets in
  }
  clients.pop_back();
  ASSERT_TRUE(eventually([&] {
    Client again(path());
    return again.send("{\"type\":\"hello\",\"id\":1}\n") &&
           again.next(proto::MessageType::Reply, milliseconds(500)).has_value();
  }));
}

TEST_F(NoticeServerTest, ClosingBeforeAcknowledgingOrSigningOutIsRecorded) {
  start(options());
  {
    Client client(path());
    (void)client.request(R"({"type":"hello","id":1})");
    ASSERT_TRUE(client.request(R"({"type":"sign_in","id":2,"name":"Amira","age_band":"8-12"})")
                    .body->getValue<bool>("ok"));
  }  // the session ends: no login session of this user is open (sessions is empty)
  ASSERT_TRUE(eventually([&] { return !events(EventType::MemberSignOut).empty(); }));
  const auto acknowledged = events(EventType::NoticeAcknowledged);
  ASSERT_EQ(acknowledged.size(), 1U);
  EXPECT_FALSE(acknowledged[0].payload->getValue<bool>("acknowledged"));
  EXPECT_EQ(events(EventType::MemberSignOut)[0].payload->getValue<std::string>("reason"),
            "session_ended");
  // The sign-out is recorded while the stamp still names the member's profile, then the
  // default profile comes back.
  EXPECT_TRUE(eventually([&] { return active.current().profileId == "juniors"; }));
}

TEST(PeerCredentialsTest, TheKernelNamesTheProcessAtTheOtherEnd) {
  std::array<int, 2> pair{};
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, pair.data()), 0);
  const platform::FileDescriptor one(pair[0]);
  const platform::FileDescriptor two(pair[1]);
  const auto peer = platform::peerCredentials(one.get());
  ASSERT_TRUE(peer.has_value());
  EXPECT_EQ(peer->uid, ::getuid());
  EXPECT_EQ(peer->pid, ::getpid());

  std::array<int, 2> pipe{};
  ASSERT_EQ(::pipe(pipe.data()), 0);
  const platform::FileDescriptor in(pipe[0]);
  const platform::FileDescriptor out(pipe[1]);
  EXPECT_FALSE(platform::peerCredentials(in.get()).has_value());
}

}  // namespace
}  // namespace clubsafe::agent::notices
