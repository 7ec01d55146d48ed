#pragma once

#include "common/notice_protocol.hpp"
#include "notice/agent_messages.hpp"

#include <Poco/JSON/Object.h>
#include <glibmm/main.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

// The notice program's connection to the agent's notice socket (docs/NOTICES.md), run on the
// GLib main loop so the windows never wait on it: it says hello on every connection, matches
// each reply to its request by id, hands on what the agent pushes (Blocked, State), and while
// the agent is not there tries again every `retry`.
namespace clubsafe::notice {

// The agent's answer to one request.
struct Answer {
  bool ok = false;
  std::string error;  // plain words from the agent, or ours when it did not answer
  std::optional<SessionState> state;
};

class AgentClient {
 public:
  struct Handlers {
    // Hello answered: the monitoring notice and who is signed in.
    std::function<void(const NoticeText&, const SessionState&)> connected;
    // The agent is not there or went away; called once each time, not at every retry.
    std::function<void()> lost;
    std::function<void(const SessionState&)> state;
    std::function<void(const BlockedSite&)> blocked;
  };
  using AnswerHandler = std::function<void(const Answer&)>;

  AgentClient(std::string socketPath, std::chrono::seconds retry, Handlers handlers);
  ~AgentClient();
  AgentClient(const AgentClient&) = delete;
  AgentClient& operator=(const AgentClient&) = delete;

  // Connects now, and keeps connected from then on.
  void start();

  // Sends one request; `answered` is called once, with the agent's reply, or not ok if the
  // connection ends first. False, and nothing sent or called, while the agent is not there.
  bool send(common::notice::MessageType type, const Poco::JSON::Object& body,
            AnswerHandler answered);

  [[nodiscard]] bool connected() const { return fd_ >= 0 && helloAnswered_; }

 private:
  bool tryConnect();
  void scheduleRetry();
  bool onReadable(Glib::IOCondition condition);
  bool onWritable(Glib::IOCondition condition);
  void flush();
  void handleLine(const std::string& line);
  // `reply` is null when the connection ended before the answer came.
  using ReplyHandler = std::function<void(const common::notice::Message* reply)>;
  bool sendRequest(common::notice::MessageType type, const Poco::JSON::Object& body,
                   ReplyHandler handler);
  void handleHello(const common::notice::Message* reply);
  // Closes the connection, fails the requests waiting for an answer and tries again later.
  void drop(const std::string& why);

  std::string socketPath_;
  std::chrono::seconds retry_;
  Handlers handlers_;
  int fd_ = -1;
  bool helloAnswered_ = false;
  bool lostReported_ = false;
  std::int64_t nextId_ = 1;
  std::map<std::int64_t, ReplyHandler> waiting_;
  std::string outgoing_;
  common::notice::LineReader reader_;
  sigc::connection readWatch_;
  sigc::connection writeWatch_;
  sigc::connection retryTimer_;
};

}  // namespace clubsafe::notice
