// E-mail to the DSLs and managers (issue 12, item 4) against the real collector and a real mail
// server (Debian's python3-aiosmtpd, tests/integration/mail/smtp_server.py) on 127.0.0.1 that
// requires STARTTLS and a password: a worry report and an alert sent through the device API
// arrive as mail within 60 s (measured), saying nothing of who or what; a tampered laptop's
// mail goes to the managers; a mail server that is away shows on the mail status and the mail
// goes once it is back.
#include "common/time.hpp"
#include "tests/integration/harness.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>

namespace clubsafe::testing {
namespace {

using common::EventType;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr const char* kPython = "/usr/bin/python3";
constexpr const char* kOpenssl = "/usr/bin/openssl";
const std::string kScript = "<script>alert('x')</script>";

bool haveAiosmtpd() {
  return runCommand(kPython, {"-c", "import aiosmtpd"}).status == 0;
}

// A mail server on a port of its own, with a certificate for 127.0.0.1 made by openssl.
class MailServer {
 public:
  explicit MailServer(const TempDir& dir)
      : dir_(dir), folder_(dir.file("mailbox")), port_(freeLoopbackPort()) {
    std::filesystem::create_directories(folder_);
    const auto made =
        runCommand(kOpenssl, {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                              "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                              "-keyout", dir.file("smtp.key"), "-out", certificate()});
    if (made.status != 0) throw std::runtime_error("openssl req: " + made.output);
  }

  void start() {
    process_ = std::make_unique<ChildProcess>(
        kPython,
        std::vector<std::string>{CLUBSAFE_SMTP_SERVER, "--port", std::to_string(port_), "--cert",
                                 certificate(), "--key", dir_.file("smtp.key"), "--user",
                                 "clubsafe", "--password", "mail password", "--folder", folder_},
        dir_.file("smtp.log"));
    if (!waitFor([&] { return process_->output().find("ready") != std::string::npos; }, 20s)) {
      throw std::runtime_error("the mail server did not start: " + process_->output());
    }
  }

  [[nodiscard]] std::vector<std::string> messages() const {
    std::vector<std::string> found;
    for (int n = 1;; ++n) {
      const auto file = folder_ + "/" + std::to_string(n) + ".eml";
      if (!std::filesystem::exists(file)) return found;
      found.push_back(readFile(file));
    }
  }

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] std::string certificate() const { return dir_.file("smtp.crt"); }

 private:
  const TempDir& dir_;
  std::string folder_;
  std::uint16_t port_;
  std::unique_ptr<ChildProcess> process_;
};

class MailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!haveAiosmtpd()) {
      GTEST_SKIP() << "python3-aiosmtpd is not installed: run scripts/install-deps.sh.";
    }
    std::ofstream(dir_.file("mail-password")) << "mail password\n";
  }

  std::vector<std::string> mailSettings() const {
    return {"mail.smtp_host=127.0.0.1",
            "mail.smtp_port=" + std::to_string(mailServer_.port()),
            "mail.ca_file=" + mailServer_.certificate(),
            "mail.username=clubsafe",
            "mail.password_file=" + dir_.file("mail-password"),
            "mail.from=clubsafe@club.example",
            "mail.dsl_to=dsl@club.example",
            "mail.manager_to=manager@club.example",
            "mail.check_interval=1"};
  }

  void startCollector() {
    collector_ = std::make_unique<Collector>(dir_, mailSettings());
    collector_->start();
    ASSERT_EQ(agent_.enrol(*collector_).status, 0);
  }

  common::Event event(EventType type) {
    common::Event event;
    event.deviceId = agent_.deviceId();
    event.sequence = ++sequence_;
    event.time = common::nowUtc();
    event.type = type;
    event.osUser = "club";
    event.member = "Alex Example";
    return event;
  }

  void send(const std::vector<common::Event>& events) {
    const auto answer = agent_.sendEvents(*collector_, events);
    ASSERT_EQ(answer.status, 200) << answer.body;
  }

  TempDir dir_;
  MailServer mailServer_{dir_};
  std::unique_ptr<Collector> collector_;
  Agent agent_{dir_};
  std::int64_t sequence_ = 0;
};

TEST_F(MailTest, AWorryReportAndAnAlertReachTheDslsWithinAMinuteSayingNothingOfWhoOrWhat) {
  mailServer_.start();
  startCollector();

  auto worry = event(EventType::WorryReport);
  worry.payload->set("about", "someone online");
  worry.payload->set("message", "someone keeps messaging me " + kScript);
  auto alert = event(EventType::SafeguardingAlert);
  alert.payload->set("severity", 5);
  alert.payload->set("phrase", "kill myself");
  alert.payload->set("context", "how to kill myself tonight " + kScript);
  alert.payload->set("category", "selfharm");
  alert.payload->set("source", "search");
  const auto sentAt = Clock::now();
  send({worry, alert});
  ASSERT_TRUE(waitFor([&] { return mailServer_.messages().size() >= 2; }, 60s))
      << collector_->output();
  const auto seconds = std::chrono::duration<double>(Clock::now() - sentAt).count();
  std::cout << "alert e-mails arrived " << seconds << " s after the batch was sent\n";
  RecordProperty("mail_seconds", std::to_string(seconds));
  EXPECT_LT(seconds, 60.0);

  const auto mails = mailServer_.messages();
  ASSERT_EQ(mails.size(), 2U);
  EXPECT_NE(mails[0].find("Subject: clubsafe: a young person has asked for help"),
            std::string::npos)
      << mails[0];
  EXPECT_NE(mails[1].find("Subject: clubsafe: a safeguarding alert needs looking at"),
            std::string::npos);
  for (const auto& mail : mails) {
    EXPECT_NE(mail.find("To: <dsl@club.example>"), std::string::npos) << mail;
    EXPECT_NE(mail.find("#/alerts"), std::string::npos);
    for (const auto* secret : {"Alex", "kill", "messaging", "script", "club"}) {
      // "club" only as part of the addresses and the console's address.
      if (std::string(secret) == "club") continue;
      EXPECT_EQ(mail.find(secret), std::string::npos) << secret << " in\n" << mail;
    }
  }
}

TEST_F(MailTest, AMailServerThatIsAwayShowsOnTheStatusAndTheMailGoesWhenItIsBack) {
  startCollector();
  const ConsoleClient manager(*collector_);
  auto tamper = event(EventType::Tamper);
  tamper.payload->set("kind", "hosts_file");
  tamper.payload->set("detail", "the hosts file was changed");
  send({tamper});

  HttpResult status;
  ASSERT_TRUE(waitFor(
      [&] {
        status = manager.get("/api/console/mail-status");
        return status.status == 200 && parseObject(status.body)->getValue<int>("failing") == 1;
      },
      30s))
      << status.body;
  const auto failing = parseObject(status.body);
  EXPECT_TRUE(failing->getValue<bool>("mails_managers"));
  EXPECT_NE(failing->getValue<std::string>("last_error").find("127.0.0.1"), std::string::npos);

  const auto alerts = parseObject(manager.get("/api/console/manager-alerts").body);
  ASSERT_EQ(alerts->getArray("alerts")->size(), 1U);
  EXPECT_EQ(alerts->getArray("alerts")->getObject(0)->getValue<std::string>("kind"), "tamper");

  mailServer_.start();  // the first retry comes 30 s after the failure
  ASSERT_TRUE(waitFor([&] { return mailServer_.messages().size() == 1; }, 90s))
      << collector_->output();
  const auto mail = mailServer_.messages().front();
  EXPECT_NE(mail.find("To: <manager@club.example>"), std::string::npos) << mail;
  EXPECT_NE(mail.find("Subject: clubsafe: a laptop's protection was changed"), std::string::npos);
  ASSERT_TRUE(waitFor(
      [&] {
        return parseObject(manager.get("/api/console/mail-status").body)
                   ->getValue<int>("waiting") == 0;
      },
      10s));

  const auto id = alerts->getArray("alerts")->getObject(0)->getValue<std::int64_t>("id");
  const auto path = "/api/console/manager-alerts/" + std::to_string(id) + "/acknowledge";
  EXPECT_EQ(manager.post(path).status, 200);
  EXPECT_EQ(manager.post(path).status, 404);
  EXPECT_EQ(
      parseObject(manager.get("/api/console/manager-alerts").body)->getArray("alerts")->size(), 0U);
}

}  // namespace
}  // namespace clubsafe::testing
