#include "notice/look.hpp"

#include <atkmm/object.h>
#include <gdk/gdkkeysyms.h>
#include <gdkmm/screen.h>
#include <gtkmm/cssprovider.h>
#include <gtkmm/stylecontext.h>

namespace clubsafe::notice {
namespace {

// Points, not pixels: GTK turns points into pixels with the desktop's font DPI, which is what
// the large-text setting changes.
constexpr const char* kStyle = R"css(
.clubsafe { font-size: 14pt; }
.clubsafe-title { font-size: 20pt; font-weight: bold; }
.clubsafe-heading { font-weight: bold; }
.clubsafe-problem { color: #a40000; font-weight: bold; }
.clubsafe-done { color: #1e6b1e; font-weight: bold; }
.clubsafe-indicator { font-size: 12pt; padding: 4px; }
)css";

}  // namespace

void installStyle() {
  auto provider = Gtk::CssProvider::create();
  provider->load_from_data(kStyle);
  Gtk::StyleContext::add_provider_for_screen(Gdk::Screen::get_default(), provider,
                                             GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

void useLargeText(Gtk::Widget& widget) {
  widget.get_style_context()->add_class("clubsafe");
}

void useTitleText(Gtk::Label& label) {
  label.get_style_context()->add_class("clubsafe-title");
}

void useProblemText(Gtk::Label& label) {
  label.get_style_context()->add_class("clubsafe-problem");
  label.get_accessible()->set_role(Atk::ROLE_ALERT);
}

void useDoneText(Gtk::Label& label) {
  label.get_style_context()->add_class("clubsafe-done");
  label.get_accessible()->set_role(Atk::ROLE_ALERT);
}

void describe(Gtk::Widget& widget, const std::string& name, const std::string& description) {
  const auto accessible = widget.get_accessible();
  accessible->set_name(name);
  if (!description.empty()) accessible->set_description(description);
}

void hideWhenClosed(Gtk::Window& window) {
  window.signal_key_press_event().connect(
      [&window](GdkEventKey* event) {
        if (event->keyval != GDK_KEY_Escape) return false;
        window.hide();
        return true;
      },
      false);
  window.signal_delete_event().connect([&window](GdkEventAny*) {
    window.hide();
    return true;
  });
}

void setUpTextLabel(Gtk::Label& label, const std::string& text) {
  label.set_use_markup(false);
  label.set_text(text);
  label.set_line_wrap(true);
  label.set_max_width_chars(60);
  label.set_xalign(0.0F);
}

}  // namespace clubsafe::notice
