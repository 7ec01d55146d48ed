// The notification service's decisions over a real SQLite file; the mail server is the one
// stand-in (a recorder of what would be sent): the real SMTP exchange is tested against a real
// mail server in tests/integration/mail_test.cpp.
#include "collector/mail/notification_service.hpp"
#include "tests/unit/collector/storage/store_test.hpp"

namespace clubsafe::collector::store_test {
namespace {

using common::EventType;

class RecordingMailer final : public Mailer {
 public:
  void send(const MailMessage& message) override {
    ++attempts;
    if (refuse) throw MailError("The mail server refused: 421 try later");
    sent.push_back(message);
  }
  std::vector<MailMessage> sent;
  bool refuse = false;
  int attempts = 0;
};

common::Event alert(std::int64_t sequence, int severity) {
  common::Event made;
  made.sequence = sequence;
  made.time = kNow - 1min;
  made.type = EventType::SafeguardingAlert;
  made.member = "Alex Smith";
  made.payload->set("severity", severity);
  made.payload->set("phrase", "kill myself");
  made.payload->set("context", "how to kill myself tonight");
  return made;
}

common::Event ofType(EventType type, std::int64_t sequence) {
  common::Event made;
  made.sequence = sequence;
  made.time = kNow - 1min;
  made.type = type;
  made.payload->set("message", "my secret worry");
  return made;
}

MailSettings mailSettings() {
  MailSettings settings;
  settings.host = "mail.example.org";
  settings.from = "clubsafe@example.org";
  settings.dslRecipients = {"dsl@example.org"};
  settings.managerRecipients = {"manager@example.org"};
  settings.maxPerHour = 3;
  settings.digestHour = 8;
  settings.silentAfter = std::chrono::minutes(20);
  return settings;
}

class NotificationServiceTest : public StoreTest {
 protected:
  void SetUp() override { enrol("dev_a"); }

  void store(std::vector<common::Event> events, Timestamp received = kNow) {
    (void)stores().events.storeEvents(batchOf("dev_a", 0, std::move(events)), received);
  }

  NotificationService service(MailSettings settings = mailSettings()) {
    return {stores().notifications,
            stores().devices,
            mailer_,
            std::move(settings),
            {.consoleUrl = "https://club.example:8443", .clubTime = clubTime_}};
  }

  std::vector<std::string> subjects() const {
    std::vector<std::string> found;
    for (const auto& mail : mailer_.sent) found.push_back(mail.subject);
    return found;
  }

  RecordingMailer mailer_;
  // kNow is a Tuesday, 20:00 in London.
  ClubTime clubTime_{"Europe/London", parseOpeningHoursSetting("mon-fri 18:00-21:00")};
};

TEST_F(NotificationServiceTest, WorryReportsAndHighAlertsGoAtOnceWithoutNamesOrWords) {
  store({ofType(EventType::WorryReport, 1), alert(2, 4)});
  service().runOnce(kNow);

  ASSERT_EQ(mailer_.sent.size(), 2U);
  EXPECT_EQ(subjects(), (std::vector<std::string>{"clubsafe: a young person has asked for help",
                                                  "clubsafe: a safeguarding alert needs looking "
                                                  "at"}));
  for (const auto& mail : mailer_.sent) {
    EXPECT_EQ(mail.to, std::vector<std::string>{"dsl@example.org"});
    EXPECT_NE(mail.body.find("https://club.example:8443/#/alerts"), std::string::npos);
    EXPECT_NE(mail.body.find("19:59 on Tuesday 24 November 2026"), std::string::npos) << mail.body;
    EXPECT_EQ(mail.body.find("Alex"), std::string::npos);
    EXPECT_EQ(mail.body.find("kill"), std::string::npos);
    EXPECT_EQ(mail.body.find("worry_"), std::string::npos);
    EXPECT_EQ(mail.body.find("my secret"), std::string::npos);
  }
  EXPECT_NE(mailer_.sent[1].body.find("severity 4 (of 5)"), std::string::npos);

  mailer_.sent.clear();
  service().runOnce(kNow + 2s);
  EXPECT_TRUE(mailer_.sent.empty());  // each goes once
}

TEST_F(NotificationServiceTest, LowerAlertsWaitForTheDailyDigest) {
  store({alert(1, 2), alert(2, 3)});
  service().runOnce(kNow);
  EXPECT_TRUE(mailer_.sent.empty());

  // 08:00 the next morning in London (GMT in November).
  const auto morning = at("2026-11-25T08:00:00.000Z");
  service().runOnce(morning - 1s);
  EXPECT_TRUE(mailer_.sent.empty());
  service().runOnce(morning);
  ASSERT_EQ(mailer_.sent.size(), 1U);
  EXPECT_EQ(mailer_.sent[0].subject, "clubsafe: daily summary of lower-level alerts");
  EXPECT_NE(mailer_.sent[0].body.find("2 lower-level safeguarding alerts (the highest of "
                                      "severity 3 of 5)"),
            std::string::npos);

  store({alert(3, 1)}, morning + 1s);  // arrives after today's digest: waits for tomorrow's
  service().runOnce(morning + 1h);
  EXPECT_EQ(mailer_.sent.size(), 1U);
  service().runOnce(morning + 24h);
  EXPECT_EQ(mailer_.sent.size(), 2U);
}

TEST_F(NotificationServiceTest, PastTheHourlyLimitOneSummarySaysHowManyMoreWait) {
  store({ofType(EventType::WorryReport, 1), ofType(EventType::WorryReport, 2),
         ofType(EventType::WorryReport, 3), ofType(EventType::WorryReport, 4),
         ofType(EventType::WorryReport, 5)});
  service().runOnce(kNow);

  ASSERT_EQ(mailer_.sent.size(), 3U);  // the limit: two alone, then the summary of three
  EXPECT_EQ(mailer_.sent[2].subject, "clubsafe: more alerts are waiting");
  EXPECT_NE(mailer_.sent[2].body.find("3 more alerts and worry reports"), std::string::npos);
  EXPECT_NE(mailer_.sent[2].body.find("at most 3 e-mails an hour"), std::string::npos);
  EXPECT_NE(mailer_.sent[2].body.find("until 21:00 on Tuesday 24 November 2026"), std::string::npos)
      << mailer_.sent[2].body;

  store({ofType(EventType::WorryReport, 6)});
  service().runOnce(kNow + 10min);
  EXPECT_EQ(mailer_.sent.size(), 3U);  // paused
  service().runOnce(kNow + 1h);
  EXPECT_EQ(mailer_.sent.size(), 4U);  // the window has moved on
}

TEST_F(NotificationServiceTest, AFailedSendIsTriedAgainLaterAndNothingIsLost) {
  store({ofType(EventType::WorryReport, 1), ofType(EventType::WorryReport, 2),
         ofType(EventType::Tamper, 3)});
  mailer_.refuse = true;
  service().runOnce(kNow);
  // One try for each audience: the DSLs' second report waits for the same retry.
  EXPECT_EQ(mailer_.attempts, 2);
  EXPECT_EQ(stores().notifications.mailStatus().failing, 3);
  EXPECT_NE(stores().notifications.mailStatus().lastError.find("421"), std::string::npos);

  mailer_.refuse = false;
  service().runOnce(kNow + 29s);
  EXPECT_TRUE(mailer_.sent.empty());  // the first retry waits 30 s
  service().runOnce(kNow + 30s);
  EXPECT_EQ(subjects(), (std::vector<std::string>{"clubsafe: a young person has asked for help",
                                                  "clubsafe: a young person has asked for help",
                                                  "clubsafe: a laptop's protection was "
                                                  "changed"}));
  EXPECT_EQ(stores().notifications.mailStatus().waiting, 0);
}

TEST_F(NotificationServiceTest, ManagersHearOfALaptopsHealthNamingTheLaptop) {
  store({ofType(EventType::OutboxGap, 1)});
  common::Event failed = ofType(EventType::FilterSelfTest, 2);
  failed.payload->set("passed", false);
  store({failed});
  service().runOnce(kNow);
  ASSERT_EQ(mailer_.sent.size(), 2U);
  EXPECT_EQ(mailer_.sent[0].to, std::vector<std::string>{"manager@example.org"});
  EXPECT_NE(mailer_.sent[0].body.find("The laptop \"Laptop dev_a\""), std::string::npos);
  EXPECT_NE(mailer_.sent[1].body.find("filtering may not be working"), std::string::npos);
}

TEST_F(NotificationServiceTest, WithoutAMailServerNothingPilesUp) {
  store({ofType(EventType::WorryReport, 1), ofType(EventType::Tamper, 2), alert(3, 1)});
  auto settings = mailSettings();
  settings.host.clear();
  service(settings).runOnce(kNow);
  EXPECT_TRUE(mailer_.sent.empty());
  EXPECT_EQ(stores().notifications.mailStatus().waiting, 0);
  // The manager's alert still shows in the console.
  EXPECT_EQ(stores().notifications.listManagerAlerts(false, 10).size(), 1U);
}

TEST_F(NotificationServiceTest, ALaptopThatStopsReportingWhileTheClubIsOpenIsRaisedOnce) {
  store({ofType(EventType::Heartbeat, 1)});
  stores().devices.markDeviceSeen("dev_a", kNow - 50min);  // 19:10, after opening
  auto settings = mailSettings();
  settings.managerRecipients.clear();

  service(settings).runOnce(kNow - 35min);  // 15 minutes: not yet
  EXPECT_TRUE(stores().notifications.listManagerAlerts(false, 10).empty());
  service(settings).runOnce(kNow - 25min);
  service(settings).runOnce(kNow);
  const auto alerts = stores().notifications.listManagerAlerts(false, 10);
  ASSERT_EQ(alerts.size(), 1U);
  EXPECT_EQ(alerts.front().kind, "laptop_silent");
  EXPECT_EQ(alerts.front().happenedAt, kNow - 50min);
}

TEST_F(NotificationServiceTest, ALaptopLastSeenBeforeOpeningRaisesNothing) {
  store({ofType(EventType::Heartbeat, 1)});
  stores().devices.markDeviceSeen("dev_a", kNow - 3h);  // 17:00, before opening
  service().runOnce(kNow);
  EXPECT_TRUE(stores().notifications.listManagerAlerts(false, 10).empty());
}

}  // namespace
}  // namespace clubsafe::collector::store_test
