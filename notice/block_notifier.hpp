#pragma once

#include "notice/agent_messages.hpp"

#include <functional>
#include <map>
#include <string>

typedef struct _NotifyNotification NotifyNotification;

// N3: desktop notifications through org.freedesktop.Notifications (libnotify): "<site> was
// blocked", the reason in words, and "Ask for a review" (also the notification's default
// action, so clicking it or the daemon's "do it" key asks). One notification per site at a
// time: the same site blocked again updates it instead of piling up.
namespace clubsafe::notice {

class BlockNotifier {
 public:
  explicit BlockNotifier(std::function<void(const std::string& domain)> askForReview);
  ~BlockNotifier();
  BlockNotifier(const BlockNotifier&) = delete;
  BlockNotifier& operator=(const BlockNotifier&) = delete;

  void showBlocked(const BlockedSite& site);
  // A notification with no action, for the answer to a review request.
  void showMessage(const std::string& summary, const std::string& body);

 private:
  struct ActionContext;
  static void onAction(NotifyNotification* notification, char* action, void* context);
  static void onClosed(NotifyNotification* notification, void* context);
  void forget(NotifyNotification* notification);

  std::function<void(const std::string&)> askForReview_;
  std::map<std::string, NotifyNotification*> open_;  // by domain
};

}  // namespace clubsafe::notice
