#pragma once

#include <stdexcept>
#include <string>

namespace clubsafe::collector {

// Thrown by request handlers; the router turns it into `status` with {"error": message}.
// The message is shown to the user, so it says what to do, and never holds a secret.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
  [[nodiscard]] int status() const { return status_; }

 private:
  int status_;
};

}  // namespace clubsafe::collector
