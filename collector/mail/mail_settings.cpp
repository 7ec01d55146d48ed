#include "collector/mail/mail_settings.hpp"

#include <Poco/String.h>

#include <array>
#include <fstream>
#include <sstream>

namespace clubsafe::collector {
namespace {

using common::SettingsError;
using common::SettingType;

constexpr auto kMailSettings = std::to_array<common::SettingSpec>({
    {"mail.smtp_host", SettingType::Text, "",
     "Mail server the collector sends alerts through, e.g. smtp.example.org; empty means no "
     "e-mail (alerts still show in the console)."},
    {"mail.smtp_port", SettingType::Integer, "587", "The mail server's submission port."},
    {"mail.security", SettingType::Text, "starttls",
     "starttls (the mail must be encrypted; the server's certificate is checked) or none (only "
     "for a mail server on this machine)."},
    {"mail.username", SettingType::Text, "", "Account on the mail server; empty: no sign-in."},
    {"mail.password_file", SettingType::Text, "",
     "File holding the mail account's password (readable by the collector only)."},
    {"mail.ca_file", SettingType::Text, "",
     "PEM certificates the mail server's certificate must chain to; empty means the system's."},
    {"mail.from", SettingType::Text, "clubsafe@localhost", "Sender address of the e-mails."},
    {"mail.dsl_to", SettingType::Text, "",
     "The DSLs' e-mail addresses, comma-separated: told of worry reports and alerts."},
    {"mail.manager_to", SettingType::Text, "",
     "The managers' e-mail addresses, comma-separated: told of silent laptops, failed filter "
     "checks, tampering and lost records."},
    {"mail.alert_threshold", SettingType::Integer, "4",
     "Alerts of this severity (1-5) or higher are e-mailed at once; lower ones go in a daily "
     "digest. Worry reports always go at once."},
    {"mail.max_per_hour", SettingType::Integer, "10",
     "E-mails to the DSLs (and to the managers) in any hour; past it one e-mail says how many "
     "more are waiting in the console."},
    {"mail.digest_hour", SettingType::Integer, "8",
     "Hour of the day (club time, 0-23) the digest of lower alerts is sent."},
    {"mail.check_interval", SettingType::Seconds, "2",
     "How often the collector looks for something to e-mail."},
    {"alerts.silent_after", SettingType::Seconds, "1200",
     "A laptop that reported during opening hours and then sends nothing for this long while "
     "the club is open raises a manager alert."},
});

int integerIn(const common::Settings& settings, std::string_view key, int low, int high) {
  const auto value = settings.integer(key);
  if (value < low || value > high) {
    throw SettingsError(std::string(key) + " must be between " + std::to_string(low) + " and " +
                        std::to_string(high) + ".");
  }
  return static_cast<int>(value);
}

bool isAddress(std::string_view address) {
  const auto at = address.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 >= address.size()) return false;
  if (address.find('@', at + 1) != std::string_view::npos) return false;
  // Printable ASCII without spaces, angle brackets or commas: nothing that could end a header.
  for (const char c : address) {
    if (c <= ' ' || c > '~' || c == '<' || c == '>' || c == ',' || c == '"') return false;
  }
  return true;
}

std::string readPasswordFile(const std::string& file) {
  if (file.empty()) return {};
  std::ifstream in(file);
  if (!in) {
    throw SettingsError("mail.password_file: " + file +
                        " cannot be read. Check that it exists and that the collector may read "
                        "it.");
  }
  std::string password;
  std::getline(in, password);
  return password;
}

}  // namespace

std::span<const common::SettingSpec> mailSettingSpecs() {
  return kMailSettings;
}

std::vector<std::string> parseAddressList(std::string_view key, std::string_view text) {
  std::vector<std::string> addresses;
  std::istringstream items{std::string(text)};
  for (std::string item; std::getline(items, item, ',');) {
    Poco::trimInPlace(item);
    if (item.empty()) continue;
    if (!isAddress(item)) {
      throw SettingsError(std::string(key) + ": \"" + item +
                          "\" is not an e-mail address. Write addresses like dsl@example.org, "
                          "separated by commas.");
    }
    addresses.push_back(item);
  }
  return addresses;
}

MailSettings readMailSettings(const common::Settings& settings) {
  MailSettings mail;
  mail.host = settings.text("mail.smtp_host");
  mail.port = integerIn(settings, "mail.smtp_port", 1, 65535);
  const auto security = settings.text("mail.security");
  if (security != "starttls" && security != "none") {
    throw SettingsError("mail.security must be starttls or none.");
  }
  mail.startTls = security == "starttls";
  mail.username = settings.text("mail.username");
  mail.password = readPasswordFile(settings.text("mail.password_file"));
  mail.caFile = settings.text("mail.ca_file");
  mail.from = settings.text("mail.from");
  if (!isAddress(mail.from)) {
    throw SettingsError("mail.from: \"" + mail.from + "\" is not an e-mail address.");
  }
  mail.dslRecipients = parseAddressList("mail.dsl_to", settings.text("mail.dsl_to"));
  mail.managerRecipients = parseAddressList("mail.manager_to", settings.text("mail.manager_to"));
  mail.alertThreshold = integerIn(settings, "mail.alert_threshold", 1, 5);
  mail.maxPerHour = integerIn(settings, "mail.max_per_hour", 1, 1000);
  mail.digestHour = integerIn(settings, "mail.digest_hour", 0, 23);
  mail.checkInterval = settings.duration("mail.check_interval");
  mail.silentAfter =
      std::chrono::duration_cast<std::chrono::seconds>(settings.duration("alerts.silent_after"));
  return mail;
}

}  // namespace clubsafe::collector
