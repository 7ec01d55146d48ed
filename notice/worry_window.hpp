#pragma once

#include <gtkmm/box.h>
#include <gtkmm/button.h>
#include <gtkmm/frame.h>
#include <gtkmm/label.h>
#include <gtkmm/linkbutton.h>
#include <gtkmm/radiobutton.h>
#include <gtkmm/scrolledwindow.h>
#include <gtkmm/textview.h>
#include <gtkmm/window.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

// N4: "Report a worry", a private message to the club's Designated Safeguarding Lead, with
// CEOP's and Childline's details always in view for whoever would rather talk to them.
namespace clubsafe::notice {

class WorryWindow : public Gtk::Window {
 public:
  // `about` is a topic's wire id (common::notice::kWorryTopics).
  explicit WorryWindow(
      std::function<void(const std::string& about, const std::string& message)> send);

  void open();
  void showSent();
  void showProblem(const std::string& words);

 private:
  void messageChanged();
  void sendPressed();

  std::function<void(const std::string&, const std::string&)> send_;
  Gtk::Box box_{Gtk::ORIENTATION_VERTICAL, 10};
  Gtk::Box columns_{Gtk::ORIENTATION_HORIZONTAL, 24};
  Gtk::Box form_{Gtk::ORIENTATION_VERTICAL, 8};
  Gtk::Frame help_;
  Gtk::Box helpBox_{Gtk::ORIENTATION_VERTICAL, 8};
  Gtk::Label title_;
  Gtk::Label intro_;
  Gtk::Label aboutLabel_{"What is it about?"};
  Gtk::Box topics_{Gtk::ORIENTATION_VERTICAL, 4};
  std::vector<std::unique_ptr<Gtk::RadioButton>> topicButtons_;
  Gtk::Label messageLabel_{"Your _message", true};
  Gtk::ScrolledWindow messageScroll_;
  Gtk::TextView message_;
  Gtk::Label left_;
  Gtk::Label result_;
  Gtk::Box buttons_{Gtk::ORIENTATION_HORIZONTAL, 8};
  Gtk::Button closeButton_{"_Close", true};
  Gtk::Button sendButton_{"Send to the safeguarding _lead", true};
  Gtk::Label helpTitle_;
  Gtk::Label ceopWords_;
  Gtk::LinkButton ceopLink_;
  Gtk::Label childlineWords_;
  Gtk::LinkButton childlineLink_;
};

}  // namespace clubsafe::notice
