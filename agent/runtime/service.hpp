#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace clubsafe::agent::runtime {

// One part of the running agent that is started once and stopped once (a thread, a socket, a
// change to the system that must be undone). stop() may be called more than once, and on a
// service whose start() failed or never ran; it must then do nothing.
class Service {
 public:
  virtual ~Service() = default;

  [[nodiscard]] virtual std::string_view name() const = 0;
  // Throws (any std::exception) when the service cannot run; the message says why.
  virtual void start() = 0;
  virtual void stop() = 0;
};

// A service that is a thread: `body` runs on it from start() until `halt` (called by stop()
// from another thread) makes it return.
class ThreadService final : public Service {
 public:
  ThreadService(std::string name, std::function<void()> body, std::function<void()> halt);
  ~ThreadService() override;
  ThreadService(const ThreadService&) = delete;
  ThreadService& operator=(const ThreadService&) = delete;

  [[nodiscard]] std::string_view name() const override { return name_; }
  void start() override;
  void stop() override;

 private:
  std::string name_;
  std::function<void()> body_;
  std::function<void()> halt_;
  std::thread thread_;
};

// A service that is a pair of actions, such as putting a system setting in place and back.
class ActionService final : public Service {
 public:
  ActionService(std::string name, std::function<void()> onStart, std::function<void()> onStop);

  [[nodiscard]] std::string_view name() const override { return name_; }
  void start() override;
  void stop() override;

 private:
  std::string name_;
  std::function<void()> onStart_;
  std::function<void()> onStop_;
  bool started_ = false;
};

// A service that could not start; the message names it and says why.
class ServiceStartError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The agent's services: started in the order they were added, stopped in reverse, so what a
// service relies on is running before it starts and still running while it stops.
class ServiceGroup {
 public:
  ServiceGroup() = default;
  ~ServiceGroup();
  ServiceGroup(const ServiceGroup&) = delete;
  ServiceGroup& operator=(const ServiceGroup&) = delete;

  void add(std::unique_ptr<Service> service);
  // Convenience for the common kinds.
  void addThread(std::string name, std::function<void()> body, std::function<void()> halt);
  void addAction(std::string name, std::function<void()> onStart, std::function<void()> onStop);

  // Starts every service in order. When one fails, those already started are stopped in
  // reverse and ServiceStartError names the one that failed and why.
  void start();
  // Stops the started services in reverse; a second call does nothing.
  void stop();

 private:
  void stopStarted();

  std::vector<std::unique_ptr<Service>> services_;
  std::size_t started_ = 0;  // services_[0, started_) are running
};

}  // namespace clubsafe::agent::runtime
