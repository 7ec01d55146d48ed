#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>

namespace clubsafe::testing {

// The notice program's side of an agent's notice socket, one request at a time.
class NoticeConnection {
 public:
  // Connects, or throws std::runtime_error.
  explicit NoticeConnection(const std::string& path);
  ~NoticeConnection();
  NoticeConnection(const NoticeConnection&) = delete;
  NoticeConnection& operator=(const NoticeConnection&) = delete;

  // Sends `request` with the next id; the reply with that id (state messages are skipped).
  // Throws std::runtime_error when none comes within 30 s.
  Poco::JSON::Object::Ptr ask(Poco::JSON::Object request);

 private:
  int fd_;
  std::int64_t id_ = 0;
  std::string buffer_;
};

}  // namespace clubsafe::testing
