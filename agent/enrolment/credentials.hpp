#pragma once

#include "common/tls.hpp"

#include <optional>
#include <stdexcept>
#include <string>

namespace clubsafe::agent::enrolment {

// What enrolment gives a laptop: where its collector is, how to trust it, and the device's
// own credential. Kept in <state_dir>/credentials.json, readable by root only.
struct Credentials {
  std::string serverUrl;
  std::string deviceId;
  std::string deviceSecret;
  std::string fingerprint;  // either this (pinning) ...
  std::string caFile;       // ... or this

  [[nodiscard]] common::ServerTrust trust() const { return {caFile, fingerprint}; }
};

class CredentialsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[nodiscard]] std::string credentialsPath(const std::string& stateDir);

// Atomically, created with mode 0600. Throws platform::FileError naming the file.
void writeCredentials(const std::string& path, const Credentials& credentials);

// nullopt when the file does not exist (not enrolled). Throws CredentialsError with what to do
// when it cannot be read or is not a credentials file.
[[nodiscard]] std::optional<Credentials> readCredentials(const std::string& path);

}  // namespace clubsafe::agent::enrolment
