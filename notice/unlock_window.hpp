#pragma once

#include <gtkmm/box.h>
#include <gtkmm/button.h>
#include <gtkmm/comboboxtext.h>
#include <gtkmm/entry.h>
#include <gtkmm/grid.h>
#include <gtkmm/label.h>
#include <gtkmm/radiobutton.h>
#include <gtkmm/window.h>

#include <cstdint>
#include <functional>
#include <string>

// F7: a youth worker unlocks one site or one category on this laptop for a while, with their
// PIN and a reason. The agent checks the PIN and refuses what can never be unlocked; its
// refusal is shown as it says it.
namespace clubsafe::notice {

struct UnlockRequest {
  std::string pin;
  std::string scope;  // "domain" or "category"
  std::string target;
  std::int64_t minutes = 0;
  std::string reason;
};

class UnlockWindow : public Gtk::Window {
 public:
  explicit UnlockWindow(std::function<void(const UnlockRequest&)> unlock);

  void open();
  void showDone(const UnlockRequest& request);
  void showProblem(const std::string& words);

 private:
  void unlockPressed();

  std::function<void(const UnlockRequest&)> unlock_;
  Gtk::Box box_{Gtk::ORIENTATION_VERTICAL, 12};
  Gtk::Label title_;
  Gtk::Grid grid_;
  Gtk::Label pinLabel_{"Your staff _PIN", true};
  Gtk::Entry pin_;
  Gtk::Label scopeLabel_{"What to unlock"};
  Gtk::Box scopes_{Gtk::ORIENTATION_HORIZONTAL, 12};
  Gtk::RadioButton siteButton_{"One _site", true};
  Gtk::RadioButton categoryButton_{"A _category", true};
  Gtk::Label targetLabel_{"Site or category _name", true};
  Gtk::Entry target_;
  Gtk::Label reasonLabel_{"_Reason", true};
  Gtk::Entry reason_;
  Gtk::Label durationLabel_{"For _how long", true};
  Gtk::ComboBoxText duration_;
  Gtk::Label result_;
  Gtk::Box buttons_{Gtk::ORIENTATION_HORIZONTAL, 8};
  Gtk::Button closeButton_{"_Close", true};
  Gtk::Button unlockButton_{"_Unlock", true};
};

}  // namespace clubsafe::notice
