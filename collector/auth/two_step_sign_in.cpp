#include "collector/auth/two_step_sign_in.hpp"

#include "collector/auth/recovery_codes.hpp"
#include "collector/auth/totp.hpp"

#include <algorithm>
#include <cctype>

namespace clubsafe::collector {
namespace {

constexpr std::string_view kIssuer = "ClubSafe";
constexpr std::size_t kKeyGroup = 4;

std::string grouped(const std::string& key) {
  std::string text;
  for (std::size_t at = 0; at < key.size(); at += kKeyGroup) {
    if (!text.empty()) text += ' ';
    text += key.substr(at, kKeyGroup);
  }
  return text;
}

// What a person typed, without the spaces apps put in the middle of a code ("123 456").
std::string withoutSpaces(std::string_view typed) {
  std::string code;
  for (const char c : typed) {
    if (std::isspace(static_cast<unsigned char>(c)) == 0) code += c;
  }
  return code;
}

bool isAuthenticatorCode(const std::string& code) {
  return code.size() == static_cast<std::size_t>(totp::kDigits) &&
         std::ranges::all_of(code, [](char c) { return c >= '0' && c <= '9'; });
}

AuditEntry audit(Timestamp now, const std::string& actor, std::string action,
                 const std::string& target) {
  return {.time = now, .actor = actor, .action = std::move(action), .target = target, .detail = {}};
}

std::vector<std::string> hashesOf(const std::vector<std::string>& codes) {
  std::vector<std::string> hashes;
  std::ranges::transform(codes, std::back_inserter(hashes), recoveryCodeHash);
  return hashes;
}

}  // namespace

bool TwoStepSignIn::required(const ConsoleUser& user) const {
  return std::ranges::any_of(requiredFor_,
                             [&user](const std::string& role) { return user.hasRole(role); });
}

std::optional<TotpEnrolment> TwoStepSignIn::startEnrolment(const ConsoleUser& user, Timestamp now) {
  const auto key = totp::base32Encode(totp::newSecret());
  if (!accounts_.startTotpEnrolment(user.id, key, now)) return std::nullopt;
  return TotpEnrolment{.key = grouped(key), .uri = totp::otpauthUri(kIssuer, user.username, key)};
}

std::optional<std::vector<std::string>> TwoStepSignIn::confirmEnrolment(const ConsoleUser& user,
                                                                        std::string_view code,
                                                                        Timestamp now) {
  const auto key = accounts_.findTotpKey(user.id);
  if (!key || key->confirmed) return std::nullopt;
  const auto secret = totp::base32Decode(key->secret);
  const auto step = secret ? totp::matchingStep(*secret, withoutSpaces(code), now) : std::nullopt;
  if (!step) return std::nullopt;
  auto codes = newRecoveryCodes();
  if (!accounts_.confirmTotp(user.id, *step, hashesOf(codes),
                             audit(now, user.username, "console.two_step_on", user.username))) {
    return std::nullopt;
  }
  return codes;
}

std::optional<std::vector<std::string>> TwoStepSignIn::replaceRecoveryCodes(const ConsoleUser& user,
                                                                            std::string_view code,
                                                                            Timestamp now) {
  if (!acceptAuthenticatorCode(user, code, now)) return std::nullopt;
  auto codes = newRecoveryCodes();
  accounts_.replaceRecoveryCodes(
      user.id, hashesOf(codes),
      audit(now, user.username, "console.recovery_codes_replaced", user.username));
  return codes;
}

std::size_t TwoStepSignIn::recoveryCodesLeft(const ConsoleUser& user) {
  return accounts_.countRecoveryCodes(user.id);
}

bool TwoStepSignIn::reset(std::int64_t targetId, const std::string& targetName,
                          const std::string& actor, Timestamp now) {
  return accounts_.resetTotp(targetId, audit(now, actor, "console.two_step_reset", targetName));
}

CodeCheck TwoStepSignIn::checkCode(const ConsoleUser& user, std::string_view typed, Timestamp now) {
  if (isAuthenticatorCode(withoutSpaces(typed))) {
    return acceptAuthenticatorCode(user, typed, now) ? CodeCheck::Authenticator : CodeCheck::Wrong;
  }
  const bool used = accounts_.useRecoveryCode(
      user.id, recoveryCodeHash(typed),
      audit(now, user.username, "console.recovery_code_used", user.username));
  return used ? CodeCheck::RecoveryCode : CodeCheck::Wrong;
}

bool TwoStepSignIn::acceptAuthenticatorCode(const ConsoleUser& user, std::string_view typed,
                                            Timestamp now) {
  const auto key = accounts_.findTotpKey(user.id);
  if (!key || !key->confirmed) return false;
  const auto secret = totp::base32Decode(key->secret);
  const auto step = secret ? totp::matchingStep(*secret, withoutSpaces(typed), now) : std::nullopt;
  // The store refuses a step it accepted before, or an older one, in one statement: a code
  // sent twice at once is accepted once.
  return step && accounts_.useTotpStep(user.id, *step);
}

}  // namespace clubsafe::collector
