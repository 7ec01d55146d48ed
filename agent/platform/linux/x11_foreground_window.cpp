#include "agent/platform/foreground_window.hpp"

#include "agent/platform/process_lister.hpp"
#include "agent/platform/untrusted_file.hpp"

#include <pwd.h>

#include <X11/Xatom.h>
#include <X11/Xauth.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/scrnsaver.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>

// Why no child process: libX11 (1.7 and later; Debian 12 has 1.8) lets a program survive a lost
// display. The I/O error handler returns and XSetIOErrorExitHandler replaces the exit(1) that
// would follow with a handler that only marks the connection lost; libX11 then fails every
// further request on it, and XCloseDisplay frees it without talking to the server. X protocol
// errors (a window closed between two requests) go to a handler that records them and returns.
namespace clubsafe::agent::platform {
namespace {

constexpr std::string_view kCookieName = "MIT-MAGIC-COOKIE-1";
constexpr unsigned short kFamilyLocal = 256;  // FamilyLocal in Xauth.h, a macro without a type
constexpr unsigned short kFamilyWild = 65535;

// The failed request's caller sees it fail and carries on; nothing else needs to know.
int ignoreXError(Display* /*display*/, XErrorEvent* /*error*/) {
  return 0;
}

int ignoreIoError(Display* /*display*/) {
  return 0;
}

void markLost(Display* /*display*/, void* lost) {
  static_cast<std::atomic<bool>*>(lost)->store(true);
}

void installHandlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    XSetErrorHandler(ignoreXError);
    XSetIOErrorHandler(ignoreIoError);
  });
}

// The display number of ":0", ":0.0" or "host:10.0".
std::string displayNumber(const std::string& display) {
  const auto colon = display.rfind(':');
  if (colon == std::string::npos) return {};
  const auto number = display.substr(colon + 1);
  return number.substr(0, number.find('.'));
}

struct Cookie {
  std::string name;
  std::string data;
};

// The cookie a local client of this display number uses; host names are not compared, so a
// renamed laptop's file still works.
// An X authority file holds a few cookies; a larger one is not one.
constexpr std::size_t kMostAuthorityBytes = 64 * 1024;

// The user writes the file in their home folder, so it is read as hostile (readUntrustedFile)
// into memory first: libXau then parses only what is there.
std::optional<Cookie> readCookie(const std::string& path, const std::string& number,
                                 std::uint32_t uid) {
  auto content = readUntrustedFile(path, kMostAuthorityBytes, uid);
  if (!content || content->empty()) return std::nullopt;
  FILE* file = ::fmemopen(content->data(), content->size(), "rb");
  if (file == nullptr) return std::nullopt;
  std::optional<Cookie> found;
  while (Xauth* entry = XauReadAuth(file)) {
    const std::string entryNumber(entry->number, entry->number_length);
    const std::string name(entry->name, entry->name_length);
    if (!found && name == kCookieName && entryNumber == number &&
        (entry->family == kFamilyLocal || entry->family == kFamilyWild)) {
      found = Cookie{name, std::string(entry->data, entry->data_length)};
    }
    XauDisposeAuth(entry);
  }
  (void)std::fclose(file);  // read only: nothing to lose
  return found;
}

struct XDeleter {
  void operator()(void* data) const {
    if (data != nullptr) XFree(data);
  }
};

struct Property {
  std::unique_ptr<unsigned char, XDeleter> data;
  Atom type = None;
  unsigned long items = 0;
};

std::optional<Property> property(Display* display, Window window, Atom name, Atom type) {
  Property result;
  int format = 0;
  unsigned long after = 0;
  unsigned char* data = nullptr;
  constexpr long kMaxLongs = 1024;  // 4 KiB: more than any title we keep
  if (XGetWindowProperty(display, window, name, 0, kMaxLongs, False, type, &result.type, &format,
                         &result.items, &after, &data) != Success) {
    return std::nullopt;
  }
  result.data.reset(data);
  if (result.data == nullptr || result.items == 0 || result.type == None) return std::nullopt;
  return result;
}

std::optional<unsigned long> cardinal(Display* display, Window window, Atom name, Atom type) {
  const auto value = property(display, window, name, type);
  if (!value) return std::nullopt;
  // Xlib returns 32-bit properties as an array of long, whatever long's size.
  return *reinterpret_cast<const unsigned long*>(value->data.get());
}

class Connection {
 public:
  explicit Connection(Display* display) : display_(display) {
    XSetIOErrorExitHandler(display_, markLost, &lost_);
    netActiveWindow_ = XInternAtom(display_, "_NET_ACTIVE_WINDOW", False);
    netWmPid_ = XInternAtom(display_, "_NET_WM_PID", False);
    netWmName_ = XInternAtom(display_, "_NET_WM_NAME", False);
    utf8String_ = XInternAtom(display_, "UTF8_STRING", False);
    int eventBase = 0;
    int errorBase = 0;
    hasScreenSaver_ = XScreenSaverQueryExtension(display_, &eventBase, &errorBase) != 0;
  }
  ~Connection() { XCloseDisplay(display_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  [[nodiscard]] bool lost() const { return lost_; }

  ForegroundSample sample(bool withTitle) {
    ForegroundSample result;
    // Nothing is selected, but the server still sends a few events (keyboard mapping changes);
    // reading them keeps the queue from growing.
    while (!lost_ && XPending(display_) > 0) {
      XEvent event;
      XNextEvent(display_, &event);
    }
    const Window root = DefaultRootWindow(display_);
    result.idle = idle(root);
    const auto active = cardinal(display_, root, netActiveWindow_, XA_WINDOW);
    if (lost_) return lostSample();
    if (!active || *active == None) {
      result.outcome = DisplayOutcome::NoWindow;
      return result;
    }
    const auto window = static_cast<Window>(*active);
    result.application = application(window);
    if (lost_) return lostSample();
    if (result.application.empty()) {
      result.outcome = DisplayOutcome::NoWindow;
      return result;
    }
    if (withTitle) result.title = title(window);
    if (lost_) return lostSample();
    result.outcome = DisplayOutcome::Window;
    return result;
  }

 private:
  static ForegroundSample lostSample() {
    ForegroundSample result;
    result.problem = "the connection to the display was lost";
    return result;
  }

  std::optional<std::chrono::milliseconds> idle(Window root) {
    if (!hasScreenSaver_) return std::nullopt;
    const std::unique_ptr<XScreenSaverInfo, XDeleter> info(XScreenSaverAllocInfo());
    if (!info || XScreenSaverQueryInfo(display_, root, info.get()) == 0) return std::nullopt;
    return std::chrono::milliseconds(info->idle);
  }

  std::string application(Window window) {
    if (const auto pid = cardinal(display_, window, netWmPid_, XA_CARDINAL)) {
      if (auto name = processName(static_cast<int>(*pid))) return *name;
    }
    XClassHint hint{};
    if (XGetClassHint(display_, window, &hint) == 0) return {};
    std::string name = hint.res_class != nullptr ? hint.res_class : "";
    if (name.empty() && hint.res_name != nullptr) name = hint.res_name;
    if (hint.res_name != nullptr) XFree(hint.res_name);
    if (hint.res_class != nullptr) XFree(hint.res_class);
    return name;
  }

  std::string title(Window window) {
    if (const auto name = property(display_, window, netWmName_, utf8String_)) {
      return {reinterpret_cast<const char*>(name->data.get()), name->items};
    }
    XTextProperty text{};
    if (XGetWMName(display_, window, &text) == 0 || text.value == nullptr) return {};
    const std::unique_ptr<unsigned char, XDeleter> value(text.value);
    char** list = nullptr;
    int count = 0;
    std::string result;
    if (Xutf8TextPropertyToTextList(display_, &text, &list, &count) >= Success && list != nullptr) {
      if (count > 0 && list[0] != nullptr) result = list[0];
      XFreeStringList(list);
    }
    return result;
  }

  Display* display_;
  std::atomic<bool> lost_{false};
  Atom netActiveWindow_ = None;
  Atom netWmPid_ = None;
  Atom netWmName_ = None;
  Atom utf8String_ = None;
  bool hasScreenSaver_ = false;
};

// Opens with the first authority file whose cookie lets us in; XSetAuthorization is the process's
// only, which is fine: this is the one thread that opens displays.
Display* openDisplay(const std::string& address, const std::vector<std::string>& authorityFiles,
                     std::uint32_t uid) {
  const auto number = displayNumber(address);
  for (const auto& path : authorityFiles) {
    const auto cookie = readCookie(path, number, uid);
    if (!cookie) continue;
    auto name = cookie->name;
    auto data = cookie->data;
    XSetAuthorization(name.data(), static_cast<int>(name.size()), data.data(),
                      static_cast<int>(data.size()));
    Display* display = XOpenDisplay(address.c_str());
    XSetAuthorization(nullptr, 0, nullptr, 0);
    if (display != nullptr) return display;
  }
  return XOpenDisplay(address.c_str());
}

class X11ForegroundWindow : public ForegroundWindow {
 public:
  explicit X11ForegroundWindow(AuthorityFiles authorityFiles)
      : authorityFiles_(std::move(authorityFiles)) {
    installHandlers();
  }

  ForegroundSample sample(const std::string& address, std::uint32_t uid, bool withTitle) override {
    auto found = connections_.find(address);
    if (found == connections_.end()) {
      // libX11 prints a line for every refused connection; trying again at once would fill the
      // log and gain nothing.
      const auto now = std::chrono::steady_clock::now();
      if (const auto refused = refusedUntil_.find(address);
          refused != refusedUntil_.end() && now < refused->second) {
        return unreachable();
      }
      Display* display = openDisplay(address, authorityFiles_(uid), uid);
      if (display == nullptr) {
        refusedUntil_[address] = now + kRetryAfter;
        return unreachable();
      }
      refusedUntil_.erase(address);
      found = connections_.emplace(address, std::make_unique<Connection>(display)).first;
    }
    auto result = found->second->sample(withTitle);
    // A lost connection is closed now and opened afresh next time (the X server may restart).
    if (found->second->lost()) connections_.erase(found);
    return result;
  }

  void forget(const std::string& display) override {
    connections_.erase(display);
    refusedUntil_.erase(display);
  }

 private:
  static constexpr std::chrono::seconds kRetryAfter{10};

  static ForegroundSample unreachable() {
    ForegroundSample result;
    result.problem =
        "the display is not running or refused us (no X authority cookie of the user's let us in)";
    return result;
  }

  AuthorityFiles authorityFiles_;
  std::map<std::string, std::unique_ptr<Connection>> connections_;
  std::map<std::string, std::chrono::steady_clock::time_point> refusedUntil_;
};

}  // namespace

std::unique_ptr<ForegroundWindow> makeForegroundWindow(AuthorityFiles authorityFiles) {
  return std::make_unique<X11ForegroundWindow>(std::move(authorityFiles));
}

std::vector<std::string> xauthorityCandidates(std::uint32_t uid) {
  std::vector<std::string> files{"/run/user/" + std::to_string(uid) + "/gdm/Xauthority"};
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr &&
      found->pw_dir != nullptr) {
    files.push_back(std::string(found->pw_dir) + "/.Xauthority");
  }
  return files;
}

}  // namespace clubsafe::agent::platform
