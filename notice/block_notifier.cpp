#include "notice/block_notifier.hpp"

#include <glibmm/markup.h>
#include <libnotify/notify.h>
#include <spdlog/spdlog.h>

#include <utility>

namespace clubsafe::notice {
namespace {

constexpr const char* kAppName = "clubsafe";
constexpr const char* kIcon = "dialog-information";
constexpr const char* kReviewAction = "review";
constexpr const char* kDefaultAction = "default";

// The body may be read as markup by the daemon (the "body-markup" capability), so anything from
// the network is escaped to stay plain text; the summary is always plain text.
std::string plainBody(const std::string& text) {
  return Glib::Markup::escape_text(text);
}

void showOrLog(NotifyNotification* notification) {
  GError* error = nullptr;
  if (notify_notification_show(notification, &error) == FALSE) {
    spdlog::warn("Could not show a desktop notification ({}); is a notification service running?",
                 error != nullptr ? error->message : "no reason given");
    if (error != nullptr) g_error_free(error);
  }
}

}  // namespace

struct BlockNotifier::ActionContext {
  BlockNotifier* owner;
  std::string domain;
};

BlockNotifier::BlockNotifier(std::function<void(const std::string&)> askForReview)
    : askForReview_(std::move(askForReview)) {
  if (notify_init(kAppName) == FALSE) {
    spdlog::warn("Desktop notifications are not available: blocked sites will not be shown.");
  }
}

BlockNotifier::~BlockNotifier() {
  for (auto& [domain, notification] : open_) {
    g_signal_handlers_disconnect_by_data(notification, this);
    g_object_unref(notification);
  }
  notify_uninit();
}

void BlockNotifier::showBlocked(const BlockedSite& site) {
  const std::string summary = site.domain + " was blocked";
  const std::string body = plainBody(
      "This site is blocked on club laptops because it is about: " + site.reason +
      ". If you think it should not be, ask for a review and a youth worker will look at it.");
  if (const auto found = open_.find(site.domain); found != open_.end()) {
    notify_notification_update(found->second, summary.c_str(), body.c_str(), kIcon);
    showOrLog(found->second);
    return;
  }
  NotifyNotification* notification = notify_notification_new(summary.c_str(), body.c_str(), kIcon);
  for (const auto* action : {kReviewAction, kDefaultAction}) {
    notify_notification_add_action(
        notification, action, "Ask for a review", &BlockNotifier::onAction,
        new ActionContext{this, site.domain},
        [](void* context) { delete static_cast<ActionContext*>(context); });
  }
  g_signal_connect_data(notification, "closed",
                        reinterpret_cast<GCallback>(&BlockNotifier::onClosed), this, nullptr,
                        GConnectFlags{});
  open_.emplace(site.domain, notification);
  showOrLog(notification);
}

void BlockNotifier::showMessage(const std::string& summary, const std::string& body) {
  NotifyNotification* notification =
      notify_notification_new(summary.c_str(), plainBody(body).c_str(), kIcon);
  showOrLog(notification);
  // The daemon holds the notification now; we keep nothing of it.
  g_object_unref(notification);
}

void BlockNotifier::onAction(NotifyNotification* notification, char*, void* context) {
  const auto* action = static_cast<ActionContext*>(context);
  // Copied first: closing the notification frees the context.
  const std::string domain = action->domain;
  BlockNotifier* owner = action->owner;
  notify_notification_close(notification, nullptr);
  owner->askForReview_(domain);
}

void BlockNotifier::onClosed(NotifyNotification* notification, void* context) {
  static_cast<BlockNotifier*>(context)->forget(notification);
}

void BlockNotifier::forget(NotifyNotification* notification) {
  for (auto it = open_.begin(); it != open_.end(); ++it) {
    if (it->second != notification) continue;
    open_.erase(it);
    g_signal_handlers_disconnect_by_data(notification, this);
    g_object_unref(notification);
    return;
  }
}

}  // namespace clubsafe::notice
