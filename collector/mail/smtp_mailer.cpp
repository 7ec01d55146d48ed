#include "collector/mail/smtp_mailer.hpp"

#include "common/tls.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/SecureSMTPClientSession.h>
#include <Poco/Timespan.h>

namespace clubsafe::collector {
namespace {

constexpr int kTimeoutSeconds = 20;

void fill(Poco::Net::MailMessage& mail, const MailMessage& message, const std::string& from) {
  mail.setSender(from);
  for (const auto& to : message.to) {
    mail.addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, to));
  }
  mail.setSubject(message.subject);
  mail.setContentType("text/plain; charset=UTF-8");
  mail.setContent(message.body, Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
}

}  // namespace

void SmtpMailer::send(const MailMessage& message) {
  const auto server = settings_.host + ":" + std::to_string(settings_.port);
  try {
    Poco::Net::SecureSMTPClientSession session(settings_.host,
                                               static_cast<Poco::UInt16>(settings_.port));
    session.setTimeout(Poco::Timespan(kTimeoutSeconds, 0));
    session.login();
    if (settings_.startTls && !session.startTLS(common::makeClientContext(
                                  {.caFile = settings_.caFile, .fingerprint = ""}))) {
      throw MailError("The mail server " + server +
                      " does not offer encryption (STARTTLS). Use its submission port (usually "
                      "587), or set mail.security=none only for a mail server on this machine.");
    }
    if (!settings_.username.empty()) {
      session.login(Poco::Net::SMTPClientSession::AUTH_PLAIN, settings_.username,
                    settings_.password);
    }
    Poco::Net::MailMessage mail;
    fill(mail, message, settings_.from);
    session.sendMessage(mail);
    session.close();
  } catch (const MailError&) {
    throw;
  } catch (const Poco::Exception& error) {
    throw MailError("The mail server " + server +
                    " did not take the e-mail: " + error.displayText() +
                    ". Check the mail.* settings (server, port, account and password).");
  }
}

}  // namespace clubsafe::collector
