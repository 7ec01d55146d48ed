#include "agent/selftest/filter_self_test.hpp"

#include "agent/dns/dns_settings.hpp"
#include "common/time.hpp"

#include <Poco/JSON/Array.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <random>

namespace clubsafe::agent::selftest {
namespace {

using namespace dns;

struct Record {
  std::uint16_t type = 0;
  std::size_t rdata = 0;  // offset in the answer
  std::size_t end = 0;
};

// What the filter answered: its rcode and answer records; nullopt when it did not answer in time.
struct Reply {
  Buffer bytes;
  Rcode rcode = Rcode::NoError;
  std::vector<Record> answers;
};

std::optional<Reply> ask(const Endpoint& filter, std::string_view name, std::uint16_t qtype,
                         std::chrono::milliseconds timeout) {
  static thread_local std::mt19937 random{std::random_device{}()};
  Name question;
  if (!question.assign(name)) return std::nullopt;
  Buffer query;
  buildQuery(question, qtype, static_cast<std::uint16_t>(random()), query);
  Query sent;
  if (parseQuery(query, sent) != QueryStatus::Ok) return std::nullopt;

  const auto socket = connectedSocket(filter, SOCK_DGRAM);
  if (!socket.valid() || !platform::sendDatagram(socket.get(), query)) {
    return std::nullopt;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  Reply reply;
  reply.bytes.resize(kMaxMessage);
  while (waitFor(socket.get(), false, deadline) == WaitResult::Ready) {
    const auto got = platform::receiveDatagram(socket.get(), reply.bytes);
    // Nothing after all (or refused: the deadline ends it).
    if (got.status != platform::Received::Status::Datagram) continue;
    const Bytes answer(reply.bytes.data(), got.size);
    if (!answersQuery(answer, sent)) continue;
    reply.rcode = static_cast<Rcode>(readU16(answer, 2) & flag::kRcodeMask);
    std::size_t offset = 0;
    if (!NameReader::read(answer, kHeaderSize, nullptr, offset, false)) return std::nullopt;
    offset += 4;  // type and class of the question
    for (std::uint16_t i = 0, count = readU16(answer, 6); i < count; ++i) {
      Record record;
      record.end = skipRecord(answer, offset, &record.type, nullptr, &record.rdata);
      if (record.end == 0) return std::nullopt;
      reply.answers.push_back(record);
      offset = record.end;
    }
    reply.bytes.resize(got.size);
    return reply;
  }
  return std::nullopt;
}

bool hasBlockAnswer(const Reply& reply, const FilterExpectations& expected) {
  if (expected.blockAnswer == BlockAnswer::NxDomain) return reply.rcode == Rcode::NxDomain;
  const auto& address = expected.blockAddresses.v4;
  return reply.rcode == Rcode::NoError &&
         std::any_of(reply.answers.begin(), reply.answers.end(), [&](const Record& record) {
           return record.type == rrtype::kA && record.end - record.rdata == address.size() &&
                  std::equal(address.begin(), address.end(),
                             reply.bytes.begin() + static_cast<long>(record.rdata));
         });
}

// Any rcode: the CNAME is the filter's own answer, the rcode is what the upstream resolvers said
// of the safe host, and a laptop without internet access has not lost its safe search.
bool isCnameTo(const Reply& reply, std::string_view target) {
  if (reply.answers.empty() || reply.answers.front().type != rrtype::kCname) {
    return false;
  }
  Name name;
  std::size_t next = 0;
  return NameReader::read(reply.bytes, reply.answers.front().rdata, &name, next, false) &&
         name.text() == target;
}

// Why `testName` cannot show that `category` is blocked; empty when it can.
std::string unusableTestName(const FilterExpectations& expected, const std::string& category,
                             const TestName* testName) {
  if (!expected.index) return category + ": no domain index is loaded, so it blocks nothing";
  const auto id = expected.index->findCategory(category);
  if (!id) return category + ": the domain index in force has no such category";
  if (testName == nullptr) return category + ": no test name to check it with";
  if (!expected.index->lookup(testName->name).categories.test(*id)) {
    return category + ": the test name " + testName->name +
           " is not in this category of the domain index in force";
  }
  return {};
}

}  // namespace

std::optional<std::vector<TestName>> parseTestNames(std::string_view text) {
  std::vector<TestName> names;
  for (const auto& entry : commaSeparated(std::string(text))) {
    const auto equals = entry.find('=');
    if (equals == std::string::npos) return std::nullopt;
    TestName name{entry.substr(0, equals), entry.substr(equals + 1)};
    Name wire;
    if (name.category.empty() || !wire.assign(name.name) || wire.text().empty()) {
      return std::nullopt;
    }
    name.name = wire.text();  // lower case, as the filter sees names
    names.push_back(std::move(name));
  }
  return names;
}

SelfTestResult FilterSelfTest::run(const FilterExpectations& expected) const {
  SelfTestResult result;
  const auto seconds = fmt::format("{:g}", static_cast<double>(timeout_.count()) / 1000);
  const auto check = [&](std::string_view name, std::uint16_t qtype,
                         const std::function<bool(const Reply&)>& passes,
                         const std::string& failure) {
    const auto reply = ask(filter_, name, qtype, timeout_);
    if (!reply) {
      result.failures.push_back(std::string(name) + ": no answer from the DNS filter within " +
                                seconds + " s");
    } else if (!passes(*reply)) {
      result.failures.push_back(failure);
    }
  };

  for (const auto& category : expected.blockedCategories) {
    const auto found = std::find_if(expected.testNames.begin(), expected.testNames.end(),
                                    [&](const TestName& t) { return t.category == category; });
    const auto* testName = found == expected.testNames.end() ? nullptr : &*found;
    if (auto unusable = unusableTestName(expected, category, testName); !unusable.empty()) {
      result.failures.push_back(std::move(unusable));
      continue;
    }
    check(
        testName->name, rrtype::kA,
        [&](const Reply& reply) { return hasBlockAnswer(reply, expected); },
        category + ": " + testName->name + " was not blocked");
  }
  for (const auto name : kSafeSearchTestNames) {
    const auto target = safeSearchTarget(name, expected.safeSearch);
    if (target.empty()) continue;  // safe search off
    check(
        name, rrtype::kA, [&](const Reply& reply) { return isCnameTo(reply, target); },
        "safe search: " + std::string(name) + " was not rewritten to " + std::string(target));
  }
  check(
      kCanaryTestName, rrtype::kA,
      [](const Reply& reply) { return reply.rcode == Rcode::NxDomain; },
      std::string(kCanaryTestName) + " did not get NXDOMAIN, so Firefox may turn on its own DNS");
  return result;
}

std::vector<common::Event> SelfTestSource::poll() {
  const auto result = test_.run(expectations_());
  if (!result.passed()) {
    spdlog::warn(
        "The DNS filter's self-test failed, so it is not doing all the policy asks: {}. "
        "Restarting the agent may put it right; if this keeps happening, tell whoever "
        "looks after the club's laptops.",
        fmt::join(result.failures, "; "));
  }
  common::Event event;
  event.type = common::EventType::FilterSelfTest;
  event.time = common::nowUtc();
  event.payload->set("passed", result.passed());
  Poco::JSON::Array::Ptr failures = new Poco::JSON::Array;
  for (const auto& failure : result.failures) failures->add(failure);
  event.payload->set("failures", failures);
  std::vector<common::Event> events;
  events.push_back(std::move(event));
  return events;
}

}  // namespace clubsafe::agent::selftest
