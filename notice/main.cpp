// clubsafe-notice: the on-laptop notices for the person using this laptop (docs/NOTICES.md),
// started in every graphical session by /etc/xdg/autostart/clubsafe-notice.desktop.
#include "notice/notice_app.hpp"

#include <gtkmm/application.h>

#include <iostream>
#include <string>
#include <string_view>

namespace {

constexpr const char* kDefaultSocket = "/run/clubsafe/notice.sock";

void printUsage() {
  std::cout << "usage: clubsafe-notice [--socket PATH]\n\n"
               "Shows the club's monitoring notice, signing in, the status window, blocked-site\n"
               "notifications and \"Report a worry\" for the person using this laptop, through\n"
               "the clubsafe agent's notice socket.\n\n"
               "  --socket PATH  the agent's notice socket (default "
            << kDefaultSocket << ")\n  --help         show this and stop\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::string socketPath = kDefaultSocket;
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    if (argument == "--help" || argument == "-h") {
      printUsage();
      return 0;
    }
    if (argument == "--socket" && i + 1 < argc) {
      socketPath = argv[++i];
    } else if (argument.starts_with("--socket=")) {
      socketPath = std::string(argument.substr(9));
    } else {
      std::cerr << "clubsafe-notice: unknown option \"" << argument
                << "\"; see clubsafe-notice --help.\n";
      return 2;
    }
  }
  auto application = Gtk::Application::create("uk.clubsafe.Notice");
  clubsafe::notice::NoticeApp notice(application, socketPath);
  return application->run();
}
