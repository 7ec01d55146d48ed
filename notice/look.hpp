#pragma once

#include <gtkmm/label.h>
#include <gtkmm/widget.h>
#include <gtkmm/window.h>

#include <string>

// What every window of the notice program shares: large text that still follows the desktop's
// text size (points scale with the desktop's large-text setting), and names and descriptions
// for screen readers (ATK, which GTK hands to AT-SPI).
namespace clubsafe::notice {

// Loads the program's style sheet for the default screen; call once after GTK has started.
void installStyle();

// Marks a window's top-level box as one of ours, so its text is large.
void useLargeText(Gtk::Widget& widget);
void useTitleText(Gtk::Label& label);
// Problems are in words and marked for screen readers as an alert, not by colour alone.
void useProblemText(Gtk::Label& label);
void useDoneText(Gtk::Label& label);

// What a screen reader says for the control.
void describe(Gtk::Widget& widget, const std::string& name, const std::string& description = {});

// Escape and the window manager's close put the window away (hidden, kept for next time).
void hideWhenClosed(Gtk::Window& window);

// A label of plain text that wraps, left-aligned: text from the agent or the network is never
// read as markup.
void setUpTextLabel(Gtk::Label& label, const std::string& text = {});

}  // namespace clubsafe::notice
