// The notice program's connection to the agent, over a real Unix socket in a temporary folder.
// The test speaks the agent's side with the protocol's own codec; the real agent's side is
// tested in tests/unit/agent/notices and both together in tests/integration/notice.
#include "notice/agent_client.hpp"

#include "notice/plain_words.hpp"
#include "tests/support/temp_dir.hpp"

#include <Poco/JSON/Array.h>
#include <glibmm/init.h>
#include <glibmm/main.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <thread>

namespace clubsafe::notice {
namespace {

namespace protocol = common::notice;
using namespace std::chrono_literals;
using protocol::Message;
using protocol::MessageType;

// Runs the GLib main loop (where the client does all its work) until `done` or `timeout`.
bool pumpUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout = 5s) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  auto context = Glib::MainContext::get_default();
  while (!done()) {
    if (std::chrono::steady_clock::now() > end) return false;
    if (!context->iteration(false)) std::this_thread::sleep_for(5ms);
  }
  return true;
}

// The agent's end of the socket, one connection at a time.
class AgentEnd {
 public:
  explicit AgentEnd(const std::string& path) {
    listening_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    if (::bind(listening_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        ::listen(listening_, 4) != 0) {
      throw std::runtime_error(std::string("cannot listen: ") + std::strerror(errno));
    }
  }
  ~AgentEnd() {
    closeConnection();
    ::close(listening_);
  }
  AgentEnd(const AgentEnd&) = delete;
  AgentEnd& operator=(const AgentEnd&) = delete;

  bool accept() {
    return pumpUntil([this] {
      connection_ = ::accept4(listening_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      return connection_ >= 0;
    });
  }

  std::optional<Message> receive() {
    std::optional<std::string> line;
    pumpUntil([this, &line] {
      std::array<char, 4096> buffer{};
      const auto got = ::read(connection_, buffer.data(), buffer.size());
      if (got > 0) reader_.append(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
      line = reader_.next();
      return line.has_value();
    });
    if (!line) return std::nullopt;
    return protocol::parseMessage(*line);
  }

  void sendLine(const std::string& line) {
    ASSERT_EQ(::write(connection_, line.data(), line.size()), static_cast<ssize_t>(line.size()));
  }
  void send(const Message& message) { sendLine(protocol::serialiseMessage(message)); }

  void reply(std::int64_t id, bool ok, Poco::JSON::Object::Ptr body = new Poco::JSON::Object) {
    Message message{MessageType::Reply, id, body};
    message.body->set("ok", ok);
    send(message);
  }

  void closeConnection() {
    if (connection_ >= 0) ::close(connection_);
    connection_ = -1;
    reader_ = protocol::LineReader();
  }

 private:
  int listening_ = -1;
  int connection_ = -1;
  protocol::LineReader reader_;
};

Poco::JSON::Array::Ptr array(std::initializer_list<std::string> items) {
  Poco::JSON::Array::Ptr result = new Poco::JSON::Array;
  for (const auto& item : items) result->add(item);
  return result;
}

Poco::JSON::Object::Ptr stateObject(const std::string& member = {}) {
  Poco::JSON::Object::Ptr state = new Poco::JSON::Object;
  if (!member.empty()) {
    state->set("member", member);
    state->set("age_band", "10-12");
  }
  state->set("staff", false);
  state->set("profile", "Juniors");
  state->set("age_bands", array({"10-12", "13-17"}));
  state->set("overrides", array({}));
  return state;
}

Poco::JSON::Object::Ptr helloAnswer() {
  Poco::JSON::Object::Ptr notice = new Poco::JSON::Object;
  notice->set("club_name", "Riverside Youth Club");
  notice->set("paragraphs", array({"We record the sites you visit.", "Only the lead sees it."}));
  notice->set("policy_url", "");
  notice->set("version", "v7");
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("notice", notice);
  body->set("state", stateObject());
  return body;
}

class AgentClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { Glib::init(); }

  AgentClient makeClient() {
    return AgentClient(
        socketPath_, 1s,
        {[this](const NoticeText& notice, const SessionState& state) {
           notices_.push_back(notice);
           states_.push_back(state);
         },
         [this] { ++lost_; }, [this](const SessionState& state) { states_.push_back(state); },
         [this](const BlockedSite& site) { blocked_.push_back(site); }});
  }

  // Accepts the client's connection and answers its hello.
  void greet(AgentEnd& agent, AgentClient& client) {
    ASSERT_TRUE(agent.accept());
    const auto hello = agent.receive();
    ASSERT_TRUE(hello.has_value());
    EXPECT_EQ(hello->type, MessageType::Hello);
    const auto before = notices_.size();
    agent.reply(hello->id, true, helloAnswer());
    ASSERT_TRUE(pumpUntil([&] { return notices_.size() > before; }));
    EXPECT_TRUE(client.connected());
  }

  testing::TempDir dir_;
  std::string socketPath_ = dir_.file("notice.sock");
  std::vector<NoticeText> notices_;
  std::vector<SessionState> states_;
  std::vector<BlockedSite> blocked_;
  int lost_ = 0;
};

TEST_F(AgentClientTest, SaysHelloMatchesRepliesAndHandsOnPushes) {
  AgentEnd agent(socketPath_);
  auto client = makeClient();
  client.start();
  greet(agent, client);
  ASSERT_EQ(notices_.size(), 1U);
  EXPECT_EQ(notices_[0].clubName, "Riverside Youth Club");
  EXPECT_EQ(notices_[0].paragraphs.size(), 2U);
  EXPECT_EQ(notices_[0].policyUrl, "");
  EXPECT_EQ(notices_[0].version, "v7");
  EXPECT_FALSE(states_.back().signedIn());
  EXPECT_EQ(states_.back().ageBands, (std::vector<std::string>{"10-12", "13-17"}));

  std::vector<Answer> answers;
  Poco::JSON::Object body;
  body.set("name", "Sam");
  body.set("age_band", "10-12");
  ASSERT_TRUE(client.send(MessageType::SignIn, body,
                          [&](const Answer& answer) { answers.push_back(answer); }));
  Poco::JSON::Object worry;
  worry.set("about", "bullying");
  worry.set("message", "Someone is being unkind");
  ASSERT_TRUE(client.send(MessageType::ReportWorry, worry,
                          [&](const Answer& answer) { answers.push_back(answer); }));
  const auto signIn = agent.receive();
  const auto report = agent.receive();
  ASSERT_TRUE(signIn && report);
  EXPECT_EQ(signIn->type, MessageType::SignIn);
  EXPECT_EQ(signIn->body->getValue<std::string>("name"), "Sam");
  EXPECT_EQ(report->type, MessageType::ReportWorry);
  EXPECT_NE(signIn->id, report->id);

  // Answered out of order: each answer goes to its own request.
  Poco::JSON::Object::Ptr refusal = new Poco::JSON::Object;
  refusal->set("error", "Write a few words about your worry, then send it.");
  agent.reply(report->id, false, refusal);
  Poco::JSON::Object::Ptr signedIn = new Poco::JSON::Object;
  signedIn->set("state", stateObject("Sam"));
  agent.reply(signIn->id, true, signedIn);
  ASSERT_TRUE(pumpUntil([&] { return answers.size() == 2; }));
  EXPECT_FALSE(answers[0].ok);
  EXPECT_EQ(answers[0].error, "Write a few words about your worry, then send it.");
  EXPECT_TRUE(answers[1].ok);
  ASSERT_TRUE(answers[1].state.has_value());
  EXPECT_EQ(answers[1].state->member, "Sam");

  Message blocked{MessageType::Blocked, 0, new Poco::JSON::Object};
  blocked.body->set("domain", "poker.example");
  blocked.body->set("category", "gambling");
  blocked.body->set("reason", "gambling");
  agent.send(blocked);
  Message state{MessageType::State, 0, new Poco::JSON::Object};
  state.body->set("state", stateObject("Ali"));
  agent.send(state);
  ASSERT_TRUE(pumpUntil([&] { return !blocked_.empty() && states_.back().member == "Ali"; }));
  EXPECT_EQ(blocked_[0].domain, "poker.example");
  EXPECT_EQ(blocked_[0].reason, "gambling");
  EXPECT_EQ(lost_, 0);
}

TEST_F(AgentClientTest, WaitsForAnAgentThatIsNotThereYet) {
  auto client = makeClient();
  client.start();
  EXPECT_EQ(lost_, 1);
  EXPECT_FALSE(client.connected());
  EXPECT_FALSE(client.send(MessageType::SignOut, Poco::JSON::Object(),
                           [](const Answer&) { ADD_FAILURE(); }));
  // Retries are quiet: "not answering" is said once.
  pumpUntil([] { return false; }, 2500ms);
  EXPECT_EQ(lost_, 1);

  AgentEnd agent(socketPath_);
  greet(agent, client);
  EXPECT_EQ(notices_.size(), 1U);
}

TEST_F(AgentClientTest, ABrokenMessageEndsTheConnectionAndItComesBack) {
  AgentEnd agent(socketPath_);
  auto client = makeClient();
  client.start();
  greet(agent, client);

  std::optional<Answer> answer;
  ASSERT_TRUE(client.send(MessageType::SignOut, Poco::JSON::Object(),
                          [&](const Answer& got) { answer = got; }));
  ASSERT_TRUE(agent.receive().has_value());
  agent.sendLine("{\"type\":\"reply\",\"id\":2,\"ok\":\"yes\"}\n");
  ASSERT_TRUE(pumpUntil([&] { return answer.has_value(); }));
  EXPECT_FALSE(answer->ok);
  EXPECT_EQ(answer->error, kAgentNotAnswering);
  EXPECT_EQ(lost_, 1);
  EXPECT_FALSE(client.connected());

  agent.closeConnection();
  greet(agent, client);
  EXPECT_EQ(notices_.size(), 2U);
}

TEST_F(AgentClientTest, AReplyToNothingOrARequestFromTheAgentIsRefused) {
  AgentEnd agent(socketPath_);
  auto client = makeClient();
  client.start();
  greet(agent, client);
  agent.reply(99, true);
  ASSERT_TRUE(pumpUntil([&] { return lost_ == 1; }));

  agent.closeConnection();
  greet(agent, client);
  agent.send(Message{MessageType::Hello, 5, new Poco::JSON::Object});
  ASSERT_TRUE(pumpUntil([&] { return lost_ == 2; }));
}

TEST_F(AgentClientTest, ARefusedHelloIsNotAConnection) {
  AgentEnd agent(socketPath_);
  auto client = makeClient();
  client.start();
  ASSERT_TRUE(agent.accept());
  const auto hello = agent.receive();
  ASSERT_TRUE(hello.has_value());
  Poco::JSON::Object::Ptr refusal = new Poco::JSON::Object;
  refusal->set("error", "This account may not use the notice socket.");
  agent.reply(hello->id, false, refusal);
  ASSERT_TRUE(pumpUntil([&] { return lost_ == 1; }));
  EXPECT_FALSE(client.connected());
  EXPECT_TRUE(notices_.empty());
}

TEST_F(AgentClientTest, TheAgentGoingAwayIsNoticedAndFollowed) {
  auto agent = std::make_unique<AgentEnd>(socketPath_);
  auto client = makeClient();
  client.start();
  greet(*agent, client);
  agent.reset();
  ASSERT_TRUE(pumpUntil([&] { return lost_ == 1; }));
  ::unlink(socketPath_.c_str());
  agent = std::make_unique<AgentEnd>(socketPath_);
  greet(*agent, client);
  EXPECT_EQ(notices_.size(), 2U);
}

}  // namespace
}  // namespace clubsafe::notice
