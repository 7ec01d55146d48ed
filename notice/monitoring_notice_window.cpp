#include "notice/monitoring_notice_window.hpp"

#include "notice/look.hpp"
#include "notice/plain_words.hpp"

#include <utility>

namespace clubsafe::notice {

MonitoringNoticeWindow::MonitoringNoticeWindow(std::function<void()> understood)
    : understood_(std::move(understood)) {
  set_title("Please read: this laptop is monitored");
  set_position(Gtk::WIN_POS_CENTER);
  set_type_hint(Gdk::WINDOW_TYPE_HINT_DIALOG);
  set_keep_above(true);
  set_deletable(false);
  set_resizable(false);

  useLargeText(box_);
  box_.set_border_width(24);
  setUpTextLabel(title_);
  useTitleText(title_);
  setUpTextLabel(lead_, "Please read this before you use the laptop.");
  setUpTextLabel(noPolicy_, std::string(kNoPolicyLink));
  setUpTextLabel(problem_);
  useProblemText(problem_);
  policyLink_.set_label("Read the club's online-safety policy");
  policyLink_.set_halign(Gtk::ALIGN_START);
  describe(policyLink_, "The club's online-safety policy", "Opens the policy in the web browser");
  understoodButton_.set_halign(Gtk::ALIGN_END);
  understoodButton_.set_can_default(true);
  describe(understoodButton_, "I understand",
           "Says that you have read how this laptop is monitored");
  understoodButton_.signal_clicked().connect([this] { understood_(); });

  box_.pack_start(title_, Gtk::PACK_SHRINK);
  box_.pack_start(lead_, Gtk::PACK_SHRINK);
  box_.pack_start(paragraphs_, Gtk::PACK_SHRINK);
  box_.pack_start(policyLink_, Gtk::PACK_SHRINK);
  box_.pack_start(noPolicy_, Gtk::PACK_SHRINK);
  box_.pack_start(problem_, Gtk::PACK_SHRINK);
  box_.pack_start(understoodButton_, Gtk::PACK_SHRINK);
  add(box_);
  box_.show_all();
  set_default(understoodButton_);
}

void MonitoringNoticeWindow::showNotice(const NoticeText& notice) {
  title_.set_text(notice.clubName);
  describe(title_, notice.clubName);
  for (auto& label : paragraphLabels_) paragraphs_.remove(*label);
  paragraphLabels_.clear();
  for (const auto& paragraph : notice.paragraphs) {
    auto label = std::make_unique<Gtk::Label>();
    setUpTextLabel(*label, paragraph);
    paragraphs_.pack_start(*label, Gtk::PACK_SHRINK);
    label->show();
    paragraphLabels_.push_back(std::move(label));
  }
  policyLink_.set_uri(notice.policyUrl);
  policyLink_.set_visible(!notice.policyUrl.empty());
  noPolicy_.set_visible(notice.policyUrl.empty());
  problem_.hide();
  present();
  understoodButton_.grab_focus();
}

void MonitoringNoticeWindow::showProblem(const std::string& words) {
  problem_.set_text(words);
  problem_.show();
  understoodButton_.grab_focus();
}

bool MonitoringNoticeWindow::on_delete_event(GdkEventAny*) {
  return true;
}

}  // namespace clubsafe::notice
