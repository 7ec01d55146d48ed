#include "notice/sign_in_window.hpp"

#include "common/notice_protocol.hpp"
#include "notice/look.hpp"
#include "notice/plain_words.hpp"

#include <utility>

namespace clubsafe::notice {
namespace {

namespace protocol = common::notice;

}  // namespace

SignInWindow::SignInWindow(Actions actions) : actions_(std::move(actions)) {
  set_title("Sign in");
  set_position(Gtk::WIN_POS_CENTER);
  set_type_hint(Gdk::WINDOW_TYPE_HINT_DIALOG);
  set_keep_above(true);
  hideWhenClosed(*this);
  set_resizable(false);

  useLargeText(outer_);
  outer_.set_border_width(24);
  setUpTextLabel(title_, "Who is using this laptop?");
  useTitleText(title_);

  for (auto* label : {&nameLabel_, &ageLabel_, &pinLabel_}) label->set_xalign(0.0F);
  nameLabel_.set_mnemonic_widget(name_);
  name_.set_max_length(static_cast<int>(protocol::kMaxNameLength));
  name_.set_activates_default(true);
  describe(name_, "Your first name or member code");
  setUpTextLabel(nameProblem_);
  useProblemText(nameProblem_);
  describe(ages_, "How old are you?");
  memberButton_.set_can_default(true);
  memberButton_.set_halign(Gtk::ALIGN_END);
  describe(memberButton_, "Sign in", "Signs you in with your name and age");
  memberButton_.signal_clicked().connect([this] { memberPressed(); });
  memberPage_.set_border_width(12);
  memberPage_.pack_start(nameLabel_, Gtk::PACK_SHRINK);
  memberPage_.pack_start(name_, Gtk::PACK_SHRINK);
  memberPage_.pack_start(nameProblem_, Gtk::PACK_SHRINK);
  memberPage_.pack_start(ageLabel_, Gtk::PACK_SHRINK);
  memberPage_.pack_start(ages_, Gtk::PACK_SHRINK);
  memberPage_.pack_start(memberButton_, Gtk::PACK_SHRINK);

  pinLabel_.set_mnemonic_widget(pin_);
  pin_.set_visibility(false);
  pin_.set_input_purpose(Gtk::INPUT_PURPOSE_PIN);
  pin_.set_max_length(static_cast<int>(protocol::kMaxPinLength));
  pin_.set_activates_default(true);
  describe(pin_, "Your staff PIN", "The letters you type are hidden");
  setUpTextLabel(pinProblem_);
  useProblemText(pinProblem_);
  staffButton_.set_can_default(true);
  staffButton_.set_halign(Gtk::ALIGN_END);
  describe(staffButton_, "Sign in as staff", "Signs a youth worker in with their PIN");
  staffButton_.signal_clicked().connect([this] { staffPressed(); });
  staffPage_.set_border_width(12);
  staffPage_.pack_start(pinLabel_, Gtk::PACK_SHRINK);
  staffPage_.pack_start(pin_, Gtk::PACK_SHRINK);
  staffPage_.pack_start(pinProblem_, Gtk::PACK_SHRINK);
  staffPage_.pack_start(staffButton_, Gtk::PACK_SHRINK);

  tabs_.append_page(memberPage_, "_Young people", true);
  tabs_.append_page(staffPage_, "S_taff", true);
  describe(tabs_, "Who is signing in", "Young people, or staff with a PIN");
  tabs_.signal_switch_page().connect([this](Gtk::Widget*, guint page) { pageChanged(page); });

  outer_.pack_start(title_, Gtk::PACK_SHRINK);
  outer_.pack_start(tabs_);
  add(outer_);
  outer_.show_all();
  set_default(memberButton_);
}

void SignInWindow::open(const std::vector<std::string>& ageBands) {
  name_.set_text("");
  pin_.set_text("");
  nameProblem_.hide();
  pinProblem_.hide();
  for (auto& button : ageButtons_) ages_.remove(*button);
  ageButtons_.clear();
  ageBands_ = ageBands;
  Gtk::RadioButton::Group group;
  for (const auto& band : ageBands_) {
    auto button = std::make_unique<Gtk::RadioButton>(group, ageBandWords(band));
    describe(*button, ageBandWords(band) + " years old");
    ages_.pack_start(*button, Gtk::PACK_SHRINK);
    button->show();
    ageButtons_.push_back(std::move(button));
  }
  ageLabel_.set_visible(!ageBands_.empty());
  tabs_.set_current_page(0);
  present();
  name_.grab_focus();
}

void SignInWindow::showProblem(const std::string& words) {
  auto& label = tabs_.get_current_page() == 0 ? nameProblem_ : pinProblem_;
  label.set_text(words);
  label.show();
  (tabs_.get_current_page() == 0 ? name_ : pin_).grab_focus();
}

void SignInWindow::memberPressed() {
  const std::string name = name_.get_text();
  if (name.find_first_not_of(" \t") == std::string::npos) {
    showProblem("Please type your first name or your member code.");
    return;
  }
  std::string band;
  for (std::size_t i = 0; i < ageButtons_.size(); ++i) {
    if (ageButtons_[i]->get_active()) band = ageBands_[i];
  }
  nameProblem_.hide();
  actions_.signIn(name, band);
}

void SignInWindow::staffPressed() {
  const std::string pin = pin_.get_text();
  if (pin.size() < protocol::kMinPinLength) {
    showProblem(shortPinWords());
    return;
  }
  pinProblem_.hide();
  actions_.staffSignIn(pin);
}

// Each tab starts in its first field, so the keyboard goes on where the eye does.
void SignInWindow::pageChanged(guint page) {
  set_default(page == 0 ? memberButton_ : staffButton_);
  (page == 0 ? name_ : pin_).grab_focus();
}

}  // namespace clubsafe::notice
