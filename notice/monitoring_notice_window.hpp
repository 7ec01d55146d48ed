#pragma once

#include "notice/agent_messages.hpp"

#include <gtkmm/box.h>
#include <gtkmm/button.h>
#include <gtkmm/label.h>
#include <gtkmm/linkbutton.h>
#include <gtkmm/window.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

// N1: the monitoring notice, shown at every start. It has one way out, "I understand" (focused
// and the default, so Enter or Space presses it); the window manager's close and Escape do
// nothing, so the acknowledgement means it was read. Nobody is trapped: the one button is
// always there to press with the keyboard.
namespace clubsafe::notice {

class MonitoringNoticeWindow : public Gtk::Window {
 public:
  explicit MonitoringNoticeWindow(std::function<void()> understood);

  void showNotice(const NoticeText& notice);
  void showProblem(const std::string& words);

 protected:
  bool on_delete_event(GdkEventAny* event) override;

 private:
  std::function<void()> understood_;
  Gtk::Box box_{Gtk::ORIENTATION_VERTICAL, 12};
  Gtk::Label title_;
  Gtk::Label lead_;
  Gtk::Box paragraphs_{Gtk::ORIENTATION_VERTICAL, 8};
  std::vector<std::unique_ptr<Gtk::Label>> paragraphLabels_;
  Gtk::LinkButton policyLink_;
  Gtk::Label noPolicy_;
  Gtk::Label problem_;
  Gtk::Button understoodButton_{"I _understand", true};
};

}  // namespace clubsafe::notice
