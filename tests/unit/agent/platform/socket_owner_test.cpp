#include "agent/platform/socket_owner.hpp"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

namespace clubsafe::agent::platform {
namespace {

TcpConnection serverView(const Poco::Net::StreamSocket& accepted) {
  return {accepted.address().host().toString(), accepted.address().port(),
          accepted.peerAddress().host().toString(), accepted.peerAddress().port()};
}

TEST(SocketOwnerTest, FindsTheOwnerOfARealLoopbackPeer) {
  Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
  Poco::Net::StreamSocket client(server.address());
  const auto accepted = server.acceptConnection();
  const auto owners = makeSocketOwners();
  EXPECT_EQ(owners->peerOwner(serverView(accepted)), ::geteuid());
  // Ports swapped: that is the server's own socket seen from the wrong side, not a peer.
  auto wrong = serverView(accepted);
  wrong.remotePort = wrong.localPort;
  EXPECT_EQ(owners->peerOwner(wrong), std::nullopt);
}

// Issue 14: a program could send its form and hang up before the block page looked it up. Only
// an established socket is a peer.
TEST(SocketOwnerTest, APeerThatHasClosedItsEndIsNotOne) {
  Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
  Poco::Net::StreamSocket client(server.address());
  const auto accepted = server.acceptConnection();
  const auto owners = makeSocketOwners();
  ASSERT_EQ(owners->peerOwner(serverView(accepted)), ::geteuid());
  client.shutdownSend();  // FIN_WAIT on the peer's side once the FIN is acknowledged
  std::optional<std::uint32_t> owner = ::geteuid();
  for (int i = 0; i < 100 && owner; ++i) {
    owner = owners->peerOwner(serverView(accepted));
    if (owner) ::usleep(10'000);
  }
  EXPECT_EQ(owner, std::nullopt);
}

TEST(SocketOwnerTest, FindsAnIpv6Peer) {
  Poco::Net::ServerSocket server;
  try {
    server.bind6(Poco::Net::SocketAddress("::1", 0), true, true, true);
    server.listen();
  } catch (const Poco::Exception& error) {
    GTEST_SKIP() << "no IPv6 loopback here: " << error.displayText();
  }
  Poco::Net::StreamSocket client(server.address());
  const auto accepted = server.acceptConnection();
  EXPECT_EQ(makeSocketOwners()->peerOwner(serverView(accepted)), ::geteuid());
}

// The block page's real case: the peer belongs to someone else than the agent. A child process
// takes another user id and connects; the table must name that id, not the server's.
TEST(SocketOwnerTest, NamesAnotherAccountsSocket) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to connect as another user";
  constexpr uid_t kNobody = 65534;
  Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
  const auto port = server.address().port();
  int done[2];
  ASSERT_EQ(::pipe(done), 0);
  const auto child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(done[1]);
    if (::setgid(kNobody) != 0 || ::setuid(kNobody) != 0) ::_exit(2);
    try {
      Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
      char byte = 0;
      (void)::read(done[0], &byte, 1);  // stay connected until the parent has looked
    } catch (...) {
      ::_exit(3);
    }
    ::_exit(0);
  }
  ::close(done[0]);
  const auto accepted = server.acceptConnection();
  EXPECT_EQ(makeSocketOwners()->peerOwner(serverView(accepted)), kNobody);
  ::close(done[1]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(SocketOwnerTest, NoSuchConnectionOrNoTableIsUnknown) {
  const TcpConnection nobody{"127.0.0.1", 1, "127.0.0.1", 2};
  EXPECT_EQ(makeSocketOwners()->peerOwner(nobody), std::nullopt);
  EXPECT_EQ(makeSocketOwners("/nonexistent")->peerOwner(nobody), std::nullopt);
  const TcpConnection garbage{"not an address", 1, "127.0.0.1", 2};
  EXPECT_EQ(makeSocketOwners()->peerOwner(garbage), std::nullopt);
}

}  // namespace
}  // namespace clubsafe::agent::platform
