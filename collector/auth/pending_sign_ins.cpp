#include "collector/auth/pending_sign_ins.hpp"

#include "common/crypto.hpp"

namespace clubsafe::collector {
namespace {

constexpr std::size_t kTokenBytes = 32;

}  // namespace

std::string PendingSignIns::start(std::int64_t userId, Timestamp now) {
  auto token = common::randomToken(kTokenBytes);
  const std::scoped_lock lock(mutex_);
  // Only a right password makes one, so there are never many: sweeping here keeps it small.
  std::erase_if(byTokenHash_, [now](const auto& entry) { return entry.second.expiresAt <= now; });
  byTokenHash_[common::sha256Hex(token)] = {.userId = userId, .expiresAt = now + lifetime_};
  return token;
}

std::optional<std::int64_t> PendingSignIns::find(const std::string& token, Timestamp now) {
  // Looked up by hash, as sessions are, so the map's comparisons reveal nothing of a token.
  const auto hash = common::sha256Hex(token);
  const std::scoped_lock lock(mutex_);
  const auto found = byTokenHash_.find(hash);
  if (found == byTokenHash_.end()) return std::nullopt;
  if (found->second.expiresAt <= now) {
    byTokenHash_.erase(found);
    return std::nullopt;
  }
  return found->second.userId;
}

void PendingSignIns::finish(const std::string& token) {
  const auto hash = common::sha256Hex(token);
  const std::scoped_lock lock(mutex_);
  byTokenHash_.erase(hash);
}

}  // namespace clubsafe::collector
