#pragma once

#include "common/settings.hpp"

#include <chrono>
#include <span>
#include <string>
#include <vector>

namespace clubsafe::collector {

// How the collector sends e-mail (SPEC C8 and R7: alerts to the DSLs, a laptop's health to the
// managers). With no mail server set, notifications still show in the console.
struct MailSettings {
  std::string host;  // empty: no e-mail
  int port = 587;
  bool startTls = true;  // false only for a mail server on this machine (mail.security=none)
  std::string username;
  std::string password;  // read from mail.password_file; never logged
  std::string caFile;
  std::string from;
  std::vector<std::string> dslRecipients;
  std::vector<std::string> managerRecipients;
  int alertThreshold = 4;  // alerts at or above it are mailed at once, lower ones in the digest
  int maxPerHour = 10;     // e-mails to each audience an hour; then one summary
  int digestHour = 8;      // club time
  std::chrono::milliseconds checkInterval{2000};
  std::chrono::seconds silentAfter{1200};

  [[nodiscard]] bool enabled() const { return !host.empty(); }
};

// The settings table (mail.*, alerts.silent_after), joined into the collector's.
[[nodiscard]] std::span<const common::SettingSpec> mailSettingSpecs();

// Reads and checks them; throws common::SettingsError saying which setting is wrong and how.
[[nodiscard]] MailSettings readMailSettings(const common::Settings& settings);

// A comma-separated list of e-mail addresses. Throws common::SettingsError naming `key` for an
// address that is not one (a line break in one would let it add headers to the mail).
[[nodiscard]] std::vector<std::string> parseAddressList(std::string_view key,
                                                        std::string_view text);

}  // namespace clubsafe::collector
