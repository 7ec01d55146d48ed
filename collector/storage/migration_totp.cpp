#include "collector/storage/migration_totp.hpp"

namespace clubsafe::collector {
namespace {

// One key a user; confirmed_at NULL while enrolment waits for its first code. secret is the
// key's bytes in base32: the server must have the key itself to compute codes, so it cannot be
// stored hashed. last_used_step is the newest RFC 6238 time step a code was accepted for.
constexpr std::string_view kTotpTable = R"sql(
CREATE TABLE console_totp (
  user_id        INTEGER PRIMARY KEY REFERENCES console_users (id),
  secret         TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  confirmed_at   TEXT,
  last_used_step INTEGER NOT NULL DEFAULT -1
))sql";

// SHA-256 of each code (80 random bits, collector/auth/recovery_codes.hpp); used_at set once.
constexpr std::string_view kRecoveryCodesTable = R"sql(
CREATE TABLE console_recovery_codes (
  user_id   INTEGER NOT NULL REFERENCES console_users (id),
  code_hash TEXT NOT NULL,
  used_at   TEXT,
  PRIMARY KEY (user_id, code_hash)
) WITHOUT ROWID)sql";

}  // namespace

Migration twoStepSignIn() {
  return {19,
          "two-step sign-in: authenticator keys and recovery codes",
          {kTotpTable, kRecoveryCodesTable}};
}

}  // namespace clubsafe::collector
