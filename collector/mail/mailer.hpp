#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace clubsafe::collector {

// A plain-text e-mail: nothing in it is ever read as markup.
struct MailMessage {
  std::vector<std::string> to;
  std::string subject;  // fixed text of our own: no line breaks
  std::string body;
};

class MailError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Sends e-mail. Throws MailError with a message a volunteer can act on when it cannot.
class Mailer {
 public:
  virtual ~Mailer() = default;
  virtual void send(const MailMessage& message) = 0;
};

}  // namespace clubsafe::collector
