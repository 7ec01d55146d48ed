#pragma once

#include <gtkmm/box.h>
#include <gtkmm/button.h>
#include <gtkmm/entry.h>
#include <gtkmm/label.h>
#include <gtkmm/notebook.h>
#include <gtkmm/radiobutton.h>
#include <gtkmm/window.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

// N2: signing in on a shared account. Young people give their first name or member code and
// choose their age band; staff use the "Staff" tab and their PIN. Escape or closing puts it
// away: the laptop then filters as the club's default, and "Sign in" on the indicator brings it
// back.
namespace clubsafe::notice {

class SignInWindow : public Gtk::Window {
 public:
  struct Actions {
    std::function<void(const std::string& name, const std::string& ageBand)> signIn;
    std::function<void(const std::string& pin)> staffSignIn;
  };
  explicit SignInWindow(Actions actions);

  // Empties the fields, offers these age bands and shows the window.
  void open(const std::vector<std::string>& ageBands);
  // The agent's refusal, beside the field of the tab in use.
  void showProblem(const std::string& words);

 private:
  void memberPressed();
  void staffPressed();
  void pageChanged(guint page);

  Actions actions_;
  Gtk::Box outer_{Gtk::ORIENTATION_VERTICAL, 12};
  Gtk::Label title_;
  Gtk::Notebook tabs_;

  Gtk::Box memberPage_{Gtk::ORIENTATION_VERTICAL, 10};
  Gtk::Label nameLabel_{"Your _first name or member code", true};
  Gtk::Entry name_;
  Gtk::Label nameProblem_;
  Gtk::Label ageLabel_{"How old are you?"};
  Gtk::Box ages_{Gtk::ORIENTATION_VERTICAL, 4};
  std::vector<std::unique_ptr<Gtk::RadioButton>> ageButtons_;
  std::vector<std::string> ageBands_;
  Gtk::Button memberButton_{"_Sign in", true};

  Gtk::Box staffPage_{Gtk::ORIENTATION_VERTICAL, 10};
  Gtk::Label pinLabel_{"Your staff _PIN", true};
  Gtk::Entry pin_;
  Gtk::Label pinProblem_;
  Gtk::Button staffButton_{"Sign in as _staff", true};
};

}  // namespace clubsafe::notice
