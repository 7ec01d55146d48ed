#include "agent/notices/block_page_server.hpp"

#include "agent/notices/notice_events.hpp"
#include "agent/platform/process_lister.hpp"
#include "agent/recording/utf8.hpp"
#include "common/crypto.hpp"
#include "common/domain_index/domain_name.hpp"
#include "common/notice_protocol.hpp"

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/MediaType.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>

namespace clubsafe::agent::notices {
namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

constexpr std::size_t kMaxBody = std::size_t{8} * 1024;
constexpr std::size_t kMaxDiscard = std::size_t{64} * 1024;
constexpr int kThreads = 2;

constexpr std::string_view kCeopUrl = "https://www.ceop.police.uk/Safety-Centre/";
constexpr std::string_view kChildlineUrl = "https://www.childline.org.uk";
constexpr std::string_view kChildlinePhone = "0800 1111";

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// The Host header split into its host and port; the host lower case, an IPv6 literal without
// its brackets.
struct HostHeader {
  std::string host;
  std::uint16_t port = 80;
};

std::optional<HostHeader> parseHost(std::string_view text) {
  HostHeader parsed;
  std::string_view port;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    parsed.host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') return std::nullopt;
      port = text.substr(close + 2);
      if (port.empty()) return std::nullopt;
    }
  } else {
    const auto colon = text.find(':');
    parsed.host = text.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = text.substr(colon + 1);
      if (port.empty()) return std::nullopt;
    }
  }
  if (parsed.host.empty()) return std::nullopt;
  if (!port.empty()) {
    if (port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::nullopt;
    }
    const auto number = std::stoul(std::string(port));
    if (number == 0 || number > 65535) return std::nullopt;
    parsed.port = static_cast<std::uint16_t>(number);
  }
  Poco::toLowerInPlace(parsed.host);
  return parsed;
}

// The blocked site a request is for: the Host header's name, checked as a domain name; nullopt
// for an address, a malformed header or none.
std::optional<std::string> siteName(const std::optional<HostHeader>& host) {
  if (!host) return std::nullopt;
  const auto name = common::domain_index::NormalisedName::from(host->host);
  if (!name.ok()) return std::nullopt;
  return std::string(name.view());
}

// Origin and Referer, when the browser sends them, must name this very host and port: a page
// elsewhere must not be able to file reports in a child's name.
bool fromThisHost(const HTTPServerRequest& request, const std::optional<HostHeader>& host) {
  for (const char* header : {"Origin", "Referer"}) {
    if (!request.has(header)) continue;
    if (!host) return false;
    try {
      const Poco::URI uri(request.get(header));
      if (uri.getScheme() != "http" || Poco::toLower(uri.getHost()) != host->host ||
          uri.getPort() != host->port) {
        return false;
      }
    } catch (const Poco::Exception&) {
      return false;  // "null" and anything else that is not a URL
    }
  }
  return true;
}

bool isFormEncoded(const std::string& contentType) {
  try {
    return Poco::Net::MediaType(contentType).matches("application", "x-www-form-urlencoded");
  } catch (const Poco::Exception&) {
    return false;
  }
}

// Valid UTF-8 without control characters, or nullopt when longer than `maxCharacters`.
std::optional<std::string> cleanText(const std::string& text, std::size_t maxCharacters) {
  std::string clean;
  recording::appendCleanUtf8(text, clean);
  const auto characters =
      static_cast<std::size_t>(std::count_if(clean.begin(), clean.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      }));
  if (characters > maxCharacters) return std::nullopt;
  return clean;
}

constexpr std::string_view kStyle = R"(
body{margin:0;background:#fdfbf5;color:#1a1a1a;font-family:"DejaVu Sans",Verdana,sans-serif;
font-size:1.25rem;line-height:1.6}
main{max-width:40rem;margin:0 auto;padding:1.5rem}
h1{font-size:2rem;line-height:1.25;margin:0 0 1rem;color:#0b3d91}
h2{font-size:1.5rem;margin:2rem 0 .5rem;color:#0b3d91}
.site{font-size:1.5rem;font-weight:bold;word-break:break-all;background:#e8eefc;padding:.5rem 1rem;
border-radius:.5rem}
.reason{font-size:1.4rem}
section{border-top:3px solid #c9d4ec;margin-top:2rem}
label,legend{display:block;font-weight:bold;margin:1rem 0 .25rem}
textarea{width:100%;box-sizing:border-box;font:inherit;padding:.5rem;border:2px solid #555;
border-radius:.25rem}
fieldset{border:none;padding:0;margin:0}
.choice{display:block;margin:.25rem 0;font-weight:normal}
input[type=radio]{width:1.3rem;height:1.3rem;vertical-align:middle}
button{font:inherit;font-weight:bold;margin-top:1rem;padding:.6rem 1.4rem;background:#0b3d91;
color:#fff;border:none;border-radius:.5rem;cursor:pointer}
a{color:#0b3d91}
:focus{outline:4px solid #f5a700;outline-offset:2px}
.hint{font-size:1.05rem;color:#333}
)";

std::string document(std::string_view title, const std::string& body) {
  std::string html;
  html += "<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<title>" + escape(title) + "</title>\n<style>" + std::string(kStyle) + "</style>\n";
  html += "</head>\n<body>\n<main>\n" + body + "</main>\n</body>\n</html>\n";
  return html;
}

std::string helpLines() {
  std::string html = "<h2>Other people who can help</h2>\n<ul>\n";
  html +=
      "<li><strong>CEOP</strong>: report to CEOP if someone online is making you feel unsafe: "
      "<a href=\"" +
      std::string(kCeopUrl) + "\">" + std::string(kCeopUrl) + "</a></li>\n";
  html += "<li><strong>Childline</strong>: call free on <strong>" + std::string(kChildlinePhone) +
          "</strong> or go to <a href=\"" + std::string(kChildlineUrl) +
          "\">www.childline.org.uk</a>"
          ". You can talk about anything.</li>\n</ul>\n";
  html += "<p>If you are in danger right now, tell a youth worker straight away or call 999.</p>\n";
  return html;
}

std::string worryForm(const std::string& token) {
  std::string html = "<section aria-labelledby=\"worry-heading\">\n";
  html += "<h2 id=\"worry-heading\">Is something worrying you?</h2>\n";
  html +=
      "<p>You can tell the club. Only the club's safeguarding lead (the person who keeps "
      "young people safe) will read it.</p>\n";
  html += "<form method=\"post\" action=\"/worry\">\n";
  html += "<input type=\"hidden\" name=\"token\" value=\"" + escape(token) + "\">\n";
  html += "<fieldset>\n<legend>What is it about?</legend>\n";
  bool first = true;
  for (const auto& topic : common::notice::kWorryTopics) {
    html += fmt::format(
        "<label class=\"choice\" for=\"about-{0}\"><input type=\"radio\" name=\"about\" "
        "id=\"about-{0}\" value=\"{0}\"{1}> {2}</label>\n",
        escape(topic.id), first ? " required" : "", escape(topic.words));
    first = false;
  }
  html += "</fieldset>\n";
  html += "<label for=\"worry-message\">Tell us what happened</label>\n";
  html += "<p class=\"hint\" id=\"worry-hint\">Write as much or as little as you like (up to " +
          std::to_string(common::notice::kMaxWorryLength) + " letters).</p>\n";
  html += "<textarea id=\"worry-message\" name=\"message\" rows=\"5\" maxlength=\"" +
          std::to_string(common::notice::kMaxWorryLength) +
          "\" aria-describedby=\"worry-hint\"></textarea>\n";
  html += "<button type=\"submit\">Report a worry</button>\n</form>\n</section>\n";
  return html + helpLines();
}

std::string reviewForm(const std::string& token) {
  std::string html = "<section aria-labelledby=\"review-heading\">\n";
  html += "<h2 id=\"review-heading\">Do you think this is a mistake?</h2>\n";
  html += "<p>You can ask the youth workers to look at this site again.</p>\n";
  html += "<form method=\"post\" action=\"/review\">\n";
  html += "<input type=\"hidden\" name=\"token\" value=\"" + escape(token) + "\">\n";
  html +=
      "<label for=\"review-message\">Why do you need this site? (you can leave this "
      "empty)</label>\n";
  html += "<textarea id=\"review-message\" name=\"message\" rows=\"3\" maxlength=\"" +
          std::to_string(common::notice::kMaxReviewMessageLength) + "\"></textarea>\n";
  html += "<button type=\"submit\">Ask for a review</button>\n</form>\n</section>\n";
  return html;
}

struct Page {
  HTTPResponse::HTTPStatus status = HTTPResponse::HTTP_OK;
  std::string title;
  std::string body;  // inside <main>, already escaped
};

Page blockedPage(const std::optional<std::string>& site, const std::optional<BlockReason>& reason,
                 const std::string& token) {
  Page page{HTTPResponse::HTTP_OK, "This site is blocked", {}};
  auto& html = page.body;
  if (site && !reason) {
    page.title = "This site is not blocked now";
    html += "<h1>This site is not blocked now</h1>\n";
    html += "<p class=\"site\">" + escape(*site) + "</p>\n";
    html +=
        "<p>The club's laptops let this site open now. Close this tab and open the site "
        "again.</p>\n";
    html += worryForm(token);
    return page;
  }
  html += "<h1>This site is blocked</h1>\n";
  if (site) html += "<p class=\"site\">" + escape(*site) + "</p>\n";
  html +=
      "<p>The club's laptops do not open this site. You are not in trouble: the club "
      "chooses which kinds of site to block, to keep everyone safe.</p>\n";
  if (reason) {
    html += "<h2>Why?</h2>\n<p class=\"reason\">The reason: <strong>" + escape(reason->words) +
            "</strong>.</p>\n";
    html += reviewForm(token);
  }
  html += worryForm(token);
  return page;
}

Page answerPage(HTTPResponse::HTTPStatus status, std::string_view title, const std::string& text) {
  Page page{status, std::string(title), {}};
  page.body = "<h1>" + escape(title) + "</h1>\n" + text + helpLines();
  return page;
}

Page refused(HTTPResponse::HTTPStatus status, std::string_view what,
             std::string_view next = "Go back and try again.") {
  return answerPage(status, "That did not work",
                    "<p>" + escape(what) + "</p>\n<p>" + escape(next) +
                        " If it still does not work, please tell a youth worker.</p>\n");
}

void send(HTTPServerResponse& response, const Page& page, bool withBody) {
  const auto html = document(page.title, page.body);
  response.setStatusAndReason(page.status);
  response.setContentType("text/html; charset=utf-8");
  response.set("Cache-Control", "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  // Same-origin referrers keep the form's Referer check possible; nothing else is loaded.
  response.set("Referrer-Policy", "same-origin");
  response.set("Content-Security-Policy",
               "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
               "frame-ancestors 'none'; base-uri 'none'");
  response.setContentLength64(static_cast<Poco::Int64>(html.size()));
  auto& out = response.send();
  if (withBody) out << html;
}

}  // namespace

class BlockPageServer::Pages {
 public:
  Pages(const dns::FilterDecision& filter, IndexInForce indexInForce, ReportLimiter& reports,
        const platform::SocketOwners& owners)
      : filter_(filter),
        indexInForce_(std::move(indexInForce)),
        reports_(reports),
        owners_(owners),
        secret_(common::randomToken(32)) {}

  void answer(HTTPServerRequest& request, HTTPServerResponse& response) {
    const auto method = request.getMethod();
    const auto host = parseHost(request.getHost());
    const auto site = siteName(host);
    if (method == "GET" || method == "HEAD") {
      const auto reason = site ? whyBlocked(filter_, indexInForce_, *site) : std::nullopt;
      send(response, blockedPage(site, reason, tokenFor(host)), method == "GET");
      return;
    }
    if (method != "POST") {
      response.set("Allow", "GET, HEAD, POST");
      send(response, refused(HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "This page only shows."), true);
      return;
    }
    send(response, post(request, response, host, site), true);
  }

 private:
  Page post(HTTPServerRequest& request, HTTPServerResponse& response,
            const std::optional<HostHeader>& host, const std::optional<std::string>& site) {
    std::string path;
    try {
      path = Poco::URI(request.getURI()).getPath();
    } catch (const Poco::SyntaxException&) {
      // Not a path at all: no form is there.
    }
    if (path != "/review" && path != "/worry") {
      return refused(HTTPResponse::HTTP_NOT_FOUND, "There is no form here.");
    }
    // Before the body is read: a program of root's, or one that sent its form and hung up,
    // cannot file reports in anyone's name.
    const auto uid = owners_.peerOwner(connectionOf(request));
    if (!uid || *uid == 0) {
      response.setKeepAlive(false);
      return refused(HTTPResponse::HTTP_FORBIDDEN,
                     "This form can only be sent from the web browser of the person using this "
                     "laptop.");
    }
    if (!isFormEncoded(request.getContentType())) {
      return refused(HTTPResponse::HTTP_UNSUPPORTED_MEDIA_TYPE, "The form was not sent as a form.");
    }
    std::string body(kMaxBody + 1, '\0');
    request.stream().read(body.data(), static_cast<std::streamsize>(body.size()));
    body.resize(static_cast<std::size_t>(request.stream().gcount()));
    if (body.size() > kMaxBody) {
      // Read (a bounded amount of) the rest: closing on unread bytes resets the connection,
      // and the browser would show its own error instead of this answer.
      request.stream().ignore(static_cast<std::streamsize>(kMaxDiscard));
      response.setKeepAlive(false);
      return refused(HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, "What you wrote is too long.");
    }
    Poco::Net::HTMLForm form;
    form.setFieldLimit(8);
    try {
      form.read(body);
    } catch (const Poco::Exception&) {
      return refused(HTTPResponse::HTTP_BAD_REQUEST, "The form could not be read.");
    }
    if (!common::constantTimeEquals(form.get("token", ""), tokenFor(host)) ||
        !fromThisHost(request, host)) {
      return refused(HTTPResponse::HTTP_FORBIDDEN,
                     "This page was out of date, or the form came from another page.",
                     "Go back, reload the page and try again.");
    }
    const auto osUser = platform::userName(*uid);
    return path == "/review" ? review(form, site, osUser) : worry(form, osUser);
  }

  Page review(const Poco::Net::HTMLForm& form, const std::optional<std::string>& site,
              const std::string& osUser) {
    if (!site) {
      return refused(HTTPResponse::HTTP_BAD_REQUEST, "We could not tell which site this is.");
    }
    const auto message =
        cleanText(form.get("message", ""), common::notice::kMaxReviewMessageLength);
    if (!message) {
      return refused(HTTPResponse::HTTP_BAD_REQUEST,
                     "What you wrote is too long: please make it shorter.");
    }
    const auto reason = whyBlocked(filter_, indexInForce_, *site);
    if (!reason) {
      return answerPage(HTTPResponse::HTTP_OK, "This site is not blocked now",
                        "<p>The club's laptops let this site open now, so there is nothing to "
                        "review. Close this tab and open the site again.</p>\n");
    }
    auto event = reviewRequestEvent(osUser, std::string(siteOf(*site)), reason->category, *message);
    if (!save(event, "review request")) return notSaved();
    return answerPage(HTTPResponse::HTTP_OK, "Thank you: your request is sent",
                      "<p>The club's youth workers will look at <strong>" + escape(siteOf(*site)) +
                          "</strong> again. They may talk to you about it. If they agree, the "
                          "site will open on the club's laptops; this can take a few days.</p>\n");
  }

  Page worry(const Poco::Net::HTMLForm& form, const std::string& osUser) {
    const auto* topic = common::notice::findWorryTopic(form.get("about", ""));
    if (topic == nullptr) {
      return refused(HTTPResponse::HTTP_BAD_REQUEST, "Please choose what your worry is about.");
    }
    const auto message = cleanText(form.get("message", ""), common::notice::kMaxWorryLength);
    if (!message) {
      return refused(HTTPResponse::HTTP_BAD_REQUEST,
                     "What you wrote is too long: please make it shorter.");
    }
    auto event = worryReportEvent(osUser, std::string(topic->id), *message);
    if (!save(event, "worry report")) return notSaved();
    return answerPage(HTTPResponse::HTTP_OK, "Thank you for telling us",
                      "<p>Your worry is on its way to the club's safeguarding lead, the person who "
                      "keeps young people safe. Only they will read it. They will find a quiet "
                      "moment to talk with you soon.</p>\n");
  }

  bool save(common::Event& event, std::string_view what) {
    const auto saved = reports_.submit(event);
    if (!saved.ok()) {
      spdlog::error("A {} from the block page could not be saved: {}", what, saved.message());
    }
    return saved.ok();
  }

  static Page notSaved() {
    return answerPage(HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "Sorry, that was not sent",
                      "<p>Something went wrong on this laptop and your message was not sent. "
                      "Please tell a youth worker; they can help straight away.</p>\n");
  }

  static platform::TcpConnection connectionOf(const HTTPServerRequest& request) {
    return {request.serverAddress().host().toString(), request.serverAddress().port(),
            request.clientAddress().host().toString(), request.clientAddress().port()};
  }

  // The form token of the page served for `host`: a page elsewhere cannot know it, and one
  // read under one name (a page whose name was made to point here) is no good under another.
  std::string tokenFor(const std::optional<HostHeader>& host) const {
    return common::hmacSha256Hex(
        secret_, host ? host->host + ":" + std::to_string(host->port) : std::string());
  }

  const dns::FilterDecision& filter_;
  IndexInForce indexInForce_;
  ReportLimiter& reports_;
  const platform::SocketOwners& owners_;
  const std::string secret_;  // this run's, for the form tokens
};

namespace {

class Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(std::function<void(HTTPServerRequest&, HTTPServerResponse&)> answer)
      : answer_(std::move(answer)) {}
  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    try {
      answer_(request, response);
    } catch (const std::exception& error) {
      spdlog::warn("The block page could not answer a request: {}", error.what());
      if (!response.sent()) {
        response.setStatusAndReason(HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
        response.setContentType("text/plain; charset=utf-8");
        response.send() << "Something went wrong. Please tell a youth worker.\n";
      }
    }
  }

 private:
  std::function<void(HTTPServerRequest&, HTTPServerResponse&)> answer_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(std::function<void(HTTPServerRequest&, HTTPServerResponse&)> answer)
      : answer_(std::move(answer)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new Handler(answer_);
  }

 private:
  std::function<void(HTTPServerRequest&, HTTPServerResponse&)> answer_;
};

}  // namespace

BlockPageServer::BlockPageServer(const BlockPageOptions& options, const dns::FilterDecision& filter,
                                 IndexInForce indexInForce, ReportLimiter& reports,
                                 const platform::SocketOwners& owners)
    : pages_(std::make_unique<Pages>(filter, std::move(indexInForce), reports, owners)) {
  Poco::Net::ServerSocket socket;
  try {
    // Not SO_REUSEPORT: a second program on the port must be an error, not a silent share.
    socket.bind(Poco::Net::SocketAddress(options.address, options.port), true, false);
    socket.listen(64);
  } catch (const Poco::Exception& error) {
    throw BlockPageError("The block page cannot listen on " + options.address + " port " +
                         std::to_string(options.port) + " (" + error.displayText() +
                         "). Check that no other program uses it, or set blockpage.address "
                         "and blockpage.port to a free loopback address and port.");
  }
  port_ = socket.address().port();
  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(kThreads);
  params->setMaxQueued(32);
  params->setTimeout(Poco::Timespan(10, 0));
  params->setKeepAliveTimeout(Poco::Timespan(5, 0));
  params->setServerName("clubsafe");
  auto* pages = pages_.get();
  server_ = std::make_unique<Poco::Net::HTTPServer>(
      new Factory([pages](HTTPServerRequest& request, HTTPServerResponse& response) {
        pages->answer(request, response);
      }),
      socket, params);
  server_->start();
}

BlockPageServer::~BlockPageServer() {
  stop();
}

void BlockPageServer::stop() {
  if (stopped_) return;
  stopped_ = true;
  server_->stopAll(true);
}

}  // namespace clubsafe::agent::notices
