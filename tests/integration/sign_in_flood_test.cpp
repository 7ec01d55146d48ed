// A password guesser's flood of console sign-ins for unknown users, 16 at a time, against the
// real collector: it stays small (at most auth.max_concurrent_password_checks scrypt checks of
// 32 MiB at once), turns most attempts away with 429 before hashing, and logs a few lines.
#include "tests/integration/harness.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

namespace clubsafe::testing {
namespace {

constexpr int kThreads = 16;
constexpr long kMostResidentKb = 150 * 1024;

struct Answer {
  int status = 0;
  std::chrono::milliseconds took{0};
  std::string retryAfter;
  std::string error;
};

// `attempts` sign-ins as different unknown users, sent by kThreads threads at once.
std::vector<Answer> signInFlood(std::uint16_t port, int attempts) {
  std::vector<Answer> answers(static_cast<std::size_t>(attempts));
  std::atomic<int> next{0};
  std::vector<std::jthread> senders;
  for (int t = 0; t < kThreads; ++t) {
    senders.emplace_back([&] {
      for (int i = next++; i < attempts; i = next++) {
        Poco::JSON::Object body;
        body.set("username", "nobody-" + std::to_string(i));
        body.set("password", "guess number " + std::to_string(i));
        const auto start = std::chrono::steady_clock::now();
        const auto result = httpsRequest(port, "POST", "/api/console/login", toJson(body),
                                         {{"Content-Type", "application/json"}});
        auto& answer = answers[static_cast<std::size_t>(i)];
        answer.took = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - start);
        answer.status = result.status;
        if (const auto header = result.headers.find("Retry-After");
            header != result.headers.end()) {
          answer.retryAfter = header->second;
        }
        if (result.status != 0)
          answer.error = parseObject(result.body)->optValue<std::string>("error", "");
      }
    });
  }
  senders.clear();  // joins
  return answers;
}

// The most memory the process ever had resident (VmHWM), in KiB.
long peakResidentKb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmHWM:")) return std::stol(line.substr(6));
  }
  throw std::runtime_error("no VmHWM for process " + std::to_string(pid));
}

long countLines(const std::string& text) {
  return std::ranges::count(text, '\n');
}

int countStatus(const std::vector<Answer>& answers, int status) {
  return static_cast<int>(std::ranges::count_if(
      answers, [&](const Answer& answer) { return answer.status == status; }));
}

std::chrono::milliseconds slowest(const std::vector<Answer>& answers, int status) {
  std::chrono::milliseconds most{0};
  for (const auto& answer : answers) {
    if (answer.status == status) most = std::max(most, answer.took);
  }
  return most;
}

std::chrono::milliseconds median(const std::vector<Answer>& answers, int status) {
  std::vector<std::chrono::milliseconds> times;
  for (const auto& answer : answers) {
    if (answer.status == status) times.push_back(answer.took);
  }
  if (times.empty()) return {};
  std::ranges::sort(times);
  return times[times.size() / 2];
}

TEST(SignInFlood, MostAttemptsAreTurnedAwayQuicklyAndTheCollectorStaysSmall) {
  TempDir dir;
  Collector collector(dir);
  collector.start();
  const auto linesBefore = countLines(collector.output());

  const auto start = std::chrono::steady_clock::now();
  const auto answers = signInFlood(collector.port(), 200);
  const auto elapsed = std::chrono::steady_clock::now() - start;

  const int checked = countStatus(answers, 401);
  const int throttled = countStatus(answers, 429);
  const auto peakKb = peakResidentKb(collector.pid());
  std::cout << "401: " << checked << ", 429: " << throttled
            << ", 503: " << countStatus(answers, 503) << "; 429 answers: median "
            << median(answers, 429).count() << " ms, slowest " << slowest(answers, 429).count()
            << " ms; 401 answers: slowest " << slowest(answers, 401).count()
            << " ms; peak resident " << peakKb / 1024 << " MiB\n";

  // The default allowance is a burst of 10, then one every 6 s; the rest are refused before any
  // hash.
  const int allowance = 10 + static_cast<int>(elapsed / 6s);
  const int reachedACheck = checked + countStatus(answers, 503);
  EXPECT_GE(reachedACheck, 10);
  EXPECT_LE(reachedACheck, allowance);
  EXPECT_EQ(throttled, 200 - reachedACheck);
  for (const auto& answer : answers) {
    if (answer.status != 429) continue;
    EXPECT_EQ(answer.error,
              "Too many sign-in attempts from this computer. Wait a minute and try again.");
    ASSERT_FALSE(answer.retryAfter.empty());
    EXPECT_GE(std::stoi(answer.retryAfter), 1);
    EXPECT_LE(std::stoi(answer.retryAfter), 6);  // ten a minute: one every six seconds
  }
  EXPECT_LT(median(answers, 429), 1000ms);
  EXPECT_LT(peakKb, kMostResidentKb);

  const auto log = collector.output();
  const auto newLines = countLines(log) - linesBefore;
  std::cout << "log lines during the flood: " << newLines << "\n";
  EXPECT_LE(newLines, 10) << log;
  // The refusals are logged, in words that name no one.
  EXPECT_NE(log.find("Refused console sign-ins from one computer: too many attempts."),
            std::string::npos);
  EXPECT_EQ(log.find("nobody-"), std::string::npos);
}

TEST(SignInFlood, WithoutTheAllowanceOnlyTwoPasswordChecksRunAtOnce) {
  TempDir dir;
  // Every attempt reaches a password check, so only their bound keeps memory down.
  Collector collector(dir, {"auth.sign_in_burst=10000", "auth.sign_in_attempts_per_minute=10000"});
  collector.start();
  const auto linesBefore = countLines(collector.output());

  const auto answers = signInFlood(collector.port(), 96);

  const int checked = countStatus(answers, 401);
  const int busy = countStatus(answers, 503);
  const auto peakKb = peakResidentKb(collector.pid());
  std::cout << "401: " << checked << ", 503: " << busy << "; 401 answers: median "
            << median(answers, 401).count() << " ms, slowest " << slowest(answers, 401).count()
            << " ms; peak resident " << peakKb / 1024 << " MiB\n";
  EXPECT_EQ(checked + busy, 96);
  EXPECT_GT(checked, 0);
  for (const auto& answer : answers) {
    if (answer.status != 503) continue;
    EXPECT_EQ(answer.error, "The server is busy checking other sign-ins. Try again in a moment.");
    EXPECT_EQ(answer.retryAfter, "5");
  }
  EXPECT_LT(peakKb, kMostResidentKb);
  const auto newLines = countLines(collector.output()) - linesBefore;
  std::cout << "log lines during the flood: " << newLines << "\n";
  EXPECT_LE(newLines, 10) << collector.output();
}

TEST(SignInFlood, ASettingOutOfBoundsStopsTheCollectorWithAClearMessage) {
  TempDir dir;
  const Collector collector(dir, {"auth.max_concurrent_password_checks=0"});
  const auto result = runCommand(collectorBinary(), collector.settings(), 30s);
  EXPECT_NE(result.status, 0);
  EXPECT_NE(result.output.find("Setting \"auth.max_concurrent_password_checks\" is 0 but must be "
                               "from 1 to 64."),
            std::string::npos)
      << result.output;
}

}  // namespace
}  // namespace clubsafe::testing
