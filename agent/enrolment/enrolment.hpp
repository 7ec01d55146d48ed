#pragma once

#include "agent/enrolment/credentials.hpp"

#include <chrono>
#include <stdexcept>
#include <string>

namespace clubsafe::agent::enrolment {

// What `clubsafe-agent enrol` was given.
struct EnrolArguments {
  std::string server;
  std::string token;
  std::string fingerprint;
  std::string caFile;
  std::string name;  // empty: the host name
  bool force = false;
};

class EnrolmentError : public std::runtime_error {
 public:
  enum class Kind {
    BadArguments,     // fix the command
    AlreadyEnrolled,  // add --force
    Refused,          // the token was not accepted
    Untrusted,        // TLS failed: wrong fingerprint or CA
    Unreachable,      // network
    CannotSave,       // state directory
    Unexpected,       // the collector answered something this agent does not understand
  };

  EnrolmentError(Kind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  [[nodiscard]] Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// Checks the arguments before anything is sent and returns them normalised (the fingerprint
// in its canonical form, the name defaulted). Throws EnrolmentError (BadArguments).
[[nodiscard]] EnrolArguments validateEnrolArguments(EnrolArguments arguments);

// Trades the one-time token for this device's credential (SPEC C1) and saves it under
// `stateDir`. Refuses to replace an existing enrolment unless arguments.force. Never puts the
// token or the secret in a message. Throws EnrolmentError.
Credentials enrol(const EnrolArguments& arguments, const std::string& stateDir,
                  std::chrono::milliseconds timeout);

}  // namespace clubsafe::agent::enrolment
