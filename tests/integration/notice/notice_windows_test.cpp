// The notice program's windows themselves, built in this process on a real X server (Xvfb with
// Openbox): every control a keyboard can reach has a name for screen readers, text from the
// agent is shown as plain text, and each window goes away only the way it should.
#include "notice/block_notifier.hpp"
#include "notice/indicator_window.hpp"
#include "notice/monitoring_notice_window.hpp"
#include "notice/plain_words.hpp"
#include "notice/sign_in_window.hpp"
#include "notice/unlock_window.hpp"
#include "notice/worry_window.hpp"
#include "tests/integration/notice/desktop.hpp"

#include <atkmm/object.h>
#include <glibmm/main.h>
#include <gtest/gtest.h>
#include <gtkmm/application.h>
#include <gtkmm/button.h>
#include <gtkmm/container.h>
#include <gtkmm/label.h>
#include <gtkmm/radiobutton.h>

#include <functional>
#include <memory>

namespace clubsafe::notice {
namespace {

using testing::Desktop;

// Runs GTK's main loop until nothing is pending, so what was asked of the X server is done.
void settle() {
  auto context = Glib::MainContext::get_default();
  for (int i = 0; i < 50; ++i) {
    while (context->iteration(false)) {
    }
    g_usleep(10000);
  }
}

void eachWidget(Gtk::Widget& widget, const std::function<void(Gtk::Widget&)>& visit) {
  visit(widget);
  if (auto* container = dynamic_cast<Gtk::Container*>(&widget)) {
    for (auto* child : container->get_children()) eachWidget(*child, visit);
  }
}

// The visible controls of `window` a keyboard can reach that have no name for screen readers.
std::vector<std::string> unnamedControls(Gtk::Window& window) {
  std::vector<std::string> unnamed;
  eachWidget(window, [&](Gtk::Widget& widget) {
    if (&widget == &window || !widget.get_can_focus() || !widget.is_visible()) return;
    if (widget.get_accessible()->get_name().empty())
      unnamed.push_back(G_OBJECT_TYPE_NAME(widget.gobj()));
  });
  return unnamed;
}

std::vector<Gtk::Label*> labels(Gtk::Window& window) {
  std::vector<Gtk::Label*> found;
  eachWidget(window, [&](Gtk::Widget& widget) {
    if (auto* label = dynamic_cast<Gtk::Label*>(&widget)) found.push_back(label);
  });
  return found;
}

std::vector<std::string> radioWords(Gtk::Window& window) {
  std::vector<std::string> words;
  eachWidget(window, [&](Gtk::Widget& widget) {
    if (auto* radio = dynamic_cast<Gtk::RadioButton*>(&widget)) words.push_back(radio->get_label());
  });
  return words;
}

bool showsPlainText(Gtk::Window& window, const std::string& text) {
  for (auto* label : labels(window)) {
    if (label->get_text() == text && !label->get_use_markup()) return true;
  }
  return false;
}

class NoticeWindowsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (const auto missing = testing::missingDesktopPrograms(); !missing.empty()) return;
    dir_ = new testing::TempDir;
    desktop_ = new Desktop(*dir_);
    // GTK starts with the application (its "startup"), which registering it runs.
    application_ =
        Gtk::Application::create("uk.clubsafe.NoticeWindowsTest", Gio::APPLICATION_NON_UNIQUE);
    application_->register_application();
  }
  static void TearDownTestSuite() {
    delete desktop_;
    delete dir_;
  }
  void SetUp() override {
    if (desktop_ == nullptr) {
      GTEST_SKIP() << "Not installed: " << testing::missingDesktopPrograms()
                   << " (scripts/install-deps.sh installs them).";
    }
  }

  static inline testing::TempDir* dir_ = nullptr;
  static inline Desktop* desktop_ = nullptr;
  static inline Glib::RefPtr<Gtk::Application> application_;
};

TEST_F(NoticeWindowsTest, TheNoticeIsPlainTextAndOnlyIUnderstandPutsItAway) {
  int understood = 0;
  MonitoringNoticeWindow window([&] { ++understood; });
  window.showNotice({"<b>Riverside</b> & Co", {"We record <i>the sites</i> you visit."}, "", "v1"});
  settle();
  EXPECT_TRUE(showsPlainText(window, "<b>Riverside</b> & Co"));
  EXPECT_TRUE(showsPlainText(window, "We record <i>the sites</i> you visit."));
  // No policy address: the words say whom to ask instead.
  EXPECT_TRUE(showsPlainText(window, std::string(kNoPolicyLink)));
  EXPECT_EQ(unnamedControls(window), std::vector<std::string>{});

  // "I understand" has the focus and is the default.
  auto* focused = window.get_focus();
  ASSERT_NE(focused, nullptr);
  EXPECT_EQ(focused->get_accessible()->get_name(), "I understand");
  EXPECT_TRUE(focused->has_default());

  window.close();  // the window manager's close
  settle();
  EXPECT_TRUE(window.is_visible());
  dynamic_cast<Gtk::Button*>(focused)->clicked();
  EXPECT_EQ(understood, 1);
}

TEST_F(NoticeWindowsTest, SigningInOffersTheAgeBandsInWordsAndCanBePutAway) {
  std::vector<std::string> sent;
  SignInWindow window(
      {[&](const std::string& name, const std::string& band) { sent.push_back(name + "/" + band); },
       [&](const std::string& pin) { sent.push_back("pin " + pin); }});
  window.open({"8-12", "13-17", "18+"});
  settle();
  EXPECT_EQ(radioWords(window), (std::vector<std::string>{"8 to 12", "13 to 17", "18 or older"}));
  EXPECT_EQ(unnamedControls(window), std::vector<std::string>{});
  ASSERT_NE(window.get_focus(), nullptr);
  EXPECT_EQ(window.get_focus()->get_accessible()->get_name(), "Your first name or member code");

  // An empty name is not sent; the problem is said in words.
  window.get_default_widget()->activate();  // as Enter does; the button is released a moment later
  settle();
  EXPECT_TRUE(sent.empty());
  EXPECT_TRUE(showsPlainText(window, "Please type your first name or your member code."));
  window.showProblem("Choose <b>one</b> of the age bands shown.");
  EXPECT_TRUE(showsPlainText(window, "Choose <b>one</b> of the age bands shown."));

  window.close();
  settle();
  EXPECT_FALSE(window.is_visible());
}

TEST_F(NoticeWindowsTest, TheOtherWindowsNameEveryControl) {
  IndicatorWindow indicator({[] {}, [] {}, [] {}, [] {}, [] {}});
  WorryWindow worry([](const std::string&, const std::string&) {});
  UnlockWindow unlock([](const UnlockRequest&) {});
  indicator.show();
  indicator.showNotAnswering();
  worry.open();
  unlock.open();
  settle();
  EXPECT_TRUE(showsPlainText(indicator, std::string(kAgentNotAnswering)));
  for (Gtk::Window* window : std::initializer_list<Gtk::Window*>{&indicator, &worry, &unlock}) {
    EXPECT_EQ(unnamedControls(*window), std::vector<std::string>{}) << window->get_title();
  }
  // The worry window: the five topics, CEOP's and Childline's details in view, nothing to send
  // until something is written.
  EXPECT_EQ(radioWords(worry).size(), 5U);
  EXPECT_FALSE(worry.get_default_widget()->is_sensitive());
  bool childline = false;
  for (auto* label : labels(worry)) {
    childline = childline || label->get_text().find("0800 1111") != Glib::ustring::npos;
  }
  EXPECT_TRUE(childline);
  worry.showProblem("The agent said <no>.");
  EXPECT_TRUE(showsPlainText(worry, "Your message was not sent. The agent said <no>."));
}

TEST_F(NoticeWindowsTest, ABlockNotificationIsPlainTextAndAsksForAReview) {
  std::vector<std::string> reviews;
  BlockNotifier notifier([&](const std::string& domain) { reviews.push_back(domain); });
  notifier.showBlocked({"casino.test", "gambling", "<b>gambling</b> & betting"});
  settle();
  ASSERT_EQ(desktop_->notificationsShown(), 1);
  // "Ask for a review" is the default action too: dunst's "do it" runs it.
  desktop_->invokeNotification();
  settle();
  EXPECT_EQ(reviews, std::vector<std::string>{"casino.test"});

  // What the notification service was given: the reason escaped, so it cannot be markup.
  const auto history = testing::runCommand("/usr/bin/dunstctl", {"history"});
  EXPECT_NE(history.output.find("casino.test was blocked"), std::string::npos) << history.output;
  EXPECT_NE(history.output.find("&lt;b&gt;gambling&lt;/b&gt; &amp; betting"), std::string::npos)
      << history.output;
}

}  // namespace
}  // namespace clubsafe::notice
