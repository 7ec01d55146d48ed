#include "agent/platform/login_sessions.hpp"

#include "agent/platform/process_lister.hpp"

#include <systemd/sd-login.h>

#include <cstdlib>
#include <optional>

namespace clubsafe::agent::platform {
namespace {

// sd-login hands out malloc'd strings and arrays the caller frees.
struct FreeString {
  void operator()(char* text) const { std::free(text); }
};
using OwnedString = std::unique_ptr<char, FreeString>;

std::optional<std::string> text(int (*get)(const char*, char**), const char* session) {
  char* value = nullptr;
  if (get(session, &value) < 0 || value == nullptr) return std::nullopt;
  const OwnedString owned(value);
  return std::string(value);
}

// A session that ends while being read is simply not listed.
std::optional<LoginSession> readSession(const char* id) {
  if (text(sd_session_get_class, id).value_or("") != "user") return std::nullopt;
  uid_t uid = 0;
  if (sd_session_get_uid(id, &uid) < 0) return std::nullopt;
  LoginSession session;
  session.id = id;
  session.uid = uid;
  session.user = userName(uid);
  session.type = text(sd_session_get_type, id).value_or("unspecified");
  session.display = text(sd_session_get_display, id).value_or("");
  session.state = text(sd_session_get_state, id).value_or("");
  session.remote = sd_session_is_remote(id) > 0;
  return session;
}

class LogindLoginSessions : public LoginSessions {
 public:
  std::vector<LoginSession> list() override {
    char** ids = nullptr;
    const int count = sd_get_sessions(&ids);
    std::vector<LoginSession> sessions;
    if (count < 0 || ids == nullptr) return sessions;  // no logind: nobody is logged in graphically
    for (int i = 0; i < count; ++i) {
      if (auto session = readSession(ids[i])) sessions.push_back(std::move(*session));
      std::free(ids[i]);
    }
    std::free(ids);
    return sessions;
  }
};

}  // namespace

std::unique_ptr<LoginSessions> makeLoginSessions() {
  return std::make_unique<LogindLoginSessions>();
}

}  // namespace clubsafe::agent::platform
