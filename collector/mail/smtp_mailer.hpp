#pragma once

#include "collector/mail/mail_settings.hpp"
#include "collector/mail/mailer.hpp"

namespace clubsafe::collector {

// Sends through the club's mail server with Poco's SMTP client: STARTTLS (TLS 1.2 or newer, the
// server's certificate checked against the system's CAs or mail.ca_file and its host name)
// unless mail.security=none, then AUTH PLAIN (inside TLS) when a username is set.
class SmtpMailer final : public Mailer {
 public:
  explicit SmtpMailer(MailSettings settings) : settings_(std::move(settings)) {}

  void send(const MailMessage& message) override;

 private:
  MailSettings settings_;
};

}  // namespace clubsafe::collector
