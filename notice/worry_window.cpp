#include "notice/worry_window.hpp"

#include "common/notice_protocol.hpp"
#include "notice/look.hpp"

#include <utility>

namespace clubsafe::notice {
namespace {

namespace protocol = common::notice;

constexpr const char* kCeopUrl = "https://www.ceop.police.uk/Safety-Centre/";
constexpr const char* kChildlineUrl = "https://www.childline.org.uk";

}  // namespace

WorryWindow::WorryWindow(std::function<void(const std::string&, const std::string&)> send)
    : send_(std::move(send)) {
  set_title("Report a worry");
  set_position(Gtk::WIN_POS_CENTER);
  set_type_hint(Gdk::WINDOW_TYPE_HINT_DIALOG);
  set_keep_above(true);
  hideWhenClosed(*this);

  useLargeText(box_);
  box_.set_border_width(24);
  setUpTextLabel(title_, "Report a worry");
  useTitleText(title_);
  setUpTextLabel(intro_,
                 "You can tell the club's safeguarding lead about anything that worries you. "
                 "They are the person at the club whose job is to keep young people safe. Only "
                 "they will read your message.");
  for (auto* label : {&aboutLabel_, &messageLabel_}) label->set_xalign(0.0F);
  describe(topics_, "What is it about?");
  Gtk::RadioButton::Group group;
  for (const auto& topic : protocol::kWorryTopics) {
    auto button = std::make_unique<Gtk::RadioButton>(group, std::string(topic.words));
    describe(*button, std::string(topic.words));
    topics_.pack_start(*button, Gtk::PACK_SHRINK);
    topicButtons_.push_back(std::move(button));
  }

  messageLabel_.set_mnemonic_widget(message_);
  message_.set_wrap_mode(Gtk::WRAP_WORD_CHAR);
  // Tab moves on to the next control, so the keyboard never gets stuck in the box.
  message_.set_accepts_tab(false);
  describe(message_, "Your message", "Write what is worrying you");
  message_.get_buffer()->signal_changed().connect([this] { messageChanged(); });
  messageScroll_.set_policy(Gtk::POLICY_NEVER, Gtk::POLICY_AUTOMATIC);
  messageScroll_.set_min_content_height(100);
  messageScroll_.set_shadow_type(Gtk::SHADOW_IN);
  messageScroll_.add(message_);
  describe(messageScroll_, "Your message");
  setUpTextLabel(left_);
  setUpTextLabel(result_);

  sendButton_.set_can_default(true);
  describe(sendButton_, "Send to the safeguarding lead", "Sends your message privately");
  describe(closeButton_, "Close");
  sendButton_.signal_clicked().connect([this] { sendPressed(); });
  closeButton_.signal_clicked().connect([this] { hide(); });
  buttons_.set_halign(Gtk::ALIGN_END);
  buttons_.pack_start(closeButton_, Gtk::PACK_SHRINK);
  buttons_.pack_start(sendButton_, Gtk::PACK_SHRINK);

  setUpTextLabel(helpTitle_, "You can also get help here, at any time:");
  helpTitle_.get_style_context()->add_class("clubsafe-heading");
  intro_.set_max_width_chars(45);
  setUpTextLabel(ceopWords_,
                 "CEOP (part of the police) helps if someone online is making you feel unsafe "
                 "or asking you to do things you do not want to do.");
  ceopLink_.set_uri(kCeopUrl);
  ceopLink_.set_label("www.ceop.police.uk/Safety-Centre");
  ceopLink_.set_halign(Gtk::ALIGN_START);
  describe(ceopLink_, "CEOP Safety Centre", "Opens CEOP's website to report something");
  setUpTextLabel(childlineWords_,
                 "Childline: talk to someone about anything. Call 0800 1111 for free, any time, "
                 "or go to their website.");
  for (auto* label : {&helpTitle_, &ceopWords_, &childlineWords_}) {
    label->set_max_width_chars(30);
  }
  childlineLink_.set_uri(kChildlineUrl);
  childlineLink_.set_label("www.childline.org.uk");
  childlineLink_.set_halign(Gtk::ALIGN_START);
  describe(childlineLink_, "Childline website", "Childline's phone number is 0800 1111");

  form_.pack_start(intro_, Gtk::PACK_SHRINK);
  form_.pack_start(aboutLabel_, Gtk::PACK_SHRINK);
  form_.pack_start(topics_, Gtk::PACK_SHRINK);
  form_.pack_start(messageLabel_, Gtk::PACK_SHRINK);
  form_.pack_start(messageScroll_);
  form_.pack_start(left_, Gtk::PACK_SHRINK);
  form_.pack_start(result_, Gtk::PACK_SHRINK);
  form_.pack_start(buttons_, Gtk::PACK_SHRINK);
  // Beside the form, not below it, so it is in view on a small screen too.
  helpBox_.set_border_width(12);
  helpBox_.pack_start(helpTitle_, Gtk::PACK_SHRINK);
  helpBox_.pack_start(ceopWords_, Gtk::PACK_SHRINK);
  helpBox_.pack_start(ceopLink_, Gtk::PACK_SHRINK);
  helpBox_.pack_start(childlineWords_, Gtk::PACK_SHRINK);
  helpBox_.pack_start(childlineLink_, Gtk::PACK_SHRINK);
  help_.add(helpBox_);
  help_.set_valign(Gtk::ALIGN_START);
  describe(help_, "Other places to get help");
  columns_.pack_start(form_);
  columns_.pack_start(help_, Gtk::PACK_SHRINK);
  box_.pack_start(title_, Gtk::PACK_SHRINK);
  box_.pack_start(columns_);
  add(box_);
  box_.show_all();
  set_default(sendButton_);
}

// What was typed stays until it is sent, so closing the window by mistake loses nothing.
void WorryWindow::open() {
  result_.hide();
  messageChanged();
  present();
  topicButtons_.front()->grab_focus();
}

void WorryWindow::showSent() {
  message_.get_buffer()->set_text("");
  result_.get_style_context()->remove_class("clubsafe-problem");
  useDoneText(result_);
  result_.set_text(
      "Thank you for telling us. Your message has gone to the club's safeguarding lead. "
      "You can close this window now.");
  result_.show();
  closeButton_.grab_focus();
}

void WorryWindow::showProblem(const std::string& words) {
  result_.get_style_context()->remove_class("clubsafe-done");
  useProblemText(result_);
  result_.set_text("Your message was not sent. " + words);
  result_.show();
  message_.grab_focus();
}

void WorryWindow::messageChanged() {
  // Characters, as the agent counts them.
  const auto used = message_.get_buffer()->get_text().size();
  if (used > protocol::kMaxWorryLength) {
    left_.set_text("Your message is " + std::to_string(used - protocol::kMaxWorryLength) +
                   " letters too long. Please make it shorter.");
  } else {
    left_.set_text("You can write " + std::to_string(protocol::kMaxWorryLength - used) +
                   " more letters.");
  }
  sendButton_.set_sensitive(used > 0 && used <= protocol::kMaxWorryLength);
}

void WorryWindow::sendPressed() {
  std::string about;
  for (std::size_t i = 0; i < topicButtons_.size(); ++i) {
    if (topicButtons_[i]->get_active()) about = std::string(protocol::kWorryTopics.at(i).id);
  }
  send_(about, message_.get_buffer()->get_text());
}

}  // namespace clubsafe::notice
