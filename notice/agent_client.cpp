#include "notice/agent_client.hpp"

#include "notice/plain_words.hpp"

#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

namespace clubsafe::notice {
namespace {

namespace protocol = common::notice;
using protocol::MessageType;

constexpr std::size_t kReadChunk = 4096;

// std::strerror is not thread-safe; this is.
std::string errorText(int error) {
  return std::system_category().message(error);
}

Answer answerFrom(const protocol::Message* reply) {
  Answer answer;
  if (reply == nullptr) {
    answer.error = std::string(kAgentNotAnswering);
    return answer;
  }
  answer.ok = reply->body->getValue<bool>("ok");
  if (reply->body->has("error")) answer.error = reply->body->getValue<std::string>("error");
  if (!answer.ok && answer.error.empty()) {
    answer.error = "That did not work. Please ask a youth worker for help.";
  }
  if (const auto state = reply->body->getObject("state"); !state.isNull()) {
    answer.state = sessionStateFrom(*state);
  }
  return answer;
}

}  // namespace

AgentClient::AgentClient(std::string socketPath, std::chrono::seconds retry, Handlers handlers)
    : socketPath_(std::move(socketPath)), retry_(retry), handlers_(std::move(handlers)) {}

AgentClient::~AgentClient() {
  readWatch_.disconnect();
  writeWatch_.disconnect();
  retryTimer_.disconnect();
  if (fd_ >= 0) ::close(fd_);
}

// A failure is reported and the next try scheduled by drop().
void AgentClient::start() {
  (void)tryConnect();
}

bool AgentClient::tryConnect() {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socketPath_.size() >= sizeof(address.sun_path)) {
    drop("the socket path is longer than " + std::to_string(sizeof(address.sun_path) - 1) +
         " characters");
    return false;
  }
  std::memcpy(address.sun_path, socketPath_.c_str(), socketPath_.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    drop("no socket: " + errorText(errno));
    return false;
  }
  // A Unix socket connects at once or not at all (EAGAIN: the agent's backlog is full).
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    const int error = errno;
    ::close(fd);
    drop(errorText(error));
    return false;
  }
  fd_ = fd;
  readWatch_ = Glib::signal_io().connect(sigc::mem_fun(*this, &AgentClient::onReadable), fd_,
                                         Glib::IO_IN | Glib::IO_HUP | Glib::IO_ERR);
  return sendRequest(MessageType::Hello, Poco::JSON::Object(),
                     [this](const protocol::Message* reply) { handleHello(reply); });
}

void AgentClient::scheduleRetry() {
  if (retryTimer_.connected()) return;
  retryTimer_ = Glib::signal_timeout().connect_seconds(
      [this] {
        if (fd_ < 0 && !tryConnect()) return true;  // keep the timer for the next try
        return false;
      },
      static_cast<unsigned int>(retry_.count()));
}

void AgentClient::handleHello(const protocol::Message* reply) {
  if (reply == nullptr) return;  // drop() has reported it
  if (!reply->body->getValue<bool>("ok")) {
    const auto answer = answerFrom(reply);
    drop("it refused this program: " + answer.error);
    return;
  }
  const auto notice = reply->body->getObject("notice");
  const auto state = reply->body->getObject("state");
  if (notice.isNull() || state.isNull()) {
    drop("its answer to hello had no notice or no state");
    return;
  }
  helloAnswered_ = true;
  lostReported_ = false;
  spdlog::info("Connected to the clubsafe agent at {}.", socketPath_);
  if (handlers_.connected) handlers_.connected(noticeTextFrom(*notice), sessionStateFrom(*state));
}

bool AgentClient::send(MessageType type, const Poco::JSON::Object& body, AnswerHandler answered) {
  if (!connected()) return false;
  return sendRequest(type, body, [answered = std::move(answered)](const protocol::Message* reply) {
    answered(answerFrom(reply));
  });
}

bool AgentClient::sendRequest(MessageType type, const Poco::JSON::Object& body,
                              ReplyHandler handler) {
  protocol::Message message;
  message.type = type;
  message.id = nextId_++;
  message.body = new Poco::JSON::Object(body);
  try {
    outgoing_ += protocol::serialiseMessage(message);
  } catch (const protocol::ProtocolError& error) {
    // Our fields are bounded before they get here; this is a mistake in this program.
    spdlog::error("Not sending a {} message the agent would refuse: {}",
                  protocol::messageTypeInfo(type).name, error.what());
    return false;
  }
  waiting_.emplace(message.id, std::move(handler));
  flush();
  return true;
}

void AgentClient::flush() {
  while (fd_ >= 0 && !outgoing_.empty()) {
    const auto sent = ::send(fd_, outgoing_.data(), outgoing_.size(), MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        if (!writeWatch_.connected()) {
          writeWatch_ = Glib::signal_io().connect(sigc::mem_fun(*this, &AgentClient::onWritable),
                                                  fd_, Glib::IO_OUT);
        }
        return;
      }
      drop("sending failed: " + errorText(errno));
      return;
    }
    outgoing_.erase(0, static_cast<std::size_t>(sent));
  }
}

bool AgentClient::onWritable(Glib::IOCondition) {
  flush();
  // Keep watching only while there is more to send on this connection.
  return fd_ >= 0 && !outgoing_.empty();
}

bool AgentClient::onReadable(Glib::IOCondition) {
  std::array<char, kReadChunk> buffer{};
  for (;;) {
    const auto got = ::read(fd_, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (got <= 0) {
      drop(got == 0 ? "it closed the connection" : errorText(errno));
      return false;
    }
    reader_.append(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
  }
  try {
    // A handler may drop the connection (a refused hello); nothing after that is read.
    const int fd = fd_;
    while (fd_ == fd) {
      const auto line = reader_.next();
      if (!line) break;
      handleLine(*line);
    }
  } catch (const protocol::ProtocolError& error) {
    drop(std::string("it sent a message that breaks the protocol: ") + error.what());
    return false;
  }
  return fd_ >= 0;
}

void AgentClient::handleLine(const std::string& line) {
  const auto message = protocol::parseMessage(line);
  switch (message.type) {
    case MessageType::Reply: {
      if (message.id == 0) {
        // The agent could not read a line of ours well enough to see its id.
        spdlog::error("The clubsafe agent could not read a message from this program: {}",
                      message.body->optValue<std::string>("error", "no reason given"));
        return;
      }
      const auto found = waiting_.find(message.id);
      if (found == waiting_.end()) {
        throw protocol::ProtocolError("a reply to request " + std::to_string(message.id) +
                                      ", which is not waiting for one");
      }
      auto handler = std::move(found->second);
      waiting_.erase(found);
      handler(&message);
      return;
    }
    case MessageType::Blocked:
      if (handlers_.blocked) handlers_.blocked(blockedSiteFrom(*message.body));
      return;
    case MessageType::State:
      if (handlers_.state) handlers_.state(sessionStateFrom(*message.body->getObject("state")));
      return;
    default:
      throw protocol::ProtocolError(std::string("a \"") +
                                    std::string(protocol::messageTypeInfo(message.type).name) +
                                    "\" message, which only this program sends");
  }
}

void AgentClient::drop(const std::string& why) {
  readWatch_.disconnect();
  writeWatch_.disconnect();
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  helloAnswered_ = false;
  outgoing_.clear();
  reader_ = protocol::LineReader();
  auto waiting = std::exchange(waiting_, {});
  if (!lostReported_) {
    lostReported_ = true;
    spdlog::warn("The clubsafe agent at {} is not answering ({}); trying again every {} s.",
                 socketPath_, why, retry_.count());
    if (handlers_.lost) handlers_.lost();
  }
  for (auto& [id, handler] : waiting) handler(nullptr);
  scheduleRetry();
}

}  // namespace clubsafe::notice
