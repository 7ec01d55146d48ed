#pragma once

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <vector>

// What the agent tells the notice program, read out of messages parseMessage has already
// checked against the protocol's table (common/notice_protocol.hpp), so every required field
// is there and of its kind.
namespace clubsafe::notice {

// The monitoring notice (N1), from the collector's policy.
struct NoticeText {
  std::string clubName;
  std::vector<std::string> paragraphs;
  std::string policyUrl;  // may be empty
  std::string version;
};

// Who is signed in on this laptop and what is unlocked.
struct SessionState {
  std::optional<std::string> member;  // nobody signed in when absent
  std::optional<std::string> ageBand;
  bool staff = false;
  std::string profile;
  std::vector<std::string> ageBands;   // to choose from when signing in
  std::vector<std::string> overrides;  // "example.com until 18:30"

  [[nodiscard]] bool signedIn() const { return member.has_value() || staff; }
};

// N3: a site the filter blocked for this laptop.
struct BlockedSite {
  std::string domain;
  std::string category;
  std::string reason;  // the category in plain words
};

[[nodiscard]] NoticeText noticeTextFrom(const Poco::JSON::Object& notice);
[[nodiscard]] SessionState sessionStateFrom(const Poco::JSON::Object& state);
[[nodiscard]] BlockedSite blockedSiteFrom(const Poco::JSON::Object& blocked);

}  // namespace clubsafe::notice
