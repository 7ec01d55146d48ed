#include "notice/indicator_window.hpp"

#include "notice/look.hpp"
#include "notice/plain_words.hpp"

#include <gdkmm/display.h>
#include <gdkmm/monitor.h>

#include <utility>

namespace clubsafe::notice {

IndicatorWindow::IndicatorWindow(Actions actions) : actions_(std::move(actions)) {
  set_title("clubsafe: monitoring is on");
  set_decorated(false);
  set_keep_above(true);
  set_resizable(false);
  set_type_hint(Gdk::WINDOW_TYPE_HINT_UTILITY);
  set_focus_on_map(false);
  stick();

  box_.get_style_context()->add_class("clubsafe-indicator");
  box_.set_border_width(6);
  for (auto* label : {&status_, &overrides_}) {
    label->set_use_markup(false);
    label->set_xalign(0.0F);
    label->set_line_wrap(true);
    label->set_max_width_chars(40);
  }
  status_.set_text("Monitoring is on.");
  menuButton_.set_label("_Menu");
  menuButton_.set_use_underline(true);
  describe(menuButton_, "clubsafe menu",
           "Sign in or out, report a worry, unlock a site, or see what is recorded");

  signInItem_.signal_activate().connect([this] { actions_.signIn(); });
  signOutItem_.signal_activate().connect([this] { actions_.signOut(); });
  worryItem_.signal_activate().connect([this] { actions_.reportWorry(); });
  unlockItem_.signal_activate().connect([this] { actions_.unlockSite(); });
  noticeItem_.signal_activate().connect([this] { actions_.showNotice(); });
  describe(signInItem_, "Sign in", "Tell the laptop who is using it");
  describe(signOutItem_, "Sign out", "Sign out when you have finished");
  describe(worryItem_, "Report a worry", "Send a private message to the club's safeguarding lead");
  describe(unlockItem_, "Unlock a site, for youth workers",
           "A youth worker unlocks a site for a while with their PIN");
  describe(noticeItem_, "What is recorded", "Shows the monitoring notice again");
  for (auto* item : {&signInItem_, &signOutItem_, &worryItem_, &unlockItem_, &noticeItem_}) {
    menu_.append(*item);
  }
  menu_.show_all();
  signOutItem_.hide();
  menuButton_.set_popup(menu_);

  words_.pack_start(status_, Gtk::PACK_SHRINK);
  words_.pack_start(overrides_, Gtk::PACK_SHRINK);
  box_.pack_start(words_);
  box_.pack_start(menuButton_, Gtk::PACK_SHRINK);
  add(box_);
  box_.show_all();
  overrides_.hide();
  // The window grows and shrinks with its text; it stays in the corner.
  signal_size_allocate().connect([this](Gtk::Allocation&) { placeInCorner(); }, true);
}

void IndicatorWindow::showState(const SessionState& state) {
  status_.set_text(indicatorWords(state));
  describe(status_, indicatorWords(state));
  signInItem_.set_visible(!state.signedIn());
  signOutItem_.set_visible(state.signedIn());
  std::string unlocked;
  for (const auto& override : state.overrides) {
    unlocked += (unlocked.empty() ? "Unlocked: " : ", ") + override;
  }
  overrides_.set_text(unlocked);
  overrides_.set_visible(!unlocked.empty());
  for (auto* item : {&signInItem_, &signOutItem_, &worryItem_, &unlockItem_}) {
    item->set_sensitive(true);
  }
  resize(1, 1);
}

void IndicatorWindow::showNotAnswering() {
  status_.set_text(std::string(kAgentNotAnswering));
  describe(status_, std::string(kAgentNotAnswering));
  overrides_.hide();
  // Nothing in the menu can work without the agent, but "What is recorded" still can.
  for (auto* item : {&signInItem_, &signOutItem_, &worryItem_, &unlockItem_}) {
    item->set_sensitive(false);
  }
  resize(1, 1);
}

void IndicatorWindow::placeInCorner() {
  const auto display = Gdk::Display::get_default();
  auto monitor = display->get_primary_monitor();
  if (!monitor) monitor = display->get_monitor(0);
  if (!monitor) return;
  Gdk::Rectangle area;
  monitor->get_workarea(area);
  constexpr int kMargin = 8;
  int width = 0;
  int height = 0;
  get_size(width, height);
  const int x = area.get_x() + area.get_width() - width - kMargin;
  const int y = area.get_y() + area.get_height() - height - kMargin;
  int nowX = 0;
  int nowY = 0;
  get_position(nowX, nowY);
  if (nowX != x || nowY != y) move(x, y);
}

}  // namespace clubsafe::notice
