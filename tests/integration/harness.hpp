#pragma once

#include "common/event.hpp"
#include "tests/support/temp_dir.hpp"

#include <Poco/JSON/Object.h>

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

// Test harness for the integration tests: real clubsafe binaries started on 127.0.0.1 in a
// temporary directory, and read-only looks into their real SQLite files.
namespace clubsafe::testing {

using namespace std::chrono_literals;

// A port on 127.0.0.1 that was free a moment ago.
[[nodiscard]] std::uint16_t freeLoopbackPort();

[[nodiscard]] std::string readFile(const std::string& path);

// Polls `done` every 50 ms until it is true or `timeout` passes; returns its last answer.
bool waitFor(const std::function<bool()>& done, std::chrono::milliseconds timeout);

// A child process whose standard output and error go to a log file.
class ChildProcess {
 public:
  ChildProcess(const std::string& program, const std::vector<std::string>& arguments,
               const std::string& logFile);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void signal(int number) const;
  // Waits for the process to end and returns its exit status (128 + signal if killed).
  int wait();
  [[nodiscard]] bool running();
  [[nodiscard]] std::string output() const { return readFile(logFile_); }
  [[nodiscard]] pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::string logFile_;
};

struct CommandResult {
  int status = -1;
  std::string output;  // standard output and error together
};

// Runs a program to completion (killed after `timeout`).
CommandResult runCommand(const std::string& program, const std::vector<std::string>& arguments,
                         std::chrono::milliseconds timeout = 60s);

// Runs `program` as the account `uid` (group the same number, no other groups) through
// setpriv, as root: what a young person's own programs can do.
CommandResult runAsAccount(std::uint32_t uid, const std::string& program,
                           const std::vector<std::string>& arguments,
                           std::chrono::milliseconds timeout = 60s);

// Moves this process into a mount namespace of its own with empty folders over /root and /home,
// seen by it and the programs it starts only: the agent looks for browser profiles and X
// authority files there, and the machine's own stay out of the test. Root only; call it before
// any thread starts. False, with no mount made, where "/" is not a mount point (a plain chroot,
// as fresh-debian.sh makes): mounts there could reach the machine's own. Throws
// std::runtime_error saying what failed otherwise.
[[nodiscard]] bool hideTheMachinesHomes();
inline constexpr const char* kNoPrivateMounts =
    "Skipped: / is not a mount point here (a plain chroot), so the mounts this test makes could "
    "reach the machine's own. It runs on a real or booted system.";

// Rows of a read-only query against a SQLite file; every column as text (NULL as "").
std::vector<std::vector<std::string>> queryDatabase(
    const std::string& databaseFile, const std::string& sql,
    const std::vector<std::string>& parameters = {});

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
};

struct HttpRequestSpec {
  std::string method;
  std::string path;
  std::string body;
  std::map<std::string, std::string> headers;
};

// HTTPS to 127.0.0.1:port, accepting the collector's self-signed certificate.
HttpResult httpsRequest(std::uint16_t port, const std::string& method, const std::string& path,
                        const std::string& body = {},
                        const std::map<std::string, std::string>& headers = {});

// Several requests, one after another on one kept-alive connection.
std::vector<HttpResult> httpsRequestsOnOneConnection(std::uint16_t port,
                                                     const std::vector<HttpRequestSpec>& requests);

// A batch of `count` heartbeats from `deviceId`, numbered from `firstSequence`, as the device
// API takes it.
std::string heartbeatBatch(const std::string& deviceId, std::int64_t firstSequence, int count);

Poco::JSON::Object::Ptr parseObject(const std::string& json);
// The object as compact JSON text, for a request body or a notice-socket line.
std::string toJson(const Poco::JSON::Object& object);

// The login name of the account the test runs as (the number when it has none).
std::string currentUserName();

// The X display Xvfb chose and wrote on its standard output (-displayfd 1) once it accepts
// connections, from its log (which may also hold its messages); nullopt until then.
std::optional<std::string> xvfbDisplay(const std::string& log);

// A collector started on a free loopback port with its own state folder.
class Collector {
 public:
  Collector(const TempDir& dir, std::vector<std::string> extraSettings = {});
  void start();
  void kill();  // SIGKILL
  void stop();  // SIGTERM and wait
  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] std::string stateDir() const { return stateDir_; }
  [[nodiscard]] std::string database() const { return stateDir_ + "/collector.db"; }
  [[nodiscard]] std::string oneTimePassword() const;
  [[nodiscard]] std::string output() const { return process_ ? process_->output() : ""; }
  // The running collector's process id (-1 before start).
  [[nodiscard]] pid_t pid() const { return process_ ? process_->pid() : -1; }
  // The enrol command the collector prints, as arguments after the program name.
  [[nodiscard]] std::vector<std::string> makeEnrolCommand(const std::string& label = "") const;
  [[nodiscard]] std::vector<std::string> settings() const;

 private:
  std::string stateDir_;
  std::uint16_t port_;
  std::vector<std::string> extraSettings_;
  std::unique_ptr<ChildProcess> process_;
  int starts_ = 0;
};

// The password ConsoleClient chooses in place of a one-time password.
inline const std::string kConsolePassword = "a long password for tests";

// A console session made through the console API (sign in, set the password once).
class ConsoleClient {
 public:
  // The first manager, with the collector's one-time password.
  explicit ConsoleClient(const Collector& collector);
  // Any user; a one-time password is replaced with kConsolePassword first.
  ConsoleClient(const Collector& collector, const std::string& username,
                const std::string& password);
  HttpResult get(const std::string& path) const;
  HttpResult post(const std::string& path, const std::string& body = "{}") const;
  // Imports `text` (one name per line) as the club's own list of `category`; 201 when stored.
  HttpResult importClubList(const std::string& category, const std::string& text) const;
  // The cookie and CSRF headers a signed-in browser sends.
  [[nodiscard]] std::map<std::string, std::string> headers() const;

 private:
  std::uint16_t port_;
  std::string cookie_;
  std::string csrfToken_;
};

// An agent with its own state folder, enrolled to a collector.
class Agent {
 public:
  Agent(const TempDir& dir, std::string name = "agent");
  CommandResult enrol(const Collector& collector, const std::string& label = "");
  // Starts `clubsafe-agent run` with the given extra --define settings.
  void start(const std::vector<std::string>& settings = {});
  void kill();
  void stop();
  [[nodiscard]] CommandResult status() const;
  [[nodiscard]] std::string stateDir() const { return stateDir_; }
  // The notice socket this agent listens on (notices.socket_path), beside its state folder.
  [[nodiscard]] std::string noticeSocket() const { return stateDir_ + "-notice.sock"; }
  [[nodiscard]] std::string deviceId() const;
  [[nodiscard]] std::string deviceSecret() const;
  // "Bearer <device id>.<secret>": the device API's Authorization header for this laptop.
  [[nodiscard]] std::string authorization() const;
  // Posts `events` as one batch from this enrolled laptop to the device API, as its uploader
  // would; the collector's answer is returned.
  [[nodiscard]] HttpResult sendEvents(const Collector& collector,
                                      const std::vector<common::Event>& events) const;
  // The highest sequence number the agent's outbox ever handed out.
  [[nodiscard]] std::int64_t lastCommittedSequence() const;
  [[nodiscard]] std::int64_t queueDepth() const;
  [[nodiscard]] std::string output() const { return process_ ? process_->output() : ""; }

 private:
  std::string stateDir_;
  std::string logDir_;
  std::unique_ptr<ChildProcess> process_;
  int starts_ = 0;
};

[[nodiscard]] std::string collectorBinary();
[[nodiscard]] std::string agentBinary();

}  // namespace clubsafe::testing
