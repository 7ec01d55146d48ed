#pragma once

#include "notice/agent_client.hpp"
#include "notice/block_notifier.hpp"
#include "notice/indicator_window.hpp"
#include "notice/monitoring_notice_window.hpp"
#include "notice/sign_in_window.hpp"
#include "notice/unlock_window.hpp"
#include "notice/worry_window.hpp"

#include <gtkmm/application.h>

#include <memory>
#include <optional>
#include <string>

// clubsafe-notice itself: puts the agent's messages in front of the person and their choices
// back to the agent. The windows only show and collect; the client only talks; this decides
// what follows what (the notice first on every connection, then signing in when nobody is).
namespace clubsafe::notice {

class NoticeApp {
 public:
  NoticeApp(Glib::RefPtr<Gtk::Application> application, std::string socketPath);
  ~NoticeApp();
  NoticeApp(const NoticeApp&) = delete;
  NoticeApp& operator=(const NoticeApp&) = delete;

 private:
  struct Windows;

  void activate();
  void connected(const NoticeText& notice, const SessionState& state);
  void lost();
  void stateChanged(const SessionState& state);
  void blocked(const BlockedSite& site);

  void understood();
  void signIn(const std::string& name, const std::string& ageBand);
  void staffSignIn(const std::string& pin);
  // A young person's or a worker's sign-in; the sign-in window shows the agent's refusal.
  void sendSignIn(common::notice::MessageType type, const Poco::JSON::Object& body);
  void signOut();
  void sendWorry(const std::string& about, const std::string& message);
  void unlock(const UnlockRequest& request);
  void askForReview(const std::string& domain);
  void showNotice();
  void openSignIn();

  Glib::RefPtr<Gtk::Application> application_;
  AgentClient client_;
  std::unique_ptr<Windows> windows_;
  std::optional<NoticeText> notice_;
  std::optional<SessionState> state_;
  std::string acknowledgedVersion_;
};

}  // namespace clubsafe::notice
