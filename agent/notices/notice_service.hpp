#pragma once

#include "agent/dns/profile_filter.hpp"
#include "agent/notices/overrides.hpp"
#include "agent/notices/report_limiter.hpp"
#include "agent/notices/worker_pins.hpp"
#include "agent/outbox/outbox.hpp"
#include "agent/platform/login_sessions.hpp"
#include "agent/policy/active_profile.hpp"
#include "common/event.hpp"
#include "common/notice_protocol.hpp"

#include <Poco/JSON/Object.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

// What the agent does with the notice program's requests (docs/NOTICES.md, "Notice socket"):
// each becomes events in the outbox, with the caller's login name as their osUser. What is
// pushed goes only to the accounts it concerns: who is signed in only to their own account's
// notice programs, a block only to the account at the screen.
namespace clubsafe::agent::notices {

// Who a connection to the notice socket belongs to, as the kernel says (NoticeServer).
struct Caller {
  std::uint64_t connection = 0;  // the server's number for it, never reused
  std::uint32_t uid = 0;
  std::string user;  // that uid's login name
};

struct NoticeServiceOptions {
  // How long after the notice is shown (the reply to hello) "I understand" may take before an
  // event says it was not acknowledged.
  std::chrono::steady_clock::duration acknowledgeTimeout = std::chrono::minutes(10);
  // A worker's PIN sign-in ends after this long, if their login session has not ended first.
  std::chrono::steady_clock::duration staffSignInLimit = std::chrono::hours(2);
  // Machines without logind (notices.allowed_users): no session says who is at the screen, so a
  // block is told to every account connected.
  bool withoutLogind = false;
  std::function<std::chrono::steady_clock::time_point()> clock = std::chrono::steady_clock::now;
};

// The age band a worker's PIN signs in with; the notice program cannot choose it by name.
using common::kStaffAgeBand;

// Any thread may call it. Nothing a caller sends can make it throw.
class NoticeService {
 public:
  // The category the filter blocks `domain` for ("" when it is not blocked), for review requests.
  using CategoryOf = std::function<std::string(std::string_view domain)>;
  // Sends one serialised message to the connected notice programs of the account `uid`
  // (NoticeServer).
  using Push = std::function<void(std::uint32_t uid, std::string line)>;

  NoticeService(NoticeServiceOptions options, outbox::Outbox& outbox,
                const dns::ProfileFilter& filter, policy::ActiveProfile& active,
                platform::LoginSessions& sessions, WorkerPins& pins, Overrides& overrides,
                CategoryOf categoryOf);
  NoticeService(const NoticeService&) = delete;
  NoticeService& operator=(const NoticeService&) = delete;

  // Where pushes go; null drops them.
  void setPush(Push push);
  // Worry reports, review requests and acknowledgements go through `reports` and its
  // per-account limits (shared with the block page); null: straight to the outbox. Set it
  // before connections are served.
  void setReportLimiter(ReportLimiter* reports) { reports_ = reports; }

  // A connection was accepted (its caller checked) or has ended.
  void opened(const Caller& caller);
  void closed(std::uint64_t connection);
  // Whether `connection` has said hello, so it is a notice program and may stay idle.
  [[nodiscard]] bool greeted(std::uint64_t connection) const;
  // Whether any notice program has said hello: someone could be told of a block.
  [[nodiscard]] bool anyoneListening() const;

  // The serialised reply to one line from `connection`: a Reply, ok or with the problem in
  // plain words (then nothing was changed); id 0 when the line had no id to repeat.
  [[nodiscard]] std::string handleLine(std::uint64_t connection, std::string_view line);

  // What is due by now: a missing acknowledgement, a sign-out when the member's login session
  // has ended or the policy no longer lists their band, a State push when the state changed
  // (an override expired, a new policy). Called at least once a second.
  void tick();

  // N3: the filter blocked `domain`; tells the notice programs of the account at the screen (a
  // Blocked message) and records one block_notice event per account told. The account at the
  // screen is the one whose login session is active; without logind (or where it lists no
  // sessions at all), every connected account is told.
  void pushBlocked(const std::string& domain, const std::string& category,
                   const std::string& reasonWords);

  // For Outbox::setStamp: each event that names no profile gets the one in force; while a member
  // is signed in, each event of their account or of the whole laptop (no account) that names no
  // member gets theirs. Takes only its own lock and ActiveProfile's, never appends.
  [[nodiscard]] outbox::Outbox::Stamp stamp();

 private:
  struct Connection {
    Caller caller;
    bool greeted = false;
    bool acknowledged = false;
    std::string noticeVersion;  // shown in the last reply to hello
    std::optional<std::chrono::steady_clock::time_point> acknowledgeBy;  // while waiting
  };
  struct SignedIn {
    std::string member;
    std::string ageBand;
    bool staff = false;
    std::uint32_t uid = 0;
    std::string osUser;
    std::chrono::steady_clock::time_point since;
  };
  struct StampValues {
    std::string member;
    std::string osUser;  // whose account they signed in on
  };

  [[nodiscard]] Poco::JSON::Object::Ptr dispatch(const Caller& caller,
                                                 const common::notice::Message& request);
  Poco::JSON::Object::Ptr hello(std::uint64_t connection);
  Poco::JSON::Object::Ptr acknowledge(std::uint64_t connection,
                                      const common::notice::Message& request);
  Poco::JSON::Object::Ptr signIn(const Caller& caller, const common::notice::Message& request);
  Poco::JSON::Object::Ptr staffSignIn(const Caller& caller, const common::notice::Message& request);
  Poco::JSON::Object::Ptr signOut(const Caller& caller);
  Poco::JSON::Object::Ptr reviewRequest(const Caller& caller,
                                        const common::notice::Message& request);
  Poco::JSON::Object::Ptr reportWorry(const Caller& caller, const common::notice::Message& request);
  Poco::JSON::Object::Ptr grantOverride(const Caller& caller,
                                        const common::notice::Message& request);

  // The worker whose PIN it is, or RequestError; without mutex_ (hashing takes a while).
  [[nodiscard]] std::string workerFor(const std::string& pin);

  // With mutex_ held. False (logged) when the outbox could not keep it.
  bool record(common::Event event);
  void signInLocked(SignedIn who, const std::string& method);
  void signOutLocked(const std::string& reason);
  void missingAcknowledgement(Connection& connection);
  // No connection of `uid` is left and no login session of theirs is open.
  [[nodiscard]] bool sessionEnded(std::uint32_t uid);
  // Refuses (RequestError) a member's sign-in over someone signed in on another account.
  void checkNotSignedInElsewhere(const Caller& caller) const;
  // The accounts to tell of a block (see pushBlocked), each with its login name.
  [[nodiscard]] std::map<std::uint32_t, std::string> accountsAtTheScreen();
  // What `uid`'s notice programs are told: who is signed in only when it is that account.
  [[nodiscard]] Poco::JSON::Object::Ptr stateLocked(std::uint32_t uid) const;
  [[nodiscard]] std::string stateLine(std::uint32_t uid) const;
  void pushStateIfChanged();

  NoticeServiceOptions options_;
  outbox::Outbox& outbox_;
  const dns::ProfileFilter& filter_;
  policy::ActiveProfile& active_;
  platform::LoginSessions& sessions_;
  WorkerPins& pins_;
  Overrides& overrides_;
  CategoryOf categoryOf_;
  ReportLimiter* reports_ = nullptr;

  mutable std::mutex mutex_;  // guards what follows; PINs are hashed without it
  Push push_;
  std::map<std::uint64_t, Connection> connections_;
  std::optional<SignedIn> signedIn_;
  std::map<std::uint32_t, std::string> lastState_;  // what each account's programs know, serialised

  std::mutex stampMutex_;  // the outbox holds its own lock when it stamps
  std::optional<StampValues> stampValues_;
};

}  // namespace clubsafe::agent::notices
