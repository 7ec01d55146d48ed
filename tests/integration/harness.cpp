#include "tests/integration/harness.hpp"

#include "common/batch_codec.hpp"
#include "common/time.hpp"

#include <Poco/File.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <fcntl.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace clubsafe::testing {

std::uint16_t freeLoopbackPort() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  return socket.address().port();
}

std::string readFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

bool waitFor(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return done();
}

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& arguments,
                           const std::string& logFile)
    : logFile_(logFile) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const auto& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  const int log = ::open(logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) throw std::runtime_error("cannot open " + logFile);
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(log, STDOUT_FILENO);
    ::dup2(log, STDERR_FILENO);
    const int devNull = ::open("/dev/null", O_RDONLY);
    ::dup2(devNull, STDIN_FILENO);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(log);
  if (pid_ < 0) throw std::runtime_error("fork failed");
}

ChildProcess::~ChildProcess() {
  if (running()) {
    signal(SIGKILL);
    wait();
  }
}

void ChildProcess::signal(int number) const {
  if (pid_ > 0) ::kill(pid_, number);
}

int ChildProcess::wait() {
  if (status_) return *status_;
  int raw = 0;
  while (::waitpid(pid_, &raw, 0) < 0 && errno == EINTR) {
  }
  status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  return *status_;
}

bool ChildProcess::running() {
  if (status_) return false;
  int raw = 0;
  const pid_t result = ::waitpid(pid_, &raw, WNOHANG);
  if (result == 0) return true;
  status_ = result < 0 ? -1 : (WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw));
  return false;
}

CommandResult runCommand(const std::string& program, const std::vector<std::string>& arguments,
                         std::chrono::milliseconds timeout) {
  TempDir dir;
  ChildProcess child(program, arguments, dir.file("output"));
  if (!waitFor([&] { return !child.running(); }, timeout)) child.signal(SIGKILL);
  const int status = child.wait();
  return {status, child.output()};
}

CommandResult runAsAccount(std::uint32_t uid, const std::string& program,
                           const std::vector<std::string>& arguments,
                           std::chrono::milliseconds timeout) {
  std::vector<std::string> command{"--reuid=" + std::to_string(uid),
                                   "--regid=" + std::to_string(uid), "--clear-groups", program};
  command.insert(command.end(), arguments.begin(), arguments.end());
  return runCommand("/usr/bin/setpriv", command, timeout);
}

bool hideTheMachinesHomes() {
  if (::unshare(CLONE_NEWNS) != 0) {
    throw std::runtime_error(std::string("unshare(CLONE_NEWNS): ") + std::strerror(errno));
  }
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    if (errno == EINVAL) return false;  // "/" is not a mount point
    throw std::runtime_error(std::string("making / private: ") + std::strerror(errno));
  }
  for (const char* folder : {"/root", "/home"}) {
    if (::mount("tmpfs", folder, "tmpfs", 0, "mode=0755") != 0) {
      throw std::runtime_error(std::string("tmpfs on ") + folder + ": " + std::strerror(errno));
    }
  }
  return true;
}

std::vector<std::vector<std::string>> queryDatabase(const std::string& databaseFile,
                                                    const std::string& sql,
                                                    const std::vector<std::string>& parameters) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(databaseFile.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + databaseFile);
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    const std::string message = sqlite3_errmsg(db);
    sqlite3_close(db);
    throw std::runtime_error(message + " in " + sql);
  }
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    sqlite3_bind_text(statement, static_cast<int>(i + 1), parameters[i].c_str(), -1,
                      SQLITE_TRANSIENT);
  }
  std::vector<std::vector<std::string>> rows;
  int step = 0;
  while ((step = sqlite3_step(statement)) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int column = 0; column < sqlite3_column_count(statement); ++column) {
      const auto* text = sqlite3_column_text(statement, column);
      row.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
    }
    rows.push_back(std::move(row));
  }
  const std::string message = sqlite3_errmsg(db);
  sqlite3_finalize(statement);
  sqlite3_close(db);
  if (step != SQLITE_DONE) throw std::runtime_error(message + " in " + sql);
  return rows;
}

namespace {

HttpResult exchange(Poco::Net::HTTPSClientSession& session, const HttpRequestSpec& spec) {
  Poco::Net::HTTPRequest request(spec.method, spec.path, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : spec.headers) request.set(name, value);
  if (!spec.body.empty() || spec.method == "POST") {
    if (!request.has("Content-Type")) request.setContentType("application/json");
    request.setContentLength64(static_cast<Poco::Int64>(spec.body.size()));
  }
  session.sendRequest(request) << spec.body;
  Poco::Net::HTTPResponse response;
  HttpResult result;
  try {
    auto& stream = session.receiveResponse(response);
    Poco::StreamCopier::copyToString(stream, result.body);
  } catch (const Poco::Net::NetException&) {
    // The server may answer early (413) and close before reading everything we sent.
    if (response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK) throw;
  }
  result.status = response.getStatus();
  for (const auto& [name, value] : response) result.headers[name] = value;
  return result;
}

std::unique_ptr<Poco::Net::HTTPSClientSession> loopbackSession(std::uint16_t port) {
  static const Poco::Net::Context::Ptr context = new Poco::Net::Context(
      Poco::Net::Context::TLS_CLIENT_USE, "", "", "", Poco::Net::Context::VERIFY_NONE);
  auto session = std::make_unique<Poco::Net::HTTPSClientSession>("127.0.0.1", port, context);
  session->setTimeout(Poco::Timespan(20, 0));
  session->setKeepAlive(true);
  return session;
}

}  // namespace

HttpResult httpsRequest(std::uint16_t port, const std::string& method, const std::string& path,
                        const std::string& body,
                        const std::map<std::string, std::string>& headers) {
  return exchange(*loopbackSession(port), {method, path, body, headers});
}

std::vector<HttpResult> httpsRequestsOnOneConnection(std::uint16_t port,
                                                     const std::vector<HttpRequestSpec>& requests) {
  auto session = loopbackSession(port);
  std::vector<HttpResult> results;
  for (const auto& request : requests) results.push_back(exchange(*session, request));
  return results;
}

std::string heartbeatBatch(const std::string& deviceId, std::int64_t firstSequence, int count) {
  common::Batch batch;
  batch.header.deviceId = deviceId;
  for (int i = 0; i < count; ++i) {
    common::Event event;
    event.sequence = firstSequence + i;
    event.time = common::nowUtc();
    event.type = common::EventType::Heartbeat;
    event.payload->set("uptime_seconds", i);
    event.payload->set("queue_depth", 0);
    event.payload->set("agent_version", "test");
    batch.events.push_back(event);
  }
  return common::encodeBatch(batch);
}

Poco::JSON::Object::Ptr parseObject(const std::string& json) {
  return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

std::string toJson(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

std::string currentUserName() {
  const passwd* entry = ::getpwuid(::geteuid());
  return entry != nullptr ? entry->pw_name : std::to_string(::geteuid());
}

std::optional<std::string> xvfbDisplay(const std::string& log) {
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.find_first_not_of("0123456789") == std::string::npos)
      return ":" + line;
  }
  return std::nullopt;
}

std::string collectorBinary() {
  return CLUBSAFE_COLLECTOR_BIN;
}
std::string agentBinary() {
  return CLUBSAFE_AGENT_BIN;
}

Collector::Collector(const TempDir& dir, std::vector<std::string> extraSettings)
    : stateDir_(dir.file("collector")),
      port_(freeLoopbackPort()),
      extraSettings_(std::move(extraSettings)) {}

std::vector<std::string> Collector::settings() const {
  std::vector<std::string> arguments{"--define", "collector.state_dir=" + stateDir_,
                                     "--define", "server.address=127.0.0.1",
                                     "--define", "server.port=" + std::to_string(port_)};
  for (const auto& setting : extraSettings_) {
    arguments.push_back("--define");
    arguments.push_back(setting);
  }
  return arguments;
}

void Collector::start() {
  Poco::File(stateDir_).createDirectories();
  const auto log = stateDir_ + "/stdout-" + std::to_string(++starts_) + ".log";
  process_ = std::make_unique<ChildProcess>(collectorBinary(), settings(), log);
  if (!waitFor([&] { return output().find("clubsafe collector is running.") != std::string::npos; },
               30s)) {
    throw std::runtime_error("collector did not start:\n" + output());
  }
}

void Collector::kill() {
  process_->signal(SIGKILL);
  process_->wait();
}

void Collector::stop() {
  process_->signal(SIGTERM);
  process_->wait();
}

std::string Collector::oneTimePassword() const {
  const std::string text = readFile(stateDir_ + "/first-login.txt");
  const auto at = text.find("password ");
  if (at == std::string::npos) throw std::runtime_error("no first-login file");
  return text.substr(at + 9, text.find('\n', at) - at - 9);
}

std::vector<std::string> Collector::makeEnrolCommand(const std::string& label) const {
  auto arguments = std::vector<std::string>{"create-enrolment-token"};
  if (!label.empty()) arguments.push_back(label);
  const auto settingsArguments = settings();
  arguments.insert(arguments.end(), settingsArguments.begin(), settingsArguments.end());
  const auto result = runCommand(collectorBinary(), arguments);
  if (result.status != 0)
    throw std::runtime_error("create-enrolment-token failed:\n" + result.output);
  const auto at = result.output.find("sudo clubsafe-agent enrol ");
  if (at == std::string::npos) throw std::runtime_error("no enrol command in:\n" + result.output);
  std::istringstream command(result.output.substr(at + 26, result.output.find('\n', at) - at - 26));
  std::vector<std::string> words{"enrol"};
  for (std::string word; command >> word;) words.push_back(word);
  return words;
}

ConsoleClient::ConsoleClient(const Collector& collector)
    : ConsoleClient(collector, "manager", collector.oneTimePassword()) {}

ConsoleClient::ConsoleClient(const Collector& collector, const std::string& username,
                             const std::string& password)
    : port_(collector.port()) {
  // Login and a password change both answer with the session's cookie and CSRF token.
  const auto takeSession = [&](const HttpResult& answer) {
    const auto& setCookie = answer.headers.at("Set-Cookie");
    cookie_ = setCookie.substr(0, setCookie.find(';'));
    csrfToken_ = parseObject(answer.body)->getValue<std::string>("csrf_token");
    return parseObject(answer.body)->getValue<bool>("must_change_password");
  };
  Poco::JSON::Object credentials;
  credentials.set("username", username);
  credentials.set("password", password);
  const auto answer = httpsRequest(port_, "POST", "/api/console/login", toJson(credentials),
                                   {{"Content-Type", "application/json"}});
  if (answer.status != 200) throw std::runtime_error("login failed: " + answer.body);
  if (takeSession(answer)) {
    Poco::JSON::Object change;
    change.set("current_password", password);
    change.set("new_password", kConsolePassword);
    const auto changed = post("/api/console/password", toJson(change));
    if (changed.status != 200) throw std::runtime_error("password change failed: " + changed.body);
    (void)takeSession(changed);
  }
}

HttpResult ConsoleClient::get(const std::string& path) const {
  return httpsRequest(port_, "GET", path, "", {{"Cookie", cookie_}});
}

HttpResult ConsoleClient::post(const std::string& path, const std::string& body) const {
  return httpsRequest(port_, "POST", path, body, headers());
}

HttpResult ConsoleClient::importClubList(const std::string& category,
                                         const std::string& text) const {
  Poco::JSON::Object list;
  list.set("category", category);
  list.set("source", "club/" + category);
  list.set("format", "plain");
  list.set("text", text);
  list.set("reason", "The club's own " + category + " list");
  return post("/api/console/filtering/lists", toJson(list));
}

std::map<std::string, std::string> ConsoleClient::headers() const {
  return {{"Cookie", cookie_}, {"X-CSRF-Token", csrfToken_}};
}

Agent::Agent(const TempDir& dir, std::string name)
    : stateDir_(dir.file(name)), logDir_(dir.file(name + "-logs")) {
  Poco::File(logDir_).createDirectories();
}

CommandResult Agent::enrol(const Collector& collector, const std::string& label) {
  auto arguments = collector.makeEnrolCommand(label);
  arguments.insert(arguments.end(), {"--define", "agent.state_dir=" + stateDir_});
  return runCommand(agentBinary(), arguments);
}

void Agent::start(const std::vector<std::string>& settings) {
  // No DNS filter unless a test asks for one (with a free port): port 53 is the machine's. The
  // same for the block page (port 80 on 127.0.0.2); the notice socket is the test's own.
  std::vector<std::string> arguments{"run",
                                     "--define",
                                     "agent.state_dir=" + stateDir_,
                                     "--define",
                                     "dns.enabled=false",
                                     "--define",
                                     "blockpage.enabled=false",
                                     "--define",
                                     "notices.socket_path=" + noticeSocket()};
  for (const auto& setting : settings) {
    arguments.push_back("--define");
    arguments.push_back(setting);
  }
  process_ = std::make_unique<ChildProcess>(agentBinary(), arguments,
                                            logDir_ + "/run-" + std::to_string(++starts_) + ".log");
}

void Agent::kill() {
  process_->signal(SIGKILL);
  process_->wait();
}

void Agent::stop() {
  process_->signal(SIGTERM);
  process_->wait();
}

CommandResult Agent::status() const {
  return runCommand(agentBinary(), {"status", "--define", "agent.state_dir=" + stateDir_});
}

std::string Agent::deviceId() const {
  return parseObject(readFile(stateDir_ + "/credentials.json"))->getValue<std::string>("device_id");
}

std::string Agent::deviceSecret() const {
  return parseObject(readFile(stateDir_ + "/credentials.json"))
      ->getValue<std::string>("device_secret");
}

std::string Agent::authorization() const {
  return "Bearer " + deviceId() + "." + deviceSecret();
}

HttpResult Agent::sendEvents(const Collector& collector,
                             const std::vector<common::Event>& events) const {
  common::Batch batch;
  batch.header.deviceId = deviceId();
  batch.events = events;
  return httpsRequest(collector.port(), "POST", "/api/device/v1/events", common::encodeBatch(batch),
                      {{"Authorization", authorization()}});
}

std::int64_t Agent::lastCommittedSequence() const {
  const auto rows = queryDatabase(stateDir_ + "/outbox.db",
                                  "SELECT seq FROM sqlite_sequence WHERE name = 'events'");
  return rows.empty() ? 0 : std::stoll(rows[0][0]);
}

std::int64_t Agent::queueDepth() const {
  return std::stoll(queryDatabase(stateDir_ + "/outbox.db", "SELECT COUNT(*) FROM events")[0][0]);
}

}  // namespace clubsafe::testing
