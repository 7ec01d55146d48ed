#include "notice/notice_app.hpp"

#include "notice/look.hpp"
#include "notice/plain_words.hpp"

#include <utility>

namespace clubsafe::notice {
namespace {

using common::notice::MessageType;
using Poco::JSON::Object;

constexpr std::chrono::seconds kRetry{3};

}  // namespace

struct NoticeApp::Windows {
  IndicatorWindow indicator;
  MonitoringNoticeWindow notice;
  SignInWindow signIn;
  WorryWindow worry;
  UnlockWindow unlock;
  BlockNotifier notifier;
};

NoticeApp::NoticeApp(Glib::RefPtr<Gtk::Application> application, std::string socketPath)
    : application_(std::move(application)),
      client_(std::move(socketPath), kRetry,
              {[this](const NoticeText& notice, const SessionState& state) {
                 connected(notice, state);
               },
               [this] { lost(); }, [this](const SessionState& state) { stateChanged(state); },
               [this](const BlockedSite& site) { blocked(site); }}) {
  application_->signal_activate().connect([this] { activate(); });
}

NoticeApp::~NoticeApp() = default;

void NoticeApp::activate() {
  // A second start in the same session only brings the indicator forward.
  if (windows_) {
    windows_->indicator.present();
    return;
  }
  installStyle();
  windows_.reset(new Windows{
      IndicatorWindow({[this] { openSignIn(); }, [this] { signOut(); },
                       [this] { windows_->worry.open(); }, [this] { windows_->unlock.open(); },
                       [this] { showNotice(); }}),
      MonitoringNoticeWindow([this] { understood(); }),
      SignInWindow(
          {[this](const std::string& name, const std::string& ageBand) { signIn(name, ageBand); },
           [this](const std::string& pin) { staffSignIn(pin); }}),
      WorryWindow([this](const std::string& about, const std::string& message) {
        sendWorry(about, message);
      }),
      UnlockWindow([this](const UnlockRequest& request) { unlock(request); }),
      BlockNotifier([this](const std::string& domain) { askForReview(domain); }),
  });
  // The program lives as long as the session, whichever windows are open.
  application_->hold();
  windows_->indicator.placeInCorner();
  windows_->indicator.show();
  client_.start();
}

void NoticeApp::connected(const NoticeText& notice, const SessionState& state) {
  notice_ = notice;
  stateChanged(state);
  // After every hello: the agent counts each connection's answer as the notice shown, and
  // records it as not acknowledged if "I understand" does not follow. A restarted agent is a
  // new connection, so the notice comes again.
  acknowledgedVersion_.clear();
  showNotice();
}

void NoticeApp::lost() {
  windows_->indicator.showNotAnswering();
}

void NoticeApp::stateChanged(const SessionState& state) {
  state_ = state;
  windows_->indicator.showState(state);
  if (state.signedIn()) windows_->signIn.hide();
}

void NoticeApp::blocked(const BlockedSite& site) {
  windows_->notifier.showBlocked(site);
}

void NoticeApp::showNotice() {
  if (!notice_) {
    windows_->indicator.showNotAnswering();
    return;
  }
  windows_->notice.showNotice(*notice_);
}

void NoticeApp::understood() {
  if (!notice_) return;
  // Shown again from the menu: the acknowledgement of this text is already recorded.
  if (acknowledgedVersion_ == notice_->version) {
    windows_->notice.hide();
    return;
  }
  Object body;
  body.set("notice_version", notice_->version);
  const auto version = notice_->version;
  const bool sent =
      client_.send(MessageType::Acknowledge, body, [this, version](const Answer& answer) {
        if (!answer.ok) {
          windows_->notice.showProblem(answer.error);
          return;
        }
        acknowledgedVersion_ = version;
        if (answer.state) stateChanged(*answer.state);
        windows_->notice.hide();
        if (state_ && !state_->signedIn()) openSignIn();
      });
  if (!sent) windows_->notice.showProblem(std::string(kAgentNotAnswering));
}

void NoticeApp::openSignIn() {
  windows_->signIn.open(state_ ? state_->ageBands : std::vector<std::string>{});
}

void NoticeApp::signIn(const std::string& name, const std::string& ageBand) {
  Object body;
  body.set("name", name);
  body.set("age_band", ageBand);
  sendSignIn(MessageType::SignIn, body);
}

void NoticeApp::staffSignIn(const std::string& pin) {
  Object body;
  body.set("pin", pin);
  sendSignIn(MessageType::StaffSignIn, body);
}

void NoticeApp::sendSignIn(MessageType type, const Object& body) {
  const bool sent = client_.send(type, body, [this](const Answer& answer) {
    if (!answer.ok) {
      windows_->signIn.showProblem(answer.error);
      return;
    }
    if (answer.state) stateChanged(*answer.state);
    windows_->signIn.hide();
  });
  if (!sent) windows_->signIn.showProblem(std::string(kAgentNotAnswering));
}

void NoticeApp::signOut() {
  const bool sent = client_.send(MessageType::SignOut, Object(), [this](const Answer& answer) {
    if (!answer.ok) {
      windows_->notifier.showMessage("You are still signed in", answer.error);
      return;
    }
    if (answer.state) stateChanged(*answer.state);
  });
  if (!sent) windows_->indicator.showNotAnswering();
}

void NoticeApp::sendWorry(const std::string& about, const std::string& message) {
  Object body;
  body.set("about", about);
  body.set("message", message);
  const bool sent = client_.send(MessageType::ReportWorry, body, [this](const Answer& answer) {
    if (answer.ok) {
      windows_->worry.showSent();
    } else {
      windows_->worry.showProblem(answer.error);
    }
  });
  if (!sent) windows_->worry.showProblem(std::string(kAgentNotAnswering));
}

void NoticeApp::unlock(const UnlockRequest& request) {
  Object body;
  body.set("pin", request.pin);
  body.set("scope", request.scope);
  body.set("target", request.target);
  body.set("minutes", request.minutes);
  body.set("reason", request.reason);
  const bool sent =
      client_.send(MessageType::Override, body, [this, request](const Answer& answer) {
        if (!answer.ok) {
          windows_->unlock.showProblem(answer.error);
          return;
        }
        if (answer.state) stateChanged(*answer.state);
        windows_->unlock.showDone(request);
      });
  if (!sent) windows_->unlock.showProblem(std::string(kAgentNotAnswering));
}

void NoticeApp::askForReview(const std::string& domain) {
  Object body;
  body.set("domain", domain);
  const bool sent =
      client_.send(MessageType::ReviewRequest, body, [this, domain](const Answer& answer) {
        if (answer.ok) {
          windows_->notifier.showMessage("Review asked for",
                                         "A youth worker will look at " + domain + ".");
        } else {
          windows_->notifier.showMessage("The review was not asked for", answer.error);
        }
      });
  if (!sent) {
    windows_->notifier.showMessage("The review was not asked for", std::string(kAgentNotAnswering));
  }
}

}  // namespace clubsafe::notice
