#pragma once

#include "notice/agent_messages.hpp"

#include <gtkmm/box.h>
#include <gtkmm/label.h>
#include <gtkmm/menu.h>
#include <gtkmm/menubutton.h>
#include <gtkmm/menuitem.h>
#include <gtkmm/window.h>

#include <functional>

// The always-visible indicator: a small undecorated window kept above the others in the
// bottom-right corner (no tray is assumed: many desktops no longer have one), saying that
// monitoring is on and who is signed in, with the menu of everything else.
namespace clubsafe::notice {

class IndicatorWindow : public Gtk::Window {
 public:
  struct Actions {
    std::function<void()> signIn;
    std::function<void()> signOut;
    std::function<void()> reportWorry;
    std::function<void()> unlockSite;
    std::function<void()> showNotice;
  };
  explicit IndicatorWindow(Actions actions);

  void showState(const SessionState& state);
  void showNotAnswering();
  // Puts the window in the bottom-right corner of the main screen's work area.
  void placeInCorner();

 private:
  Actions actions_;
  Gtk::Box box_{Gtk::ORIENTATION_HORIZONTAL, 8};
  Gtk::Box words_{Gtk::ORIENTATION_VERTICAL, 2};
  Gtk::Label status_;
  Gtk::Label overrides_;
  Gtk::MenuButton menuButton_;
  Gtk::Menu menu_;
  Gtk::MenuItem signInItem_{"Sign _in", true};
  Gtk::MenuItem signOutItem_{"Sign _out", true};
  Gtk::MenuItem worryItem_{"Report a _worry", true};
  Gtk::MenuItem unlockItem_{"_Unlock a site (for youth workers)", true};
  Gtk::MenuItem noticeItem_{"What is _recorded", true};
};

}  // namespace clubsafe::notice
