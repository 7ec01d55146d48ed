#include "notice/unlock_window.hpp"

#include "common/notice_protocol.hpp"
#include "notice/look.hpp"
#include "notice/plain_words.hpp"

#include <array>
#include <utility>

namespace clubsafe::notice {
namespace {

namespace protocol = common::notice;

constexpr std::array<std::int64_t, 5> kDurations{15, 30, 60, 120, 240};
static_assert(kDurations.back() <= protocol::kMaxOverrideMinutes);

bool blank(const std::string& text) {
  return text.find_first_not_of(" \t") == std::string::npos;
}

}  // namespace

UnlockWindow::UnlockWindow(std::function<void(const UnlockRequest&)> unlock)
    : unlock_(std::move(unlock)) {
  set_title("Unlock a site (for youth workers)");
  set_position(Gtk::WIN_POS_CENTER);
  set_type_hint(Gdk::WINDOW_TYPE_HINT_DIALOG);
  set_keep_above(true);
  hideWhenClosed(*this);
  set_resizable(false);

  useLargeText(box_);
  box_.set_border_width(24);
  setUpTextLabel(title_, "Unlock a site for a while (youth workers only)");
  useTitleText(title_);

  pin_.set_visibility(false);
  pin_.set_input_purpose(Gtk::INPUT_PURPOSE_PIN);
  pin_.set_max_length(static_cast<int>(protocol::kMaxPinLength));
  // Enter in any field unlocks, as the button does.
  for (auto* entry : {&pin_, &target_, &reason_}) entry->set_activates_default(true);
  describe(pin_, "Your staff PIN", "The letters you type are hidden");
  categoryButton_.join_group(siteButton_);
  describe(siteButton_, "Unlock one site");
  describe(categoryButton_, "Unlock a whole category");
  scopes_.pack_start(siteButton_, Gtk::PACK_SHRINK);
  scopes_.pack_start(categoryButton_, Gtk::PACK_SHRINK);
  target_.set_max_length(253);
  target_.set_placeholder_text("for example: example.com");
  describe(target_, "Site or category name", "For example example.com, or a category's name");
  reason_.set_max_length(static_cast<int>(protocol::kMaxReasonLength));
  describe(reason_, "Reason", "Why it is unlocked; it is kept in the club's records");
  for (const auto minutes : kDurations) {
    duration_.append(std::to_string(minutes), durationWords(minutes));
  }
  duration_.set_active(0);
  describe(duration_, "For how long", "The site is locked again by itself after this time");

  int row = 0;
  for (auto [label, field] : std::array<std::pair<Gtk::Label*, Gtk::Widget*>, 5>{{
           {&pinLabel_, &pin_},
           {&scopeLabel_, &scopes_},
           {&targetLabel_, &target_},
           {&reasonLabel_, &reason_},
           {&durationLabel_, &duration_},
       }}) {
    label->set_xalign(0.0F);
    if (label->get_use_underline()) label->set_mnemonic_widget(*field);
    field->set_hexpand(true);
    grid_.attach(*label, 0, row);
    grid_.attach(*field, 1, row);
    ++row;
  }
  grid_.set_row_spacing(10);
  grid_.set_column_spacing(12);
  setUpTextLabel(result_);

  unlockButton_.set_can_default(true);
  describe(unlockButton_, "Unlock", "Unlocks it on this laptop for the time chosen");
  describe(closeButton_, "Close");
  unlockButton_.signal_clicked().connect([this] { unlockPressed(); });
  closeButton_.signal_clicked().connect([this] { hide(); });
  buttons_.set_halign(Gtk::ALIGN_END);
  buttons_.pack_start(closeButton_, Gtk::PACK_SHRINK);
  buttons_.pack_start(unlockButton_, Gtk::PACK_SHRINK);

  box_.pack_start(title_, Gtk::PACK_SHRINK);
  box_.pack_start(grid_, Gtk::PACK_SHRINK);
  box_.pack_start(result_, Gtk::PACK_SHRINK);
  box_.pack_start(buttons_, Gtk::PACK_SHRINK);
  add(box_);
  box_.show_all();
  set_default(unlockButton_);
}

void UnlockWindow::open() {
  pin_.set_text("");
  result_.hide();
  present();
  pin_.grab_focus();
}

void UnlockWindow::showDone(const UnlockRequest& request) {
  pin_.set_text("");
  result_.get_style_context()->remove_class("clubsafe-problem");
  useDoneText(result_);
  result_.set_text("Unlocked: " + request.target + " for " + durationWords(request.minutes) +
                   ". It locks again by itself.");
  result_.show();
  closeButton_.grab_focus();
}

void UnlockWindow::showProblem(const std::string& words) {
  result_.get_style_context()->remove_class("clubsafe-done");
  useProblemText(result_);
  result_.set_text("Not unlocked. " + words);
  result_.show();
  pin_.grab_focus();
}

void UnlockWindow::unlockPressed() {
  UnlockRequest request{pin_.get_text(), siteButton_.get_active() ? "domain" : "category",
                        target_.get_text(), 0, reason_.get_text()};
  if (request.pin.size() < protocol::kMinPinLength) {
    showProblem(shortPinWords());
    return;
  }
  if (blank(request.target)) {
    showProblem("Please type the site or the category to unlock.");
    return;
  }
  if (blank(request.reason)) {
    showProblem("Please say why it is unlocked: it is kept in the club's records.");
    return;
  }
  request.minutes = std::stoll(duration_.get_active_id());
  unlock_(request);
}

}  // namespace clubsafe::notice
