#pragma once

#include "common/event.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace clubsafe::collector {

using common::Timestamp;

// Sign-ins that passed the password and wait for the second step's code: a random token the
// browser holds for a few minutes, which names the user and nothing else. Kept in memory only:
// a restart asks for the password again, which costs nothing worth keeping them for. Safe to
// call from many threads.
class PendingSignIns {
 public:
  explicit PendingSignIns(std::chrono::seconds lifetime) : lifetime_(lifetime) {}

  // A new pending sign-in of `userId`; returns its token.
  std::string start(std::int64_t userId, Timestamp now);
  // The user a live token names.
  std::optional<std::int64_t> find(const std::string& token, Timestamp now);
  void finish(const std::string& token);

  [[nodiscard]] std::chrono::seconds lifetime() const { return lifetime_; }

 private:
  struct Pending {
    std::int64_t userId = 0;
    Timestamp expiresAt{};
  };

  std::chrono::seconds lifetime_;
  std::mutex mutex_;
  std::map<std::string, Pending> byTokenHash_;
};

}  // namespace clubsafe::collector
