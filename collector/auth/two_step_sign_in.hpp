#pragma once

#include "collector/storage/account_store.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::collector {

// What a user types into their authenticator app to set it up.
struct TotpEnrolment {
  std::string key;  // base32 in groups of four, as apps accept it typed by hand
  std::string uri;  // otpauth://, for apps that take the address
};

enum class CodeCheck {
  Authenticator,  // a code from the app, for a time step not used before
  RecoveryCode,   // one of the user's recovery codes, now used up
  Wrong,          // neither (a code of a step already used included: a replay)
};

// Two-step sign-in (SPEC C4, RFC 6238): setting up an authenticator app, checking its codes and
// recovery codes, and which users the club requires it of. The key is never given out again
// once the enrolment is confirmed, and is never logged. Safe to call from many threads.
class TwoStepSignIn {
 public:
  // `requiredFor`: role names whose holders must use it (auth.require_totp_for).
  TwoStepSignIn(AccountStore& accounts, std::vector<std::string> requiredFor)
      : accounts_(accounts), requiredFor_(std::move(requiredFor)) {}

  // Whether one of the user's roles is one the club requires two-step sign-in of.
  [[nodiscard]] bool required(const ConsoleUser& user) const;
  // Required but not set up yet: the user may do nothing else until it is.
  [[nodiscard]] bool mustSetUp(const ConsoleUser& user) const {
    return required(user) && !user.totpEnabled;
  }

  // A new key for a user who has none confirmed (one waiting is replaced); nullopt when they
  // have one.
  std::optional<TotpEnrolment> startEnrolment(const ConsoleUser& user, Timestamp now);
  // Turns two-step sign-in on when `code` is the app's code for the waiting key, returning the
  // recovery codes to show once; nullopt when the code is wrong or no enrolment waits.
  std::optional<std::vector<std::string>> confirmEnrolment(const ConsoleUser& user,
                                                           std::string_view code, Timestamp now);
  // New recovery codes in place of the others, given a current code from the app; nullopt
  // when the code is wrong or two-step sign-in is off.
  std::optional<std::vector<std::string>> replaceRecoveryCodes(const ConsoleUser& user,
                                                               std::string_view code,
                                                               Timestamp now);
  [[nodiscard]] std::size_t recoveryCodesLeft(const ConsoleUser& user);
  // A manager turns it off for `target` (a lost phone): audited in the same transaction, every
  // session of theirs ended. False when there is no such user.
  bool reset(std::int64_t targetId, const std::string& targetName, const std::string& actor,
             Timestamp now);

  // A sign-in's second step: a 6-digit code from the app or a recovery code.
  CodeCheck checkCode(const ConsoleUser& user, std::string_view code, Timestamp now);

 private:
  // The app's code accepted once: its step recorded, so it is refused if sent again.
  bool acceptAuthenticatorCode(const ConsoleUser& user, std::string_view code, Timestamp now);

  AccountStore& accounts_;
  std::vector<std::string> requiredFor_;
};

}  // namespace clubsafe::collector
